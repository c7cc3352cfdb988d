// Health (Medical Health, PL3), English and Chinese: conditions, symptoms and medications from lexicons,
// clinical measurements (blood pressure, heart rate, glucose, BMI; weight and height beside a body word),
// and the phrase after a clinical cue ("diagnosed with …", "prescribed …", 诊断为…, 患有…, 服用…). A
// lexicon term counts only in a sentence that is about someone (a pronoun or a clinical cue): prose about
// a disease in general is not private. Spans are minimal: the term with its modifiers, never the sentence.
import { emit, type RuleContext } from "./context.js";
import { execAtStarts, isRegExpSpace } from "./digit-clusters.js";
import { hintAtKeywords, KW, stickyHint } from "./keywords.js";
import { contextCjkHits, createSharedCjkLexicon, scanContextCjk } from "./lexicon-cjk.js";
import { createSharedWordLexicon, scanContextWords } from "./lexicon.js";

// Conditions and symptoms (lower case; multi-word terms are matched word by word).
const EN_CONDITIONS = `hypertension|high blood pressure|low blood pressure|hypotension|diabetes|type 1 diabetes|type 2 diabetes|
prediabetes|asthma|migraine|migraines|insomnia|sleep apnea|sleep apnoea|depression|anxiety disorder|panic attacks|
panic disorder|ptsd|adhd|ocd|bipolar disorder|schizophrenia|autism|dyslexia|eczema|psoriasis|acne|rosacea|arthritis|
osteoarthritis|rheumatoid arthritis|osteoporosis|gout|scoliosis|sciatica|fibromyalgia|lupus|multiple sclerosis|
epilepsy|parkinson's|alzheimer's|dementia|stroke|heart disease|heart attack|arrhythmia|atrial fibrillation|angina|
high cholesterol|anemia|anaemia|hypothyroidism|hyperthyroidism|celiac disease|coeliac disease|crohn's disease|
ibs|irritable bowel syndrome|gerd|acid reflux|ulcer|gastritis|kidney stones|kidney disease|hepatitis|cirrhosis|hiv|
aids|cancer|breast cancer|prostate cancer|lung cancer|leukemia|leukaemia|lymphoma|melanoma|tumor|tumour|
chemotherapy|radiotherapy|covid|long covid|flu|influenza|pneumonia|bronchitis|tuberculosis|sinusitis|tinnitus|
vertigo|glaucoma|cataracts|cataract|myopia|astigmatism|lactose intolerance|gluten intolerance|food allergy|
peanut allergy|nut allergy|hay fever|pollen allergy|allergies|allergy|obesity|anorexia|bulimia|eating disorder|
carpal tunnel|carpal tunnel syndrome|tendonitis|tennis elbow|plantar fasciitis|flat feet|herniated disc|slipped disc|
back pain|lower back pain|chronic pain|neck pain|knee pain|joint pain|headaches|tension headaches|chronic fatigue|
burnout|claustrophobia|agoraphobia|social anxiety|concussion|fracture|sprained ankle|torn acl|endometriosis|pcos|
infertility|miscarriage|pregnancy|pregnant|menopause|erectile dysfunction|std|sti|chlamydia|herpes|hpv|
addiction|alcoholism|substance abuse|seasonal affective disorder|postpartum depression|nausea|dizziness|
shortness of breath|chest pain|palpitations|blisters|heel blister|rash|hives|photophobia|dry eyes|dry eye`;
const EN_MEDICATIONS = `ibuprofen|paracetamol|acetaminophen|aspirin|naproxen|codeine|tramadol|morphine|oxycodone|
penicillin|amoxicillin|azithromycin|doxycycline|ciprofloxacin|antibiotics|antidepressants|sertraline|fluoxetine|
citalopram|escitalopram|paroxetine|venlafaxine|bupropion|lithium|quetiapine|olanzapine|risperidone|aripiprazole|
diazepam|lorazepam|alprazolam|clonazepam|zolpidem|melatonin|methylphenidate|adderall|ritalin|metformin|insulin|
glipizide|atorvastatin|simvastatin|rosuvastatin|statins|lisinopril|amlodipine|losartan|metoprolol|atenolol|
propranolol|warfarin|clopidogrel|levothyroxine|prednisone|prednisolone|hydrocortisone|cortisone|salbutamol|
albuterol|inhaler|epipen|loratadine|cetirizine|fexofenadine|antihistamines|antihistamine|omeprazole|lansoprazole|
pantoprazole|ranitidine|gabapentin|pregabalin|sumatriptan|topiramate|accutane|isotretinoin|birth control pill|
contraceptive pill|hrt|lactase enzyme|lactase|vitamin d|vitamin d3|vitamin b12|iron supplements|folic acid|
artificial tears|eye drops|ozempic|semaglutide|wegovy`;
// Words that make a sentence about someone, or clinical: the lexicon needs one of them nearby.
const EN_CONTEXT_RE =
  /\b(?:i|i'm|i’m|i've|i’ve|my|me|mine|you|your|you're|he|she|his|her|him|they|their|them|we|our|us|diagnos\w*|suffer\w*|prescri\w*|taking|take|takes|took|treated|treatment|symptoms?|doctor|gp|clinic|hospital|patient|allergic|condition|medication|meds|dose|dosage|mg)\b/i;
// After a clinical cue, a short phrase up to a clause end is the health fact itself.
export const EN_CUE_RE =
  /\b(?:diagnosed\s+with|suffer(?:s|ing)?\s+from|suffered\s+from|prescribed|allergic\s+to|treated\s+for|recovering\s+from)[ \t]+([\p{L}0-9'’-]+(?:[ \t]+[\p{L}0-9'’-]+){0,4})/giu;
