// Chinese names (people.ts): after a self or "named" cue (我叫, 名叫), a relation word (妻子, 同事) or before a
// title (先生, 医生); surname-led names, transliterated names with dots (约翰·史密斯) and Latin names glued to
// Chinese text.
import { isCjkIdeograph, type RuleContext } from "./context.js";
import { contextCjkHits, createSharedCjkLexicon, scanContextCjk } from "./lexicon-cjk.js";
import { emitName, STOP } from "./people-words.js";

// Chinese surnames by population (the most common single-character ones and the compound ones).
const CN_SURNAMES = new Set([
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦付方邹孟熊秦邱尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿焦俞柳甘祝包宁尚舒阮柯纪梅童凌毕单季裴霍涂苗谷盛翁冉骆蓝辛靳柴鲍祁蒲滕屈饶牟艾尤穆卓褚娄窦戚岑佟臧闵邬卞姬栾隋甄虞敖巩佘邝鞠荆郁胥蔺阚朴傅赖萧阎洪",
  "欧阳",
  "司马",
  "上官",
  "诸葛",
  "东方",
  "皇甫",
  "尉迟",
  "公孙",
  "慕容",
  "长孙",
  "宇文",
  "司徒",
  "夏侯",
  "令狐",
  "端木",
  "南宫",
  "申屠",
]);
// Common surnames that are also everyday words (于是, 向左, 白天, 金价, 成为): taken only right after a cue or as
// a profile's subject, never before a title on their own.
const CN_SURNAMES_AFTER_CUE = new Set([..."万于关向安成文江白石简芦金麦"]);
// Characters that end a Chinese name (particles, verbs, pronouns that follow a name).
const CN_STOP = new Set([
  ..."的地得了着过是在和与跟同及或也都就还又再才很太最说讲问告诉让叫给对向把被从到去来回见看找请要想会能已经这那哪谁他她它我你您们吗呢吧啊呀哦嗯，。！？；：、（）《》“”‘’\"' 0123456789",
]);
// The cue words are found in the one shared pass over the text (lexicon-cjk.ts) with the other families' Chinese
// terms, instead of a regex scan each; none of a list is a prefix of another, so the shared pass finds
// exactly what a regex alternation of the list finds (leftmost, non-overlapping).
const CN_TITLES = createSharedCjkLexicon(
  "先生|女士|小姐|太太|医生|大夫|老师|教授|经理|律师|主任|博士|院长|总监|师傅|阿姨|叔叔|同学|校长|护士|警官".split(
    "|",
  ),
);
// Honorifics belong to the name in the span ("王女士"); job titles do not when a given name is there.
const CN_HONORIFIC = new Set(["先生", "女士", "小姐", "太太"]);
const CN_RELATIONS =
  "男朋友|女朋友|男友|女友|前男友|前女友|伴侣|配偶|未婚夫|未婚妻|前妻|前夫|妻子|丈夫|老公|老婆|爱人|太太|儿子|女儿|父亲|母亲|爸爸|妈妈|老爸|老妈|哥哥|姐姐|弟弟|妹妹|爷爷|奶奶|外公|外婆|姥姥|姥爷|孙子|孙女|外孙|侄子|侄女|外甥|外甥女|表哥|表姐|表弟|表妹|堂哥|堂姐|堂弟|堂妹|叔叔|阿姨|舅舅|姑姑|姨妈|岳父|岳母|公公|婆婆|女婿|儿媳|同事|朋友|好友|闺蜜|室友|邻居|上司|老板|领导|下属|客户|同学|导师|学生|助理|秘书|医生|主治医生|心理医生|治疗师|律师|房东|保姆";
