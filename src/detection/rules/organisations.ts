// Where someone studies or works, said with a cue: a school or university after "studied at", "graduated
// from", "a student at", 毕业于, 就读于, 在…读书 (School, PL2), and an employer after "I work at / for", "employed
// by", "my employer, …", a job title found with its cue ("a nurse at …"), 就职于, 在…工作 (Employer/Company Name,
// PL2). Only the institution's name is taken; a name without its cue (a university in the news, a company named
// in passing) is not.
import { emit, type RuleContext } from "./context.js";
import { hasKeyword, keywordStarts, KW } from "./keywords.js";

// A Latin-script institution's name: "University of Bath", "Sapienza University of Rome", "King's College
// London", "Imperial College", "Massachusetts Institute of Technology".
// A full stop only after a listed abbreviation, before another capitalised word ("St. Andrews"): a sentence's end
// is not the name's ("… at the Australian Antarctic Division. I'm …", "… at IBM. Then …").
const NAME_WORD = String.raw`(?:(?:St|Ste|Mt|Ft|Pt|Dr|Jr|Sr)\.(?=\s\p{Lu})|\p{Lu}[\p{L}'’&-]*)`;
const SCHOOL_NAME = String.raw`(?:${NAME_WORD}\s){0,3}(?:University|College|Institute|Polytechnic|Academy|School)(?:\sof(?:\s${NAME_WORD}){1,3}|(?:\s${NAME_WORD}){0,1})|University\sof(?:\s${NAME_WORD}){1,3}`;
const EN_SCHOOL_RE = new RegExp(
  String.raw`\b(?:stud(?:y|ied|ying|ies)|graduated|graduate|alumn(?:us|a|i)|enrolled|attend(?:ed|ing|s)?|student|degree|PhD|doctorate|master'?s|bachelor'?s|professor|lecturer|postdoc|researcher)\b[^.!?\n]{0,40}?\b(?:at|from|in)\s(?:the\s)?(${SCHOOL_NAME})`,
  "gdu",
);
// "I work at Cipherpost Media LLC", "I've been employed by FinTech Solutions Ltd": one to four capitalised words
// ("I work with Anna" names a colleague, not an employer: "with" is no cue).
const ORG_NAME = String.raw`${NAME_WORD}(?:\s(?:${NAME_WORD}|of|&|and|de|für)){0,3}(?:,?\s(?:Ltd|LLC|Inc|GmbH|AG|plc|S\.A\.|SA|BV|Corp|Co)\.?)?`;
const EN_EMPLOYER_RE = new RegExp(
  String.raw`\b(?:I|I've|I’ve|I'm|I’m|we|we're|we’re)\s(?:(?:still|now|currently|also|have|had|been|used\sto)\s){0,3}(?:work|worked|working|employed|interning|interned|joined)\s(?:at|for|by)\s(?:the\s)?(${ORG_NAME})`,
  "gdu",
);
// "my employer, FinTech Solutions Ltd", "My company is Cipherpost Media LLC", a form's "Employer: …": tried at
// the keyword scan's starts of the word (NAMED_EMPLOYER_AT), with "my" / "our" or a line's start before it.
const NAMED_EMPLOYER_AT = new RegExp(
  String.raw`(?:[Ee]mployer|[Cc]ompany|[Ww]orkplace)(?:\s(?:is|was)|,|\s?:)\s(?:the\s)?(${ORG_NAME})`,
  "dyu",
);
const OWNER_BEFORE_RE = /(?:^|[^\p{L}])(?:my|our)\s$/iu;
const LINE_START_BEFORE_RE = /(?:^|\n)[ \t]*$/;
// A company's suffix after one of its words ends its name ("FinTech Solutions Ltd. No answer." is "… Ltd").
const SUFFIX_END_RE = /^.+?\s(?:Ltd|LLC|Inc|GmbH|AG|plc|S\.A\.|SA|BV|Corp|Co)(?![\p{L}])/u;
// An employer after a job title the profile rules found with its cue ("As a Senior Technical Writer at …").
const AFTER_JOB_AT = new RegExp(String.raw`\s(?:at|for)\s(?:the\s)?(${ORG_NAME})`, "dyu");
// Capitalised words after "work at" that name no employer ("I work at Home", "at Night").
const NOT_ORG = new Set(
  "Home Night Weekends Weekend Christmas Easter Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December The This That It I".split(
    " ",
  ),
);