// The cue words' stems (each cue holds one), tried where the keyword scan saw one start.
export const EN_CUE_HINT_RE = /diagnos|suffer|prescri|allergic|treated|recovering/i;
const EN_CUE_HINT_AT = stickyHint(EN_CUE_HINT_RE);
// Every cue starts with its stem: the stems found with the pattern's own flags (its case folding) are where a
// cue can start.
const EN_CUE_STEM_RE = new RegExp(EN_CUE_HINT_RE.source, "giu");
const EN_CUE_AT = new RegExp(EN_CUE_RE.source, "iuy");

/** The matches of {@link EN_CUE_RE} in `t` as a whole-text scan finds them, tried at the cue stems only (exported for the equivalence test). */
export function enCueMatches(t: string): RegExpExecArray[] {
  const starts: number[] = [];
  EN_CUE_STEM_RE.lastIndex = 0;
  for (let m = EN_CUE_STEM_RE.exec(t); m !== null; m = EN_CUE_STEM_RE.exec(t)) {
    starts.push(m.index);
    EN_CUE_STEM_RE.lastIndex = m.index + 1;
  }
  return execAtStarts(EN_CUE_AT, t, starts);
}
const EN_CUE_STOP_RE =
  /\b(?:and|but|so|because|since|which|that|who|when|while|after|before|last|this|for|at|in|on|to|with|from|by|as|of|is|was|has|have|had|it|i|he|she|they|we)\b/i;

