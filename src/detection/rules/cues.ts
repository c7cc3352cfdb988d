// Secrets announced by a cue word (English and Chinese): passwords, verification codes, PINs, security
// answers and session tokens. Only the value after the cue becomes the span, never the cue itself.
import type { PrivacyLevel } from "../../taxonomy/levels.js";
import { countDigits, emit, execAll, type RuleContext } from "./context.js";
import { contextCjkHits, createSharedCjkLexicon } from "./lexicon.js";

type ValueShape = "password" | "code" | "strongcode" | "answer" | "token" | "docnum" | "handle";

interface CueKind {
  readonly type: string;
  readonly level: PrivacyLevel;
  readonly shape: ValueShape;
  readonly rule: string;
}

const KINDS = {
  password: { type: "Password", level: "PL4", shape: "password", rule: "cue-password" },
  code: { type: "Verification Code", level: "PL4", shape: "code", rule: "cue-verification" },
  pin: { type: "PIN", level: "PL4", shape: "code", rule: "cue-pin" },
  answer: { type: "Security Question Answer", level: "PL4", shape: "answer", rule: "cue-security-answer" },
  token: { type: "Token", level: "PL4", shape: "token", rule: "cue-token" },
  key: { type: "Key", level: "PL4", shape: "token", rule: "cue-key" },
  barecode: { type: "Verification Code", level: "PL4", shape: "strongcode", rule: "cue-code" },
  passport: { type: "Passport Number", level: "PL3", shape: "docnum", rule: "cue-passport" },
  licence: { type: "Driver's License Number", level: "PL3", shape: "docnum", rule: "cue-licence" },
  idcard: { type: "ID Number", level: "PL3", shape: "docnum", rule: "cue-id" },
  username: { type: "Account ID/Username", level: "PL2", shape: "handle", rule: "cue-username" },
} as const satisfies Record<string, CueKind>;

// Longer cues first so "动态密码" wins over "密码" and "security answer" over "security code". Word starts are
// checked by hand (a leading look-behind in every alternative makes V8 try each position slowly).
const CUE_RE = new RegExp(
  [
    String.raw`(?<answer>(?:security\s+(?:question\s+)?answer|answer\s+to\s+(?:my|the|your)\s+security\s+question|secret\s+answer)s?|密保答案|安全问题答案|安全答案|密保问题答案)`,
    String.raw`(?<code>(?:verification|verify|confirmation|security|login|access|backup|recovery|activation|pairing|auth(?:entication|orization)?|sms|2fa|mfa|one[-\s]time)\s+(?:code|pin|passcode)s?|(?:OTP|TOTP|2FA|MFA)(?![A-Za-z])|one[-\s]time\s+password|验证码|动态码|校验码|确认码|授权码|短信码|动态密码|一次性密码|激活码|备用码|恢复码|配对码|提取码|取件码)`,
    String.raw`(?<pin>PIN(?:\s*(?:code|number))?(?![A-Za-z])|PIN码|pin码)`,
    String.raw`(?<password>(?:passwords?|passwd|pwd|passcode|passphrase|pass\s+phrase)(?![A-Za-z])|密码|口令)`,
    String.raw`(?<key>(?:api|access|secret|private|license|licence|product|encryption)\s+key(?![A-Za-z])|密钥|秘钥)`,
    String.raw`(?<passport>passport(?:\s+(?:number|no\.?|#))?|护照(?:号码|号)?)`,
    String.raw`(?<licence>(?:driver'?s?|driving)\s+licen[cs]e(?:\s+(?:number|no\.?|#))?|licen[cs]e\s+(?:number|no\.?)|驾照(?:号码|号)?|驾驶证(?:号码|号)?)`,
    String.raw`(?<idcard>身份证(?:号码|号)?|ID\s+(?:card|number|no\.?)(?:\s+number)?|national\s+ID|SSN|social\s+security\s+number)`,
    String.raw`(?<username>user\s?name|user\s+ID|login\s+(?:name|ID)|用户名|登录名|用户ID|账号|帐号)`,
    String.raw`(?<barecode>codes?(?![A-Za-z]))`,
    String.raw`(?<token>(?:(?:session|auth|access|bearer|refresh)\s+)?tokens?(?![A-Za-z])|session\s+(?:id|key)(?![A-Za-z])|令牌|会话\s*ID|会话标识)`,
  ].join("|"),
  "gi",
);
// Case-sensitive anchors (much cheaper than the full pattern): the full pattern only runs near them. The
// alternatives are grouped by their first letter, in their original order within a group (alternatives of
// different groups never match at one position, so every match is what the flat list gave); V8 tries
// about a third fewer alternatives per position.
const ANCHOR_EN_RE =
  /[Pp](?:ass(?:word|wd|code|phrase|\s)|wd|in\b|assport)|P(?:ASS|WD|IN|ASSPORT)|[Cc]ode|CODE|[Oo]tp|OTP|2(?:FA|fa)|[Mm]fa|MFA|[Aa]nswer|ANSWER|[Tt]oken|TOKEN|[Ss](?:ession|ecurity [Nn]umber)|S(?:ESSION|SN)|[Kk]ey\b|KEY|[Ll](?:icen[cs]e|ogin)|ID|[Uu]ser|USER/g;