const CN_REL_LEXICON = createSharedCjkLexicon(CN_RELATIONS.split("|"));
const CN_SELF = createSharedCjkLexicon(
  "我叫|我的名字是|我的名字叫|我名叫|本人叫|本人是|我是|鄙人|我的姓名是|我的姓名叫|我的真实姓名是|我的真名是|我的全名是|我的中文名是|我的中文名字是|我的英文名是|我的英文名字是|本人姓名".split(
    "|",
  ),
);
const CN_NAMED = createSharedCjkLexicon("名叫|叫做|名字是|名字叫|的名字|署名|他叫|她叫".split("|"));
// After these a name must end cleanly: 叫 is also "to call" ("她叫车去机场", "他叫我别担心").
const CN_NAMED_LOOSE = new Set(["他叫", "她叫"]);
// Form labels before a name ("姓名：李明", "联系人：张三"): a name only where it ends cleanly (see cleanEnd).
// "姓名" is the speaker's own unless another person's possessive comes before it ("她的姓名").
const CN_LABELS = createSharedCjkLexicon("姓名|联系人|紧急联系人|收件人|收货人|患者".split("|"));
const CN_OWN_LABEL = new Set(["姓名"]);
const CN_OTHERS = ["他的", "她的", "其", "患者", "客户", "对方"];
const NAME_DOTS = createSharedCjkLexicon(["·", "•", "・"]);
// Characters used to transliterate foreign names (a name written 约翰·史密斯 is made of them).
const TRANSLIT =
  "阿埃艾爱安昂翰迦倩婕姆妲莉蓓瑶璐缇奥澳巴拜班邦保鲍贝本比彼毕宾滨波玻伯勃博布查达大戴丹道德登迪蒂丁东杜敦顿多朵俄厄恩尔法凡范菲斐费芬丰冯弗伏福夫富盖甘冈高戈哥格葛根贡古瓜圭哈海汉豪浩赫黑亨洪侯胡华怀霍基吉加佳贾杰捷金卡凯坎康考柯科可克肯库夸奎昆拉莱赖兰朗劳勒雷蕾黎里理丽利莉连莲林琳灵留柳隆卢鲁路露伦罗洛吕马玛迈麦曼芒梅美蒙孟米密敏明缪摩莫默姆穆纳娜奈南楠内尼妮宁纽努诺欧帕派潘庞佩彭皮珀普齐奇琪恰乔切钦琼丘热荣茹瑞若萨塞赛桑瑟森莎沙珊尚舍什施石史士丝斯松苏索塔泰坦汤唐陶特提汀廷图托瓦万旺威韦维卫温文翁沃乌伍武西希锡夏仙香谢辛欣休许雅亚扬耶叶伊依因殷英尤于宇约泽扎詹珍朱卓兹佐娅黛茜薇妮";
const IS_TRANSLIT = new Uint8Array(0x10000);
for (let k = 0; k < TRANSLIT.length; k++) IS_TRANSLIT[TRANSLIT.charCodeAt(k)] = 1;

/** Length of the run of two to four transliteration characters at `i` (greedy), or 0. */
function translitRunAt(t: string, i: number): number {
  const limit = Math.min(4, t.length - i);
  let k = 0;
  while (k < limit && IS_TRANSLIT[t.charCodeAt(i + k)] === 1) k++;
  return k >= 2 ? k : 0;
}
// Common Western given names in their standard Chinese transliteration (public facts: the usual renderings of
// frequent English, French, German, Spanish and Italian names). They are names wherever they stand, cue or
// not ("大卫在隔壁熟睡"), unless the characters after them make another word ("大卫生间" is 大 + 卫生间).
const CN_TRANSLIT_NAMES = createSharedCjkLexicon(
  (
    "大卫|约翰|玛丽|安娜|迈克尔|迈克|詹姆斯|莎拉|萨拉|艾米丽|丹尼尔|彼得|汤姆|杰克|露西|艾玛|索菲亚|奥利维亚|克里斯|保罗|" +
    "乔治|威廉|托马斯|查理|亨利|凯特|劳拉|朱莉|艾伦|伊莎贝拉|雅各布|本杰明|卢卡斯|利亚姆|诺亚|伊桑|杰西卡|詹妮弗|" +
    "丽莎|苏珊|凯瑟琳|伊丽莎白|卡洛斯|胡安|玛丽亚|何塞|路易斯|安东尼|史蒂夫|马修|安德鲁|约瑟夫|理查德|罗伯特|" +
    "詹尼|艾米|艾莉|莉莉|汉娜|格蕾丝|克洛伊|夏洛特|阿米莉亚|米娅|艾娃|奥利弗|哈利|乔舒亚|塞巴斯蒂安|亚历克斯|" +
    "皮埃尔|玛格丽特|卡特琳|弗朗索瓦|汉斯|克劳斯|沃尔夫冈|尤尔根|马可|朱塞佩|乔瓦尼|弗朗切斯卡|索菲|朱利安|" +
    "阿伦|亚当|伊恩|尼克|凯文|布莱恩|杰森|杰里米|贾斯汀|瑞恩|瑞秋|莫妮卡|梅根|米歇尔|妮可|娜塔莉|丽贝卡|维克多|" +
    "肖恩|卢克|雷蒙德|哈里森|埃里克|埃文|爱德华|道格拉斯|科林|克莱尔|克里斯蒂娜|凯莉|安迪|爱丽丝|艾丽斯|黛安娜|" +
    "艾琳|菲奥娜|海伦|珍妮|琳达|露易丝|南希|帕特里克|蕾切尔|萨曼莎|斯蒂芬|特蕾莎|瓦妮莎|温迪|佐伊"
  ).split("|"),
);
// Characters after a listed name that make it part of another word, per name (大卫 + 生).
const CN_TRANSLIT_NOT_BEFORE: ReadonlyMap<string, string> = new Map([
  ["大卫", "生星"],
  ["尼克", "松"],
]);