const CN_CONDITIONS = `高血压|低血压|糖尿病|哮喘|偏头痛|头痛|失眠|抑郁症|抑郁|焦虑症|惊恐发作|强迫症|躁郁症|双相情感障碍|精神分裂|
自闭症|多动症|湿疹|银屑病|牛皮癣|痤疮|关节炎|风湿|骨质疏松|痛风|脊柱侧弯|坐骨神经痛|癫痫|帕金森|阿尔茨海默|老年痴呆|
中风|脑卒中|心脏病|冠心病|心律失常|房颤|心绞痛|高血脂|高胆固醇|贫血|甲减|甲亢|甲状腺|胃食管反流病|胃食管反流|反流性食管炎|
胃溃疡|胃炎|肠胃炎|肠易激|结石|肾病|肝炎|肝硬化|脂肪肝|艾滋病|癌症|肺癌|乳腺癌|肝癌|胃癌|白血病|淋巴瘤|恶性肿瘤|良性肿瘤|
肿瘤|化疗|放疗|新冠|流感|肺炎|支气管炎|结核|鼻炎|鼻窦炎|耳鸣|眩晕|青光眼|白内障|近视|远视|散光|老花眼|老花|乳糖不耐受|
过敏|花粉症|花粉过敏|肥胖症|肥胖|厌食症|暴食症|进食障碍|腕管综合征|腱鞘炎|网球肘|扁平足|椎间盘突出|腰椎间盘突出|颈椎病|
腰痛|背痛|颈椎痛|颈椎僵硬|颈椎劳损|腰肌劳损|膝盖疼|关节痛|关节酸痛|慢性疼痛|慢性疲劳|幽闭恐惧症|恐惧症|脑震荡|
骨折|扭伤|子宫内膜异位|多囊卵巢|不孕|流产|怀孕|更年期|性病|酗酒|成瘾|产后抑郁|恶心|头晕|胸闷|胸痛|心悸|水泡|皮疹|红疹|
荨麻疹|畏光|眼干|眼睛干涩|干眼症|酸痛|疼痛|跳痛|胀痛|刺痛|发烧|发热|咳嗽|失眠症|心理创伤|创伤后应激`;
const CN_MEDICATIONS = `布洛芬|对乙酰氨基酚|扑热息痛|阿司匹林|萘普生|可待因|曲马多|吗啡|青霉素|阿莫西林|头孢|阿奇霉素|抗生素|抗抑郁药|
舍曲林|氟西汀|帕罗西汀|文拉法辛|安眠药|地西泮|劳拉西泮|阿普唑仑|唑吡坦|褪黑素|二甲双胍|胰岛素|阿托伐他汀|他汀|
氨氯地平|硝苯地平|缬沙坦|氯沙坦|美托洛尔|华法林|氯吡格雷|左甲状腺素|泼尼松|激素|沙丁胺醇|吸入剂|氯雷他定|西替利嗪|
抗组胺药|奥美拉唑|雷贝拉唑|兰索拉唑|加巴喷丁|布地奈德|
氨基葡萄糖|乳糖酶|缓释胶囊|`;
const CN_MODIFIERS =
  "原发性|继发性|慢性|急性|轻度|中度|重度|严重的|严重|轻微的|轻微|季节性|春季|过敏性|偶发性|阵发性|反复|持续性|左侧|右侧|双侧|左膝|右膝|晨练后的|长期的?";
// Sentence context for a Chinese term: a person or a clinical word.
const CN_CONTEXT_RE =
  /[我您你他她]|诊断|确诊|患|服用|吃了|用药|医生|大夫|医院|症状|病史|发作|治疗|处方|体检|档案/;
// After a clinical cue, the phrase to the clause end (at most 16 characters).
const CN_CUES =
  "诊断为|诊断出|确诊为|确诊了|确诊|患有|患上了|患上|查出|被诊断为|服用了|服用|注射|开了|开的药是|开的是";
// Cues that are everyday words too ("开了一家店"): they count only after a doctor, a drug or a diagnosis.
const CN_WEAK_CUES = new Set(["开了", "开的是"]);
const CN_CLINICAL_BEFORE_RE = /医|药|诊|处方/;
export const CN_CUE_RE = new RegExp(`(?:${CN_CUES})([^，。；！？,.;!?\\n、）)（(]{2,16})`, "g");
// The cue words, found in the shared Chinese pass: no match starts before the first of them.
const CN_CUE_WORDS = createSharedCjkLexicon(CN_CUES.split("|"));
// A phrase after a cue is health data when it names a condition or a drug.
// Drug names end in a handful of characters (别嘌醇, 沙美特罗, 美托洛尔, 缬沙坦, 阿托伐他汀, 阿昔洛韦, 泼尼松,
// 左氧氟沙星), and a diagnosis may name only its organ or course (甲状腺功能亢进, 心衰, 脑梗).
const CN_MEDICAL_CHAR_RE =
  /[病症炎癌瘤药片素剂痛疹压糖脂酸芬林平定霉唑胶囊醇罗尔坦汀韦酮胺嗪松星呤碱膏丸腺亢衰梗疡]/;