// Chinese anchors, matched in the shared pass of the Chinese lexicons (no anchor is a prefix of another, so
// the longest term is the alternative a regex would have taken).
const ANCHOR_CJK = createSharedCjkLexicon(
  "密码|口令|验证码|动态码|校验码|确认码|授权码|短信码|激活码|备用码|恢复码|配对码|提取码|取件码|PIN码|pin码|答案|令牌|会话|密钥|秘钥|护照|驾照|驾驶证|身份证|用户|登录名|账号|帐号".split(
    "|",
  ),
);
/** Longest distance from a cue's start to its anchor ("authentication " before "code"). */
const ANCHOR_LOOKBACK = 40;

// Words that may sit between a cue and its value ("the code for it is 123").
const EN_FILLER = new Set([
  "is",
  "was",
  "are",
  "were",
  "be",
  "been",
  "has",
  "have",
  "now",
  "just",
  "still",
  "here",
  "the",
  "my",
  "your",
  "our",
  "its",
  "it",
  "it's",
  "new",
  "old",
  "current",
  "temporary",
  "code",
  "number",
  "no",
  "no.",
  "changed",
  "set",
  "reset",
  "updated",
  "to",
  "as",
  "of",
  "for",
  "that",
  "this",
  "i",
  "you",
  "got",
  "received",
  "entered",
  "used",
  "use",
  "sent",
  "says",
  "reads",
  "recorded",
  "exactly",
  "confirmed",
  "listed",
  "registered",
  "again",
  "exact",
  "actual",
  "correct",
  "final",
  "a",
  "an",
  "6-digit",
  "4-digit",
  "digit",
  "six-digit",
  "id",
  "auth",
  "sms",
  "via",
  "with",
  "called",
  "which",
  "like",
]);
const CN_FILLER_CHARS = new Set([
  ..."是为：:码号的确实就即如下了已经仍依然还则应该刚才那个这个位数字认叫填写成",
]);
const QUOTE_OPEN = new Set([..."'\"“‘`「『《(（[【*"]);
const QUOTE_CLOSE = new Set([..."'\"”’`」』》)）]】*"]);
const SENTENCE_END = new Set([..."。！？；\n!?;"]);
const STOP_VALUES = new Set([
  "password",
  "passwords",
  "required",
  "incorrect",
  "invalid",
  "expired",
  "manager",
  "reset",
  "change",
  "protected",
  "hidden",
  "redacted",
  "none",
  "null",
  "undefined",
  "secret",
  "example",
  "placeholder",
]);

function isAsciiValueChar(c: string): boolean {
  const code = c.charCodeAt(0);
  return code > 0x20 && code < 0x7f && !QUOTE_CLOSE.has(c) && c !== "," && c !== ";";
}

// Value characters as a table (the same set as isAsciiValueChar: printable ASCII but quotes, brackets, ",", ";").
const VALUE_CHARS = new Uint8Array(128);
for (let code = 0x21; code < 0x7f; code++)
  VALUE_CHARS[code] = isAsciiValueChar(String.fromCharCode(code)) ? 1 : 0;