/**
 * The end of a listed transliterated name at [start, end), or -1 where it is part of something else: a longer
 * transliteration before or after it ("约翰内斯堡" is Johannesburg, "萨拉曼卡" Salamanca), or another word.
 */
function translitNameEnd(t: string, start: number, end: number): number {
  const not = CN_TRANSLIT_NOT_BEFORE.get(t.slice(start, end));
  if (not !== undefined && not.includes(t.charAt(end))) return -1;
  if (start > 0 && IS_TRANSLIT[t.charCodeAt(start - 1)] === 1) return -1;
  if (IS_TRANSLIT[t.charCodeAt(end)] === 1 && IS_TRANSLIT[t.charCodeAt(end + 1)] === 1) return -1;
  return end;
}
const CJK_RUN_DOT_RE = new RegExp(`[${TRANSLIT}]{1,5}(?:[·•・][${TRANSLIT}]{1,5}){1,3}`, "g");
// Words a dotted name's run can swallow: 于 ending 关于 / 对于 / 由于… before it, 本 opening 本人 ("himself") after it.
const YU_WORD_FIRST = "关对由属至等鉴";

function isNameDot(c: string): boolean {
  return c === "·" || c === "•" || c === "・";
}

/** The dotted name matched at [start, end) without a word of the text around it glued on, or undefined. */
function dottedName(t: string, start: number, end: number): [number, number] | undefined {
  let s = start;
  let e = end;
  if (s > 0 && t.charAt(s) === "于" && YU_WORD_FIRST.includes(t.charAt(s - 1))) s++;
  if (t.charAt(e - 1) === "本" && t.charAt(e) === "人") e--;
  return isNameDot(t.charAt(s)) || isNameDot(t.charAt(e - 1)) ? undefined : [s, e];
}
// The same, anchored where a cue ends (its own regex: the global one's lastIndex must not carry over).
const CJK_DOT_AT_RE = new RegExp(CJK_RUN_DOT_RE.source, "y");

// The stop characters and the surnames by code unit (a one-character string per test costs an allocation for
// every Chinese character looked at): a surname of one unit, and the first unit of a compound one.
const STOP_UNIT = 1;
const SURNAME_UNIT = 2;
const COMPOUND_FIRST = 4;
const CUE_SURNAME_UNIT = 8;
const UNIT_BITS = new Uint8Array(0x10000);
for (const ch of CN_STOP) UNIT_BITS[ch.charCodeAt(0)] = (UNIT_BITS[ch.charCodeAt(0)] as number) | STOP_UNIT;
for (const name of CN_SURNAMES) {
  const c = name.charCodeAt(0);
  UNIT_BITS[c] = (UNIT_BITS[c] as number) | (name.length === 1 ? SURNAME_UNIT : COMPOUND_FIRST);
}
for (const name of CN_SURNAMES_AFTER_CUE)
  UNIT_BITS[name.charCodeAt(0)] = (UNIT_BITS[name.charCodeAt(0)] as number) | CUE_SURNAME_UNIT;

/** True when the unit at `i` is one of CN_STOP (false past the end). */
function isStopAt(t: string, i: number): boolean {
  return ((UNIT_BITS[t.charCodeAt(i)] ?? 0) & STOP_UNIT) !== 0;
}

function hasStopChar(t: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (isStopAt(t, k)) return true;
  return false;
}

/**
 * Length of a surname starting at `i` (2 for compound ones), or 0; `afterCue` takes the surnames that are also
 * words ({@link CN_SURNAMES_AFTER_CUE}) too.
 */