// The sentence around a match (for the context test) ends at . ! ? 。 ！ ？ and a line break.
function isSentenceEdge(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 10 || c === 0x3002 || c === 0xff01 || c === 0xff1f;
}

function words(list: string): string[] {
  return list
    .split("|")
    .map((w) => w.trim())
    .filter((w) => w !== "");
}

const EN_LEXICON = createSharedWordLexicon(words(`${EN_CONDITIONS}|${EN_MEDICATIONS}`.replace(/\n/g, "")));
/** The English modifiers taken with a term ("mild asthma"), lower case (exported for the equivalence test). */
export const EN_MODIFIERS: ReadonlySet<string> = new Set([
  "mild",
  "severe",
  "chronic",
  "acute",
  "seasonal",
  "moderate",
  "occasional",
  "spring",
]);
/** The Chinese modifiers, in the order they are tried (exported for the equivalence test). */
export const CN_MODIFIER_LIST: readonly string[] = words(CN_MODIFIERS.replace("长期的?", "长期的|长期"));
// The modifiers by their last unit, in list order: a term is compared only with those that could end before it.
const CN_MODIFIERS_BY_LAST = new Map<string, string[]>();
for (const w of CN_MODIFIER_LIST) {
  const list = CN_MODIFIERS_BY_LAST.get(w.slice(-1)) ?? [];
  list.push(w);
  CN_MODIFIERS_BY_LAST.set(w.slice(-1), list);
}

/** The first modifier of {@link CN_MODIFIER_LIST} (list order) that ends at `end`, if any. */
export function cnModifierBefore(t: string, end: number): string | undefined {
  return CN_MODIFIERS_BY_LAST.get(t.charAt(end - 1))?.find((w) => t.endsWith(w, end));
}
const CN_LEXICON = createSharedCjkLexicon([
  ...words(CN_MEDICATIONS.replace(/\n/g, "")),
  ...words(CN_CONDITIONS.replace(/\n/g, "")),
]);
const CN_SUFFIXES = ["发作", "病史", "期"];
// Measurements that are health data wherever they appear, and body measures beside a body word.
const VITALS_RE =
  /(?<![0-9.])\d{2,3}\s?\/\s?\d{2,3}\s?mmHg|(?<![0-9.])\d{1,3}(?:\.\d{1,2})?\s?(?:mmHg|bpm|mmol\/L|mg\/dL|次\/分钟?)(?![A-Za-z])|\bBMI(?:\s?(?:is|of|was|为|是|:|：|=|of about))?\s?\d{1,2}(?:\.\d)?(?![0-9])|(?<![0-9.])\d{1,2}(?:\.\d)?\s?的BMI/g;
export const BODY_RE =
  /(?:体重|身高|weigh(?:s|t|ed|ing)?|height|tall)[^.。!?！？\n\d]{0,14}?(\d{2,3}(?:\.\d{1,2})?\s?(?:kg|公斤|斤|cm|厘米|lbs?|pounds))(?![A-Za-z])/gi;

const BODY_AT = new RegExp(BODY_RE.source, "iy");