/** Longest value each shape accepts: a longer candidate is refused before any slicing or pattern test. */
const MAX_VALUE: Readonly<Record<Exclude<ValueShape, "answer">, number>> = {
  password: 64,
  strongcode: 24,
  code: 24,
  docnum: 20,
  handle: 41,
  token: 512,
};
const LONGEST_STOP_VALUE = 11;
// Two digits anywhere (a native scan: a token candidate runs to 512 characters, one per cue of a hostile page).
const TWO_DIGITS_RE = /\d\D*\d/;

/**
 * The run of value characters last measured in this text. Cues are visited in order, so a page of
 * "token=token=…" measures its one long run once instead of 512 characters per cue.
 */
interface ValueRun {
  from: number;
  to: number;
}

/** End of the run of value characters holding `i`, no further than `limit`. */
function valueRunEnd(t: string, i: number, limit: number, run: ValueRun): number {
  if (i >= run.from && i <= run.to) return Math.min(run.to, limit);
  const forward = i > run.to;
  const stop = forward ? t.length : limit;
  let j = i;
  while (j < stop && VALUE_CHARS[t.charCodeAt(j)] === 1) j++;
  // Only forward scans are remembered: they cover disjoint stretches, so the text is scanned once in all.
  if (forward) {
    run.from = i;
    run.to = j;
  }
  return Math.min(j, limit);
}

function charClasses(v: string): number {
  let n = 0;
  if (/[a-z]/.test(v)) n++;
  if (/[A-Z]/.test(v)) n++;
  if (/\d/.test(v)) n++;
  if (/[^A-Za-z0-9]/.test(v)) n++;
  return n;
}

function digitsIn(v: string): number {
  return countDigits(v);
}