function surnameAt(t: string, i: number, afterCue = false): number {
  const bits = UNIT_BITS[t.charCodeAt(i)] ?? 0;
  if ((bits & COMPOUND_FIRST) !== 0 && CN_SURNAMES.has(t.slice(i, i + 2))) return 2;
  return (bits & SURNAME_UNIT) !== 0 || (afterCue && (bits & CUE_SURNAME_UNIT) !== 0) ? 1 : 0;
}

// Words that often follow a name: time words ("王明明天来" is 王明 + 明天) and the verbs and adverbs a sentence
// goes on with ("张伟住在北京", "李娜喜欢…", "王芳最近…"). A name stops before them; each starts with a unit that
// given names rarely hold as their last one.
const CN_AFTER_NAME = [
  // 正 and 可 are given-name characters too (熊正豪, 李可欣): they end a name only as 正在, 可以….
  "正在",
  "正要",
  "正准备",
  "正打算",
  "可以",
  "可能",
  "可是",
  "明天",
  "今天",
  "昨天",
  "后天",
  "前天",
  "上午",
  "下午",
  "晚上",
  "早上",
  "中午",
  "今晚",
  "明早",
  "今年",
  "去年",
  "住在",
  "住院",
  "喜欢",
  "觉得",
  "认为",
  "知道",
  "希望",
  "打算",
  "打电话",
  "最近",
  "经常",
  "一直",
  "一起",
  "刚刚",
  "刚才",
  "平时",
  "每天",
  "工作",
  "上班",
  "毕业",
  "结婚",
  "离婚",
  "生病",
  "出生",
];
// The first units of CN_AFTER_NAME: most characters start none of its words, and are not compared with each.
const AFTER_NAME_FIRST = new Set(CN_AFTER_NAME.map((w) => w.charCodeAt(0)));

/** True when one of CN_AFTER_NAME starts at `i`. */
function afterNameAt(t: string, i: number): boolean {
  if (!AFTER_NAME_FIRST.has(t.charCodeAt(i))) return false;
  for (const w of CN_AFTER_NAME) if (t.startsWith(w, i)) return true;
  return false;
}

// Words before a title that start with a surname's unit but name no one ("高中老师", "任课老师").
const CN_NOT_NAMES = ["高中", "高一", "高二", "高三", "高级", "高等", "任课"];

/**
 * A surname-led Chinese name at `i`, right after a cue or opening a profile: the surname and one or two more
 * characters (until a stop char).
 */
function cnNameAt(t: string, i: number): number {
  const s = surnameAt(t, i, true);
  if (s === 0) return 0;
  let j = i + s;
  while (
    j < t.length &&
    j - i - s < 2 &&
    isCjkIdeograph(t.charCodeAt(j)) &&
    !isStopAt(t, j) &&
    !afterNameAt(t, j)
  )
    j++;
  return j - i - s >= 1 ? j - i : 0;
}

/** A Latin-script name run glued to Chinese text at `i` ("Marie", "Ji-young Kim"): its end, or `i`. */
function latinNameAt(t: string, i: number): number {
  // A Chinese character is no capital letter: most cues are followed by one.
  const c = t.charCodeAt(i);
  if (c >= 0x3400 && c <= 0x9fff) return i;
  const m = /^\p{Lu}\p{Ll}+(?:[- ]\p{Lu}?\p{Ll}+){0,2}/u.exec(t.slice(i, i + 40));
  if (m === null || STOP.has(m[0])) return i;
  return i + m[0].length;
}

/**
 * True when a name found at [start, end) ends cleanly: at the end of the text, before punctuation or a space,
 * or before a unit that ends a name. A name after "是" or a form label must ("我的爸爸是高中老师" holds no name:
 * 高中老 runs on into 师).
 */
function cleanEnd(t: string, end: number): boolean {
  if (end >= t.length) return true;
  const c = t.charCodeAt(end);
  return !isCjkIdeograph(c) || isStopAt(t, end) || afterNameAt(t, end);
}

/** True at the end of the text or before a space or a punctuation mark. */
function endsClause(t: string, end: number): boolean {
  return end >= t.length || "，。、；：,.;: ！？!?）)".includes(t.charAt(end));
}

/** Past one separator between a cue and a name ("是", "叫", a colon) and the spaces around it, or `at`. */
function pastSeparator(t: string, at: number): number {
  let k = at;
  while (t.charAt(k) === " ") k++;
  const c = t.charAt(k);
  if (c !== "是" && c !== "叫" && c !== "：" && c !== ":") return at;
  k++;
  while (t.charAt(k) === " ") k++;
  return k;
}

