// Who someone is, with context: dates of birth after a birth cue (Specific Date of Birth, PL2), job titles
// after "as a", "I work as", 作为一名, 我是一名 (Job Title/Rank, PL2), and religion, political stance and
// ethnic or national origin said of oneself (Sensitive Identity, PL3). Only the title or the identity word
// is taken, never the sentence; a word alone, without its cue, is not taken.
import { emit, type RuleContext } from "./context.js";
import { hintAtKeywords, KW, stickyHint } from "./keywords.js";
import { contextCjkHits, createSharedCjkLexicon, scanContextCjk } from "./lexicon-cjk.js";
import { createSharedWordLexicon, scanContextWords } from "./lexicon.js";

// Dates after a birth cue: 1957-10-24, 24/10/1957, 24 October 1957, October 24, 1957, 1957年10月24日.
const DOB_RE =
  /(?:date\s+of\s+birth|birth\s?date|birthday|born\s+on|born|DOB|d\.o\.b\.|出生日期|出生于|出生在|生日|生于|Geburtsdatum|geboren\s+am|né\s+le|née\s+le|date\s+de\s+naissance|fecha\s+de\s+nacimiento|nacido\s+el|nacida\s+el|data\s+di\s+nascita|nato\s+il|nata\s+il|data\s+de\s+nascimento|geboortedatum|data\s+urodzenia)(?:\s*(?:is|was|:|：|是|为|of))?\s*[:：]?\s*((?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)|(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{4})|(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4})|(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}))/dgi;
export const DOB_HINT_RE =
  /birth|born|DOB|d\.o\.b|出生|生日|生于|geboren|geburt|né|née|naissance|nacimiento|nacid|nascita|nascimento|nato|nata|geboorte|urodzenia/i;
const DOB_HINT_AT = stickyHint(DOB_HINT_RE);