/** Whether a candidate value has the shape its cue promises. */
function accepts(shape: ValueShape, v: string, quoted: boolean): boolean {
  if (v.length <= LONGEST_STOP_VALUE && STOP_VALUES.has(v.toLowerCase())) return false;
  switch (shape) {
    case "password":
      if (v.length < 4 || v.length > 64) return false;
      if (/^[*•·xX.]+$/.test(v)) return false;
      if (quoted) return /[\d\W_]/.test(v) && (charClasses(v) >= 2 || /^\d{4,}$/.test(v) || v.length >= 8);
      return (v.length >= 5 && charClasses(v) >= 2 && /[\d\W_]/.test(v)) || /^\d{4,}$/.test(v);
    case "strongcode":
      // A bare "code" needs a value that looks generated: 5+ digits, "123-456", or letters with 3+ digits.
      return (
        v.length <= 24 &&
        (/^\d{5,10}$/.test(v) ||
          /^\d{3}-\d{3}$/.test(v) ||
          (/^#?[A-Z0-9]+(?:-[A-Z0-9]+)+$/.test(v) && digitsIn(v) >= 3))
      );
    case "docnum":
      return /^[A-Z0-9][A-Z0-9-]{4,19}$/.test(v) && /\d/.test(v) && digitsIn(v) >= 2;
    case "handle":
      return /^[A-Za-z0-9][\w.@()\u00C0-\u024F-]{2,40}$/.test(v) && /[\d_]/.test(v) && !/^\d+$/.test(v);
    case "code":
      return /^#?[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$/.test(v) && v.length <= 24 && digitsIn(v) >= 3;
    case "token":
      return (
        v.length >= 5 &&
        v.length <= 512 &&
        TWO_DIGITS_RE.test(v) &&
        /[A-Za-z]/.test(v) &&
        /^#?[A-Za-z0-9][A-Za-z0-9._~+/=-]*$/.test(v)
      );
    case "answer":
      return v.length >= 2 && v.length <= 40;
  }
}

/** Reads the value that starts at `i` (after fillers); returns its [start, end) or undefined. */
function readValue(
  t: string,
  i: number,
  shape: ValueShape,
  run: ValueRun = { from: -1, to: -1 },
): [number, number] | undefined {
  const open = t.charAt(i - 1);
  const quoted = QUOTE_OPEN.has(open);
  let j = i;
  if (shape === "answer") {
    const limit = Math.min(t.length, i + 40);
    while (j < limit) {
      const c = t.charAt(j);
      if (quoted ? QUOTE_CLOSE.has(c) : /[,.;:!?，。；：！？、\n'"”’」』)）]/.test(c)) break;
      j++;
    }
    // An unquoted answer is a short phrase; a whole clause is more likely prose than a secret.
    if (!quoted && (j - i > 30 || t.slice(i, j).trim().split(/\s+/).length > 4)) return undefined;
  } else if (shape === "password") {
    const range = readPassword(t, i, quoted);
    if (range === undefined) return undefined;
    j = range;
  } else {
    j = valueRunEnd(t, i, Math.min(t.length, i + 512), run);
    // A sentence full stop or colon glued to the value is punctuation, not part of it (a value holds no "," or
    // ";", nor a closing bracket or quote).
    for (let c = t.charCodeAt(j - 1); j > i && (c === 0x2e || c === 0x3a); c = t.charCodeAt(j - 1)) j--;
    // Printable ASCII only, so trimming changes nothing: a candidate too long for its shape stops here.
    if (j - i > MAX_VALUE[shape]) return undefined;
  }
  const v = t.slice(i, j).trim();
  if (v === "" || !accepts(shape, v, quoted)) return undefined;
  const s = i + t.slice(i, j).indexOf(v);
  return [s, s + v.length];
}

// The closing quote for each opening one (a password may hold other quotes).
const QUOTE_PAIRS: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  "`": "`",
  "“": "”",
  "‘": "’",
  "「": "」",
  "『": "』",
  "《": "》",
};

/**
 * The end of a password after a cue: a quoted one runs to its closing quote (spaces, quotes of another kind
 * and any script inside, at most 64 characters); an unquoted one to the next space or Chinese character,
 * quotes and non-Latin letters included. Trailing sentence punctuation is dropped, and a "?" or "!" after a
 * plain word ("What makes a password strong?"). Bounded: linear in the text.
 */
function readPassword(t: string, i: number, quoted: boolean): number | undefined {
  const limit = Math.min(t.length, i + 65);
  const close = quoted ? QUOTE_PAIRS[t.charAt(i - 1)] : undefined;
  if (close !== undefined) {
    for (let j = i + 1; j < limit; j++) {
      if (t.charAt(j) !== close) continue;
      const after = t.charAt(j + 1);
      if (after === "" || /[\s,.;:!?，。；：！？)\]}]/.test(after)) return j;
    }
  }
  let j = i;
  while (j < limit && !/[\s，。；！？、\u4e00-\u9fff]/.test(t.charAt(j))) j++;
  if (j === limit && j < t.length && !/\s/.test(t.charAt(j))) return undefined;
  while (
    j > i &&
    /[.,:;)\]}>"'”’」』]/.test(t.charAt(j - 1)) &&
    !(quoted && j - i > 1 && t.charAt(j - 1) === close)
  )
    j--;
  // Closing punctuation of a sentence, unless the rest already looks like a password ("Hunter2!").
  let k = j;
  while (k > i && /[?!]/.test(t.charAt(k - 1))) k--;
  if (k < j && /^[\p{L}]+$/u.test(t.slice(i, k))) j = k;
  return j;
}