/** A name right after a cue at `i`: surname-led, transliterated with dots, or Latin. Returns its end. */
function nameAfterCue(t: string, i: number, dots: boolean): number {
  const window = dots ? t.slice(i, i + 30) : "";
  if (dots && (window.includes("·") || window.includes("•") || window.includes("・"))) {
    CJK_DOT_AT_RE.lastIndex = 0;
    const dotted = CJK_DOT_AT_RE.exec(window);
    const name = dotted === null ? undefined : dottedName(t, i, i + dotted[0].length);
    if (name !== undefined && name[0] === i) return name[1];
  }
  // A transliterated name without dots after a relation word ("朋友大卫，"), two to four characters.
  const plain = translitRunAt(t, i);
  if (plain > 0 && cleanEnd(t, i + plain)) return i + plain;
  const latin = latinNameAt(t, i);
  if (latin > i) return latin;
  const n = cnNameAt(t, i);
  return i + n;
}

// A profile's subject: a name opening a clause, then its sex ("张伟，男，", "陈静（女，") or its age ("李明今年32岁",
// "欧阳娜娜，29岁"). The sex must stand alone: "，男生", "，女儿" are no profile.
const CN_PROFILE_CUES = createSharedCjkLexicon([
  "，男",
  "，女",
  ",男",
  ",女",
  "（男",
  "（女",
  "(男",
  "(女",
  "岁",
]);
// Punctuation, brackets, a line break or a space: what may stand before a profile's name and after its sex mark.
const CLAUSE_MARKS = "，。；：、！？,.;:!?（()）\n ";

/** Start of a surname-led name that opens a clause and ends at `end`, or -1 (the longest such name). */
function nameEndingAt(t: string, end: number): number {
  for (let s = Math.max(0, end - 4); s <= end - 2; s++)
    if ((s === 0 || CLAUSE_MARKS.includes(t.charAt(s - 1))) && cnNameAt(t, s) === end - s) return s;
  return -1;
}

/** The [start, end) of the name before a profile cue at [cue, cueEnd): before the sex mark, or the age's number. */
function profileName(t: string, cue: number, cueEnd: number): [number, number] | undefined {
  if (cueEnd - cue === 2) {
    const next = t.charAt(cueEnd);
    if (cueEnd < t.length && !CLAUSE_MARKS.includes(next)) return undefined;
    const start = nameEndingAt(t, cue);
    return start < 0 ? undefined : [start, cue];
  }
  let k = cue;
  while (k > 0 && cue - k < 3 && t.charCodeAt(k - 1) >= 48 && t.charCodeAt(k - 1) <= 57) k--;
  if (k === cue || (k > 0 && t.charCodeAt(k - 1) >= 48 && t.charCodeAt(k - 1) <= 57)) return undefined;
  if (t.startsWith("今年", k - 2)) k -= 2;
  else if ("，,（( ".includes(t.charAt(k - 1))) k -= 1;
  const start = nameEndingAt(t, k);
  return start < 0 ? undefined : [start, k];
}