// Chinese: a school (…大学, …学院, …中学, …小学, …高中) after 毕业于 / 就读于 / 考上 / 考入, or after 在 with 读书 / 上学 /
// 念书 / 读研 / 读博 / 任教 / 教书 / 工作 / 上班 / 实验室 soon after it; an employer (…公司, …集团, …银行, …研究院,
// …事务所) after 就职于 / 任职于 / 供职于 / 入职, or after 在 with 工作 / 上班 / 任职 / 实习 soon after it. The name
// holds no 在 / 的 / 了 / 和 / 与 ("现在在肯特大学…" is 肯特大学, "在英国的肯特大学" is 肯特大学).
const ZH_NAME = "(?:(?![在的了和与])[\\u4e00-\\u9fff]){2,10}?";
const ZH_ORG_NAME = "(?:(?![在的了和与])[\\u4e00-\\u9fffA-Za-z]){2,14}?";
const ZH_SCHOOLS = "(?:大学|学院|中学|小学|高中)";
const ZH_EMPLOYERS = "(?:有限公司|公司|集团|银行|研究院|研究所|事务所)";
const ZH_SCHOOL_CUED_RE = new RegExp(`(?:毕业于|就读于|考上了|考上|考入)(${ZH_NAME}${ZH_SCHOOLS})`, "gd");
const ZH_SCHOOL_AT_RE = new RegExp(
  `在(${ZH_NAME}${ZH_SCHOOLS})(?=[\\u4e00-\\u9fff]{0,8}?(?:读书|上学|念书|读研|读博|读本科|任教|教书|工作|上班|实验室))`,
  "gd",
);
const ZH_EMPLOYER_CUED_RE = new RegExp(`(?:就职于|任职于|供职于|入职)(${ZH_ORG_NAME}${ZH_EMPLOYERS})`, "gd");
const ZH_EMPLOYER_AT_RE = new RegExp(
  `在(${ZH_ORG_NAME}${ZH_EMPLOYERS})(?=[\\u4e00-\\u9fff]{0,4}?(?:工作|上班|任职|实习))`,
  "gd",
);

function emitGroup(ctx: RuleContext, m: RegExpExecArray, type: string, rule: string): void {
  const at = m.indices?.[1];
  if (at !== undefined) emit(ctx, at[0], at[1], type, "PL2", rule);
}

/**
 * An employer's name as matched, cut after a company's suffix; none when it opens with a word of NOT_ORG ("I work
 * at Home", "at Night").
 */
function emitEmployer(ctx: RuleContext, m: RegExpExecArray, rule: string): void {
  const at = m.indices?.[1];
  if (at === undefined || NOT_ORG.has((m[1] ?? "").split(/\s/)[0] ?? "")) return;
  const suffix = SUFFIX_END_RE.exec(ctx.text.slice(at[0], at[1]));
  emit(ctx, at[0], suffix === null ? at[1] : at[0] + suffix[0].length, "Employer/Company Name", "PL2", rule);
}

/** Employers right after the job titles found so far ("… Technical Writer at FinTech Solutions Ltd"). */
function employersAfterJobs(ctx: RuleContext): void {
  const t = ctx.text;
  // The ends first: emitting appends to ctx.out.
  const ends: number[] = [];
  for (const span of ctx.out) if (span.type === "Job Title/Rank") ends.push(span.end);
  for (const end of ends) {
    AFTER_JOB_AT.lastIndex = end;
    const m = AFTER_JOB_AT.exec(t);
    if (m !== null) emitEmployer(ctx, m, "employer-job");
  }
}

// Each pattern with its type, its rule, its script (Latin patterns need a capital, Chinese ones CJK) and its gate.
const PASSES: readonly (readonly [RegExp, string, string, "latin" | "zh", number])[] = [
  [EN_SCHOOL_RE, "School", "school", "latin", KW.school],
  [EN_EMPLOYER_RE, "Employer/Company Name", "employer", "latin", KW.employer],
  [ZH_SCHOOL_CUED_RE, "School", "school-zh", "zh", KW.school],
  [ZH_SCHOOL_AT_RE, "School", "school-zh", "zh", KW.school],
  [ZH_EMPLOYER_CUED_RE, "Employer/Company Name", "employer-zh", "zh", KW.employer],
  [ZH_EMPLOYER_AT_RE, "Employer/Company Name", "employer-zh", "zh", KW.employer],
];

/** Finds schools and employers said with a cue (see the module comment). */
export function detectOrganisations(ctx: RuleContext): void {
  const t = ctx.text;
  for (const [re, type, rule, script, gate] of PASSES) {
    // Every match holds one of its gate's words (keywords.ts): a text without one is not scanned.
    if (!(script === "latin" ? ctx.hasUpper : ctx.hasCjk) || !hasKeyword(ctx, gate)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(t); m !== null; m = re.exec(t)) {
      if (re === EN_EMPLOYER_RE) emitEmployer(ctx, m, rule);
      else emitGroup(ctx, m, type, rule);
    }
  }
  if (ctx.hasUpper) {
    namedEmployers(ctx);
    employersAfterJobs(ctx);
  }
}

/** Employers named as one ("my employer, …", "Company: …"), at the keyword scan's starts of those words. */
function namedEmployers(ctx: RuleContext): void {
  if (!hasKeyword(ctx, KW.employerNamed)) return;
  const t = ctx.text;
  for (const at of keywordStarts(ctx, KW.employerNamed)) {
    const before = t.slice(Math.max(0, at - 8), at);
    // "my company", "our employer"; the word capitalised at a line's start is a form's label ("Employer: …").
    const owned = OWNER_BEFORE_RE.test(before);
    if (!owned && !(isUpperAt(t, at) && LINE_START_BEFORE_RE.test(before))) continue;
    NAMED_EMPLOYER_AT.lastIndex = at;
    const m = NAMED_EMPLOYER_AT.exec(t);
    if (m === null || (!owned && !/^\p{L}+\s?:/u.test(m[0]))) continue;
    emitEmployer(ctx, m, "employer");
  }
}

function isUpperAt(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return c >= 65 && c <= 90;
}