/** Skips filler after a cue; returns the index where a value may start, or -1 at a sentence end. */
function skipFiller(t: string, from: number, maxChars: number): number {
  let i = from;
  const limit = Math.min(t.length, from + maxChars);
  while (i < limit) {
    const c = t.charAt(i);
    if (SENTENCE_END.has(c)) return -1;
    if (
      c === " " ||
      c === "\t" ||
      c === "=" ||
      c === "-" ||
      c === ">" ||
      c === "," ||
      c === "，" ||
      QUOTE_OPEN.has(c)
    ) {
      i++;
      continue;
    }
    if (c === ":" || c === "：") {
      i++;
      continue;
    }
    if (CN_FILLER_CHARS.has(c)) {
      i++;
      continue;
    }
    const word = /^[A-Za-z][A-Za-z0-9'.-]*/.exec(t.slice(i, i + 24));
    if (word !== null && EN_FILLER.has(word[0].toLowerCase())) {
      i += word[0].length;
      continue;
    }
    return i;
  }
  return -1;
}

/** Looks for "… is/was/: VALUE" a little further on ("the password they gave me was 'x'"). */
function findLateValue(
  t: string,
  from: number,
  shape: ValueShape,
  run: ValueRun,
): [number, number] | undefined {
  const window = t.slice(from, Math.min(t.length, from + 48));
  const m = /(?:^|[^A-Za-z])(?:is|was|:|：|=|是|为)\s*['"“‘`「]?/.exec(window);
  if (m === null) return undefined;
  const before = window.slice(0, m.index);
  if (/[.!?。！？；\n]/.test(before)) return undefined;
  const start = from + m.index + m[0].length;
  return readValue(t, start, shape, run);
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Merged [start, end) windows around cue anchors. */
function anchorWindows(ctx: RuleContext): [number, number][] {
  const out: [number, number][] = [];
  const anchors: { index: number; length: number }[] = execAll(ANCHOR_EN_RE, ctx.text).map((m) => ({
    index: m.index,
    length: m[0].length,
  }));
  if (ctx.hasCjk) {
    const hits = contextCjkHits(ctx, ANCHOR_CJK);
    for (let k = 0; k + 1 < hits.length; k += 2) {
      const index = hits[k] as number;
      anchors.push({ index, length: (hits[k + 1] as number) - index });
    }
    anchors.sort((a, b) => a.index - b.index);
  }
  for (const m of anchors) {
    const start = Math.max(0, m.index - ANCHOR_LOOKBACK);
    const end = m.index + m.length + 24;
    const last = out[out.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** A cue match: where it starts in the full text, its length and which kind of cue it is. */
interface CueMatch {
  readonly index: number;
  readonly length: number;
  readonly kind: keyof typeof KINDS;
}

const KIND_NAMES = Object.keys(KINDS) as (keyof typeof KINDS)[];

/** Full cue matches inside the windows; each window is matched as its own small string. */
function matchesInWindows(t: string, windows: readonly [number, number][]): CueMatch[] {
  const out: CueMatch[] = [];
  for (const [start, end] of windows) {
    const piece = t.slice(start, Math.min(t.length, end));
    for (const m of execAll(CUE_RE, piece)) {
      const groups = m.groups ?? {};
      const kind = KIND_NAMES.find((k) => groups[k] !== undefined);
      if (kind !== undefined) out.push({ index: start + m.index, length: m[0].length, kind });
    }
  }
  return out;
}

/** Finds cue-announced secrets (Password, Verification Code, PIN, Security Question Answer, Token, Key; PL4). */
export function detectCues(ctx: RuleContext): void {
  const t = ctx.text;
  const windows = anchorWindows(ctx);
  if (windows.length === 0) return;
  const run: ValueRun = { from: -1, to: -1 };
  for (const m of matchesInWindows(t, windows)) {
    const kind: CueKind = KINDS[m.kind];
    // Look-behind by hand: an English cue must start a word ("pin" in "shopping" is no cue).
    if (m.index > 0 && isAsciiLetter(t.charCodeAt(m.index)) && isAsciiLetter(t.charCodeAt(m.index - 1)))
      continue;
    const cueEnd = m.index + m.length;
    const start = skipFiller(t, cueEnd, kind.shape === "answer" ? 24 : 40);
    let range = start >= 0 ? readValue(t, start, kind.shape, run) : undefined;
    if (range === undefined) range = findLateValue(t, cueEnd, kind.shape, run);
    if (range !== undefined) emit(ctx, range[0], range[1], kind.type, kind.level, kind.rule);
  }
}

const OTP_SHAPE_RE = /\d{6}(?![0-9A-Za-z-])|\d{3}-\d{3}(?![0-9A-Za-z-])/g;
const OTP_CONTEXT_RE = /验证|OTP|[Vv]erif|[Cc]ode|动态|授权|一次性|2FA|短信/;

/** Finds one-time codes ("123456", "123-456") with a verification word within 30 characters (PL4). */
export function detectCodeContext(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.maxDigitRun < 3 || !OTP_CONTEXT_RE.test(t)) return;
  for (const m of execAll(OTP_SHAPE_RE, t)) {
    if (m.index > 0 && /[0-9A-Za-z-]/.test(t.charAt(m.index - 1))) continue;
    const around = t.slice(Math.max(0, m.index - 30), Math.min(t.length, m.index + m[0].length + 30));
    if (OTP_CONTEXT_RE.test(around)) {
      emit(ctx, m.index, m.index + m[0].length, "Verification Code", "PL4", "code-context");
    }
  }
}