/** Chinese names (see the module comment). */
export function detectChineseNames(ctx: RuleContext, own: ReadonlySet<string>): void {
  const t = ctx.text;
  const dots = contextCjkHits(ctx, NAME_DOTS).length > 0;
  // Self cues first: a dotted name after one is the speaker's ("我的真实姓名是约翰·史密斯"), and the first
  // rule to claim a range keeps it.
  scanContextCjk(ctx, CN_SELF, (_, at) => {
    const end = nameAfterCue(t, at, dots);
    if (end > at) emitName(ctx, at, end, "Real Name", "name-zh-self");
  });
  CJK_RUN_DOT_RE.lastIndex = 0;
  for (const m of dots ? t.matchAll(CJK_RUN_DOT_RE) : []) {
    const name = dottedName(t, m.index, m.index + m[0].length);
    if (name !== undefined)
      emitName(ctx, name[0], name[1], "Third-Party Identifiable Info", "name-zh-dotted");
  }
  scanContextCjk(ctx, CN_NAMED, (cue, cueEnd) => {
    let at = cueEnd;
    while (at < t.length && (t.charAt(at) === " " || t.charAt(at) === "是" || t.charAt(at) === "：")) at++;
    if (t.slice(cue - 1, cue) === "我" || t.slice(cue - 2, cue) === "我的") return;
    const end = nameAfterCue(t, at, dots);
    if (CN_NAMED_LOOSE.has(t.slice(cue, cueEnd)) && !endsClause(t, end)) return;
    if (end > at && !own.has(t.slice(at, end)))
      emitName(ctx, at, end, "Third-Party Identifiable Info", "name-zh-named");
  });
  scanContextCjk(ctx, CN_REL_LEXICON, (relStart, relEnd) => {
    // 于 glued to the word is the preposition ("朋友于2020年", "标准下属于" is 下 + 属于), not a surname.
    if (t.charAt(relEnd) === "于") return;
    let at = relEnd;
    while (at < t.length && (t.charAt(at) === " " || t.charAt(at) === "，" || t.charAt(at) === ",")) at++;
    const end = nameAfterCue(t, at, dots);
    if (end > at) {
      emitName(ctx, relStart, end, "Relationship Info", "name-zh-relation");
      return;
    }
    // "妻子叫刘丽", "主治医生是王建国", "主治医生：王建国": the name alone (the separator is not private).
    const from = pastSeparator(t, relEnd);
    if (from === relEnd) return;
    const named = nameAfterCue(t, from, dots);
    if (named > from && (t.charAt(from - 1) === "叫" || cleanEnd(t, named)))
      emitName(ctx, from, named, "Relationship Info", "name-zh-relation");
  });
  scanContextCjk(ctx, CN_LABELS, (labelStart, labelEnd) => {
    // Without a separator ("患者王秀兰，女") the name must be followed by punctuation, a space or the end.
    const from = pastSeparator(t, labelEnd);
    const end = nameAfterCue(t, from, dots);
    if (end <= from || !(from === labelEnd ? endsClause(t, end) : cleanEnd(t, end))) return;
    const label = t.slice(labelStart, labelEnd);
    const others = CN_OTHERS.some((w) => t.startsWith(w, labelStart - w.length));
    const own = CN_OWN_LABEL.has(label) && !others;
    emitName(ctx, from, end, own ? "Real Name" : "Third-Party Identifiable Info", "name-zh-label");
  });
  scanContextCjk(ctx, CN_PROFILE_CUES, (cue, cueEnd) => {
    const name = profileName(t, cue, cueEnd);
    if (name !== undefined && !own.has(t.slice(name[0], name[1])))
      emitName(ctx, name[0], name[1], "Third-Party Identifiable Info", "name-zh-profile");
  });
  scanContextCjk(ctx, CN_TRANSLIT_NAMES, (start, end) => {
    const e = translitNameEnd(t, start, end);
    if (e > start && !own.has(t.slice(start, e)))
      emitName(ctx, start, e, "Third-Party Identifiable Info", "name-zh-translit");
  });
  scanContextCjk(ctx, CN_TITLES, (at, titleEnd) => {
    const honorific = CN_HONORIFIC.has(t.slice(at, titleEnd));
    // A Latin name ends just before the title (or one space before it): "Marie女士".
    const k = t.charAt(at - 1) === " " ? at - 2 : at - 1;
    const glued = k >= 0 ? t.charAt(k) : "";
    const latin = !/[a-z]/.test(glued)
      ? null
      : /(\p{Lu}\p{Ll}+(?:[- ]\p{Lu}\p{Ll}+){0,2}) ?$/u.exec(t.slice(Math.max(0, at - 30), at));
    if (latin?.[1] !== undefined && !STOP.has(latin[1])) {
      if (latin[1].split(/[- ]/).every((w) => own.has(w))) return;
      const start = at - latin[0].length;
      emitName(
        ctx,
        start,
        honorific ? titleEnd : start + latin[1].length,
        "Third-Party Identifiable Info",
        "name-zh-title",
      );
      return;
    }
    // The earliest surname within three characters before the title ("韩雪梅医生", "王医生"); one that is also a
    // word (金, 白) only before an honorific and a given name ("金智英女士", not "明白先生").
    let start = -1;
    for (let k = Math.max(0, at - 3); k < at; k++) {
      const cued = honorific && at - k >= 2;
      if (
        surnameAt(t, k, cued) > 0 &&
        !hasStopChar(t, k, at) &&
        !CN_NOT_NAMES.some((w) => t.startsWith(w, k))
      ) {
        start = k;
        break;
      }
    }
    if (start < 0) return;
    const short = at - start <= surnameAt(t, start);
    const end = honorific || short ? titleEnd : at;
    emitName(ctx, start, end, "Third-Party Identifiable Info", "name-zh-title");
  });
}