// Job nouns (English, lower case): a title is up to three words before one of them ("senior data scientist").
const EN_JOBS = `engineer developer programmer scientist researcher writer author editor journalist reporter teacher
lecturer professor tutor student nurse doctor physician surgeon dentist pharmacist therapist psychologist
psychiatrist counsellor counselor lawyer attorney solicitor barrister judge paralegal accountant auditor analyst
consultant manager director executive officer administrator coordinator specialist assistant secretary receptionist
designer architect artist musician photographer filmmaker producer actor actress chef cook baker waiter waitress
bartender pilot driver mechanic electrician plumber carpenter technician farmer scientist economist banker trader
broker librarian archivist curator historian translator interpreter entrepreneur founder ceo cto cfo intern
freelancer contractor officer soldier firefighter paramedic veterinarian vet caregiver nanny cleaner
salesperson recruiter marketer strategist planner surveyor geologist biologist chemist physicist mathematician
statistician astronomer ecologist engineer`;
// An age may stand between the cue and the title: "I'm a 34-year-old nurse".
const EN_JOB_CUE_RE =
  /(?:\bas\s+(?:a|an|the)|\bi\s+(?:am|was)\s+(?:a|an)|\bi'm\s+(?:a|an)|\bwork(?:s|ed|ing)?\s+as\s+(?:a|an)?|\bjob\s+as\s+(?:a|an)?|\bcareer\s+as\s+(?:a|an)?|\bposition\s+as\s+(?:a|an)?|\brole\s+as\s+(?:a|an)?)\s+(?:\d{1,3}[- ]years?[- ]old\s+)?$/i;
// "I'm Chioma, 29, a pharmacist", "I am Tom Reyes, a senior nurse": the speaker's name (capitalised, so case
// matters here), perhaps an age, then the job.
const EN_JOB_APPOSITIVE_RE =
  /\b[Ii](?:\s+am|'m|’m)\s+\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,2},\s+(?:\d{1,3},\s+)?an?\s+$/u;

function jobCueBefore(t: string, at: number): boolean {
  return (
    EN_JOB_CUE_RE.test(t.slice(Math.max(0, at - 40), at)) ||
    EN_JOB_APPOSITIVE_RE.test(t.slice(Math.max(0, at - 64), at))
  );
}
// Words that may stand in a title before its noun ("Senior Research Scientist", "lead technical writer").
const TITLE_WORD_RE = /^[A-Za-z][A-Za-z-]{1,20}$/;
// Nor may an intensifier: "serves as a much cleaner coping mechanism" holds no job.
const NOT_TITLE_WORDS = new Set(
  "a an the as my your his her their our good great bad real very much far more less even so too quite rather pretty really most least".split(
    " ",
  ),
);

// Chinese: 作为(一名|一位)X, 我是(一名|一位)X, 是一名X, 职业是X, 职业：X, 担任X — X ends with a job suffix.
const CN_JOB_CUES = "作为|身为|我是|她是|他是|是一名|职业是|职业为|职业：|职业:|工作是|担任|任职";
export const CN_JOB_CUE_RE = new RegExp(`(?:${CN_JOB_CUES})(?:一名|一位|一个|名|位)?`, "g");
const CN_JOB_CUE_AT = new RegExp(CN_JOB_CUE_RE.source, "y");
// The cue words, found in the shared Chinese pass. No two start with the same unit and none starts with a unit
// of the counters after them, so the pattern's matches start exactly at these words.
const CN_JOB_CUE_WORDS = createSharedCjkLexicon(CN_JOB_CUES.split("|"));

/** The matches of {@link CN_JOB_CUE_RE} in the context's text, from the shared pass (exported for the equivalence test). */
export function cnJobCueMatches(ctx: RuleContext): RegExpExecArray[] {
  const hits = contextCjkHits(ctx, CN_JOB_CUE_WORDS);
  const out: RegExpExecArray[] = [];
  for (let k = 0; k + 1 < hits.length; k += 2) {
    CN_JOB_CUE_AT.lastIndex = hits[k] as number;
    const m = CN_JOB_CUE_AT.exec(ctx.text);
    if (m !== null) out.push(m);
  }
  return out;
}
const CN_POSSESSIVE_RE = /^[你您我他她它]们?的/;
const CN_JOB_SUFFIX_RE =
  /^[\u4e00-\u9fff]{0,8}?(?:工作者|新闻人|记者|主编|编辑|教授|副教授|讲师|研究员|教师|老师|医生|护士|律师|法官|工程师|程序员|设计师|建筑师|会计师|会计|分析师|顾问|经理|总监|主管|经理人|科学家|物理学家|化学家|生物学家|心理学家|学家|作家|诗人|画家|艺术家|音乐家|摄影师|厨师|司机|飞行员|警察|军人|学生|研究生|博士生|创作者|创业者|企业家|银行家|高管|公务员|店主|农民|译者|翻译)/;

// Religion, political stance, origin (lower case): taken when said of someone ("I'm Catholic", 我是穆斯林).
const EN_IDENTITY =
  "catholic|protestant|christian|orthodox christian|evangelical|mormon|muslim|sunni|shia|jewish|hindu|buddhist|sikh|jain|atheist|agnostic|secular humanist|pagan|democrat|republican|conservative|liberal|progressive|socialist|democratic socialist|communist|libertarian|centrist|left-leaning independent|feminist";
const EN_IDENTITY_CUE_RE =
  /(?:\bi\s+am|\bi'm|\bi’m|\bi\s+identify\s+as|\bi\s+consider\s+myself|\bas\s+an?|\bwe\s+are|\bmy\s+family\s+is|\bi\s+was\s+raised)\s+(?:(?:a|an|practicing|practising|devout|lifelong|strict|committed|staunch|proud)\s+)*$/i;
const IDENTITY_TERMS = EN_IDENTITY.split("|");
const JOB_TERMS = EN_JOBS.split(/\s+/).filter((w) => w !== "");
// One scan for both lists; a match is a job noun or an identity term by its text.
const EN_LEXICON = createSharedWordLexicon([...JOB_TERMS, ...IDENTITY_TERMS]);
const IDENTITY_SET = new Set(IDENTITY_TERMS);
const JOB_SET = new Set(JOB_TERMS);
// Every job cue holds one of these (a cheap test before the anchored cue regex).
const JOB_CUE_HINT_RE = /\bas\b|\bi am\b|i'm|\bwork|\bjob\b|career|position|\brole\b/i;
const CN_IDENTITY = createSharedCjkLexicon([
  ..."天主教徒 基督徒 基督教徒 新教徒 东正教徒 穆斯林 伊斯兰教徒 佛教徒 道教徒 印度教徒 犹太教徒 锡克教徒 无神论者 不可知论者 世俗主义者 无宗教信仰者 共产党员 民主党人 共和党人 保守派 自由派 左翼 右翼 中左翼 中右翼 中间派 进步派 社会主义者 自由主义者 保守主义者 环保主义者 女权主义者 少数民族 穆斯林 非洲裔 拉美裔 亚裔 南亚裔 北非裔 华裔".split(
    " ",
  ),
]);
const CN_IDENTITY_CONTEXT_RE = /我|您|你|他|她|信仰|作为|身为|认同|立场|出身/;

function emitIfFree(
  ctx: RuleContext,
  start: number,
  end: number,
  type: string,
  level: "PL2" | "PL3",
  rule: string,
): void {
  if (end > start) emit(ctx, start, end, type, level, rule);
}

function detectBirthDates(ctx: RuleContext): void {
  const t = ctx.text;
  // Every date form holds a run of four digits (the year): most texts have none, and the hint costs a scan.
  if (ctx.maxDigitRun < 4 || !hintAtKeywords(ctx, KW.birth, DOB_HINT_AT)) return;
  DOB_RE.lastIndex = 0;
  for (let m = DOB_RE.exec(t); m !== null; m = DOB_RE.exec(t)) {
    const idx = m.indices?.[1];
    // A year before 1900 is history: nobody born then is alive ("Born on May 5, 1818, in Trier").
    if (idx !== undefined && Number(/\d{4}/.exec(m[1] ?? "")?.[0]) >= 1900)
      emitIfFree(ctx, idx[0], idx[1], "Specific Date of Birth", "PL2", "birth-date");
  }
}

function englishJob(ctx: RuleContext, nounStart: number, nounEnd: number): void {
  const t = ctx.text;
  if (!JOB_CUE_HINT_RE.test(t.slice(Math.max(0, nounStart - 64), nounStart))) return;
  // Up to three title words before the noun, then the cue.
  let start = nounStart;
  for (let k = 0; k < 3; k++) {
    if (jobCueBefore(t, start)) break;
    const m = /([A-Za-z][A-Za-z-]*) $/.exec(t.slice(Math.max(0, start - 24), start));
    const w = m?.[1];
    if (m === null || w === undefined || !TITLE_WORD_RE.test(w) || NOT_TITLE_WORDS.has(w.toLowerCase()))
      break;
    start -= m[0].length;
  }
  if (jobCueBefore(t, start)) emitIfFree(ctx, start, nounEnd, "Job Title/Rank", "PL2", "job-title");
}

function englishIdentity(ctx: RuleContext, start: number, end: number): void {
  if (EN_IDENTITY_CUE_RE.test(ctx.text.slice(Math.max(0, start - 48), start)))
    emitIfFree(ctx, start, end, "Sensitive Identity", "PL3", "identity");
}

function detectEnglishProfile(ctx: RuleContext): void {
  const t = ctx.text;
  scanContextWords(ctx, EN_LEXICON, (start, end) => {
    const term = t.slice(start, end).toLowerCase().replace(/-/g, " ");
    if (IDENTITY_SET.has(term) || IDENTITY_SET.has(t.slice(start, end).toLowerCase()))
      englishIdentity(ctx, start, end);
    else if (JOB_SET.has(term)) englishJob(ctx, start, end);
  });
}

function detectChineseJobs(ctx: RuleContext): void {
  const t = ctx.text;
  for (const m of cnJobCueMatches(ctx)) {
    const at = m.index + m[0].length;
    const job = CN_JOB_SUFFIX_RE.exec(t.slice(at, at + 16));
    if (job === null) continue;
    // A role towards someone ("作为你的顾问", "他是我的老师") is no job of the person's; the title starts after
    // the last 的 of an adjective before it ("严谨的物理学家").
    if (CN_POSSESSIVE_RE.test(job[0])) continue;
    const start = at + job[0].lastIndexOf("的") + 1;
    emitIfFree(ctx, start, at + job[0].length, "Job Title/Rank", "PL2", "job-title-zh");
  }
}

function detectChineseIdentities(ctx: RuleContext): void {
  const t = ctx.text;
  scanContextCjk(ctx, CN_IDENTITY, (start, end) => {
    if (CN_IDENTITY_CONTEXT_RE.test(t.slice(Math.max(0, start - 12), start)))
      emitIfFree(ctx, start, end, "Sensitive Identity", "PL3", "identity-zh");
  });
}

/** Finds dates of birth, job titles (PL2) and religion / politics / origin said of someone (PL3). */
export function detectProfile(ctx: RuleContext): void {
  detectBirthDates(ctx);
  detectEnglishProfile(ctx);
  if (ctx.hasCjk) {
    detectChineseJobs(ctx);
    detectChineseIdentities(ctx);
  }
}