/** Whether a unit of BODY_RE may follow digits ending at `e` (".5", one \s, kg/公斤/斤/cm/厘米/lb/pounds, any case). */
function bodyUnitMayFollow(t: string, e: number): boolean {
  let a = e;
  if (t.charCodeAt(a) === 46) {
    a++;
    while (isDigitAt(t, a)) a++;
  }
  if (isRegExpSpace(t.charCodeAt(a))) a++;
  const c = t.charCodeAt(a) | 0x20;
  const u = t.charAt(a);
  return c === 107 || c === 99 || c === 108 || c === 112 || u === "公" || u === "斤" || u === "厘";
}

function isDigitAt(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * Where a body measure can start (exported for the equivalence test): its value is a run of two or three
 * digits that a unit may follow, and its word (at most eight units) ends at most 14 units before the run, so
 * the match starts in the 22 units before such a run.
 */
export function bodyStarts(ctx: RuleContext): number[] {
  const t = ctx.text;
  const runs = ctx.digitRuns;
  const out: number[] = [];
  let last = -1;
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const s = runs[r] as number;
    const e = runs[r + 1] as number;
    if (e - s < 2 || e - s > 3 || !bodyUnitMayFollow(t, e)) continue;
    for (let p = Math.max(last + 1, s - 22, 0); p < s; p++) out.push((last = p));
  }
  return out;
}

function sentenceAround(t: string, start: number, end: number): string {
  let s = start;
  while (s > 0 && start - s < 48 && !isSentenceEdge(t.charCodeAt(s - 1))) s--;
  let e = end;
  while (e < t.length && e - end < 48 && !isSentenceEdge(t.charCodeAt(e))) e++;
  return t.slice(s, e);
}

function emitHealth(ctx: RuleContext, start: number, end: number, rule: string): void {
  emit(ctx, start, end, "Medical Health", "PL3", rule);
}

/**
 * Length of the modifier and space before an English term at `start` ("severe "), or 0 (exported for the
 * equivalence test). Most terms have no space and letter before them, and no slice is made for those.
 */
export function enModifierBefore(t: string, start: number): number {
  const c = t.charCodeAt(start - 2);
  if (t.charCodeAt(start - 1) !== 32 || !((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return 0;
  const mod = /([A-Za-z]+) $/.exec(t.slice(Math.max(0, start - 12), start));
  return mod?.[1] !== undefined && EN_MODIFIERS.has(mod[1].toLowerCase()) ? mod[0].length : 0;
}

function detectEnglishHealth(ctx: RuleContext): void {
  const t = ctx.text;
  scanContextWords(ctx, EN_LEXICON, (termStart, end) => {
    const start = termStart - enModifierBefore(t, termStart);
    if (EN_CONTEXT_RE.test(sentenceAround(t, termStart, end))) emitHealth(ctx, start, end, "health-term");
  });
  const cued = hintAtKeywords(ctx, KW.healthCue, EN_CUE_HINT_AT);
  for (const m of cued ? enCueMatches(t) : []) {
    const phrase = m[1] ?? "";
    const from = m.index + m[0].length - phrase.length;
    // The phrase ends before a conjunction, preposition or pronoun ("diagnosed with asthma when I was 9").
    const stop = EN_CUE_STOP_RE.exec(phrase.slice(1));
    const cut = (stop === null ? phrase : phrase.slice(0, stop.index + 1)).replace(/[\s,;:.]+$/, "");
    const lead = /^(?:a|an|the|my|some)\s+/i.exec(cut);
    const s = from + (lead === null ? 0 : lead[0].length);
    const e = from + cut.length;
    if (e - s >= 3) emitHealth(ctx, s, e, "health-cue");
  }
}

/**
 * The matches of {@link CN_CUE_RE} in the context's text, as a scan of the whole text finds them (exported for
 * the equivalence test): every match starts with a cue word, so the scan starts at the first one the shared
 * Chinese pass found, and a text without one is not scanned.
 */
export function cnCueMatches(ctx: RuleContext): RegExpExecArray[] {
  const cues = contextCjkHits(ctx, CN_CUE_WORDS);
  const first = cues[0];
  if (first === undefined) return [];
  const out: RegExpExecArray[] = [];
  CN_CUE_RE.lastIndex = first;
  for (let m = CN_CUE_RE.exec(ctx.text); m !== null; m = CN_CUE_RE.exec(ctx.text)) out.push(m);
  return out;
}

function detectChineseHealth(ctx: RuleContext): void {
  const t = ctx.text;
  scanContextCjk(ctx, CN_LEXICON, (termStart, termEnd) => {
    let end = termEnd;
    const suffix = CN_SUFFIXES.find((w) => t.startsWith(w, end));
    if (suffix !== undefined) end += suffix.length;
    // Modifiers before the term belong to it ("原发性轻度高血压"), up to three.
    let start = termStart;
    for (let k = 0; k < 3; k++) {
      const mod = cnModifierBefore(t, start);
      if (mod === undefined) break;
      start -= mod.length;
    }
    if (CN_CONTEXT_RE.test(sentenceAround(t, start, end))) emitHealth(ctx, start, end, "health-term-zh");
  });
  for (const m of cnCueMatches(ctx)) {
    const phrase = m[1] ?? "";
    if (
      CN_WEAK_CUES.has(m[0].slice(0, m[0].length - phrase.length)) &&
      !CN_CLINICAL_BEFORE_RE.test(t.slice(Math.max(0, m.index - 12), m.index))
    )
      continue;
    // Stop at particles that end the fact ("患有高血压的病人" → 高血压).
    const cut = /^(.{2,16}?)(?:的|了|和|与|以及|所以|因此|但是|而且|已经|现在|之后|以后|一段|一直|，|$)/.exec(
      phrase,
    );
    let value = (cut?.[1] ?? phrase).trim();
    let start = m.index + m[0].length - phrase.length;
    const lead = /^(?:了|的|我|您|你|一粒|一片|一颗)+/.exec(value);
    if (lead !== null) {
      start += lead[0].length;
      value = value.slice(lead[0].length);
    }
    if (value.length >= 2 && CN_MEDICAL_CHAR_RE.test(value))
      emitHealth(ctx, start, start + value.length, "health-cue-zh");
  }
}

// A word each vital and body pattern holds, tried where the keyword scan saw one start.
export const VITAL_HINT_RE = /mmHg|bpm|mmol|mg\/dL|BMI|次\/分/;
export const BODY_HINT_RE = /体重|身高|eigh|tall/i;
const VITAL_HINT_AT = stickyHint(VITAL_HINT_RE);
const BODY_HINT_AT = stickyHint(BODY_HINT_RE);

function detectVitals(ctx: RuleContext): void {
  const t = ctx.text;
  VITALS_RE.lastIndex = 0;
  const vital = hintAtKeywords(ctx, KW.vital, VITAL_HINT_AT);
  for (let m = vital ? VITALS_RE.exec(t) : null; m !== null; m = VITALS_RE.exec(t)) {
    // The end of a range ("60-100 bpm", "60到100 bpm") is a reference range, not a reading.
    const before = t.slice(Math.max(0, m.index - 2), m.index).trim();
    if (/[-–~到至]$/.test(before)) continue;
    emitHealth(ctx, m.index, m.index + m[0].length, "health-vital");
  }
  const body = hintAtKeywords(ctx, KW.body, BODY_HINT_AT);
  for (const m of body ? execAtStarts(BODY_AT, t, bodyStarts(ctx)) : []) {
    const v = m[1] ?? "";
    const at = m.index + m[0].length - v.length;
    emitHealth(ctx, at, at + v.length, "health-body");
  }
}

/** Finds health facts (Medical Health, PL3): lexicon terms in context, cue phrases, measurements. */

export function detectHealth(ctx: RuleContext): void {
  if (ctx.digitCount > 0) detectVitals(ctx);
  if (ctx.hasCjk) detectChineseHealth(ctx);
  detectEnglishHealth(ctx);
}
