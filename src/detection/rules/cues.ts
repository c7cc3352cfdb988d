// Secrets announced by a cue word (English and Chinese): passwords, verification codes, PINs, security
// answers and session tokens. Only the value after the cue becomes the span, never the cue itself; how a
// value is read after its cue is in cue-values.ts.
import type { PrivacyLevel } from "../../taxonomy/levels.js";
import { emit, isAsciiLetter, type RuleContext } from "./context.js";
import { execAtStarts } from "./digit-clusters.js";
import { PROGRAM_CODE_WORDS } from "./codes.js";
import { hasKeyword, hintAtKeywords, keywordStarts, KW, stickyHint } from "./keywords.js";
import { createStartFilter, nextStart } from "./cue-starts.js";
import { findLateValue, readValue, skipFiller, type ValueRun, type ValueShape } from "./cue-values.js";
import { contextCjkHits, createSharedCjkLexicon } from "./lexicon-cjk.js";

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

type KindName = keyof typeof KINDS;

const wordsThen = (kind: KindName, words: readonly string[], rest: string): [KindName, string][] =>
  words.map((w) => [kind, w + rest]);
const terms = (kind: KindName, list: string): [KindName, string][] => list.split("|").map((w) => [kind, w]);

// Every cue, in priority order: longer cues first so "动态密码" wins over "密码" and "security answer" over
// "security code" (matched ignoring case). Word starts are checked by hand (a leading look-behind in every
// alternative makes V8 try each position slowly).
const CUES: readonly (readonly [KindName, string])[] = [
  ["answer", String.raw`security\s+(?:question\s+)?answers?`],
  ["answer", String.raw`answer\s+to\s+(?:my|the|your)\s+security\s+questions?`],
  ["answer", String.raw`secret\s+answers?`],
  ...terms("answer", "密保答案|安全问题答案|安全答案|密保问题答案"),
  ...wordsThen(
    "code",
    [
      ..."verification verify confirmation security login access backup recovery activation pairing".split(
        " ",
      ),
      "auth(?:entication|orization)?",
      ..."sms 2fa mfa".split(" "),
      String.raw`one[-\s]time`,
    ],
    String.raw`\s+(?:code|pin|passcode)s?`,
  ),
  ...wordsThen("code", ["OTP", "TOTP", "2FA", "MFA"], "(?![A-Za-z])"),
  ["code", String.raw`one[-\s]time\s+password`],
  ...terms(
    "code",
    "验证码|动态码|校验码|确认码|授权码|短信码|动态密码|一次性密码|激活码|备用码|恢复码|配对码|提取码|取件码",
  ),
  ["pin", String.raw`PIN(?:\s*(?:code|number))?(?![A-Za-z])`],
  ...terms("pin", "PIN码|pin码"),
  ...wordsThen(
    "password",
    ["passwords?", "passwd", "pwd", "passcode", "passphrase", String.raw`pass\s+phrase`],
    "(?![A-Za-z])",
  ),
  ...terms("password", "密码|口令"),
  ...wordsThen(
    "key",
    ["api", "access", "secret", "private", "license", "licence", "product", "encryption"],
    String.raw`\s+key(?![A-Za-z])`,
  ),
  ...terms("key", "密钥|秘钥"),
  ["passport", String.raw`passport(?:\s+(?:number|no\.?|#))?`],
  ["passport", "护照(?:号码|号)?"],
  ...wordsThen("licence", ["driver'?s?", "driving"], String.raw`\s+licen[cs]e(?:\s+(?:number|no\.?|#))?`),
  ["licence", String.raw`licen[cs]e\s+(?:number|no\.?)`],
  ["licence", "驾照(?:号码|号)?"],
  ["licence", "驾驶证(?:号码|号)?"],
  ["idcard", "身份证(?:号码|号)?"],
  ["idcard", String.raw`ID\s+(?:card|number|no\.?)(?:\s+number)?`],
  ["idcard", String.raw`national\s+ID`],
  ["idcard", "SSN"],
  ["idcard", String.raw`social\s+security\s+number`],
  ["username", String.raw`user\s?name`],
  ["username", String.raw`user\s+ID`],
  ["username", String.raw`login\s+(?:name|ID)`],
  ...terms("username", "用户名|登录名|用户ID|账号|帐号"),
  ["barecode", "codes?(?![A-Za-z])"],
  ...wordsThen(
    "token",
    ["session", "auth", "access", "bearer", "refresh"],
    String.raw`\s+tokens?(?![A-Za-z])`,
  ),
  ["token", "tokens?(?![A-Za-z])"],
  ["token", String.raw`session\s+(?:id|key)(?![A-Za-z])`],
  ...terms("token", String.raw`令牌|会话\s*ID|会话标识`),
];

/**
 * The cues as one case-insensitive alternation grouped by first character, each group keeping its cues'
 * order: cues of different groups never match at one position, so at every position the cue that matches is
 * the one the flat list in priority order gives (V8 then tries one group per position, not every cue). A run
 * of one kind's cues in a group is one capture; `kinds[i]` is the kind of capture i.
 */
function groupedCues(cues: readonly (readonly [KindName, string])[]): { re: RegExp; kinds: KindName[] } {
  const groups = new Map<string, (readonly [KindName, string])[]>();
  for (const cue of cues) {
    const first = cue[1].charAt(0).toLowerCase();
    const list = groups.get(first) ?? [];
    list.push(cue);
    groups.set(first, list);
  }
  const kinds: KindName[] = [];
  const parts: string[] = [];
  for (const [first, list] of groups) {
    const captures: [KindName, string[]][] = [];
    for (const [kind, source] of list) {
      const last = captures[captures.length - 1];
      if (last !== undefined && last[0] === kind) last[1].push(source.slice(1));
      else captures.push([kind, [source.slice(1)]]);
    }
    const body = captures.map(([kind, rests]) => {
      kinds.push(kind);
      return `(${rests.join("|")})`;
    });
    parts.push(`${first}(?:${body.join("|")})`);
  }
  return { re: new RegExp(parts.join("|"), "gi"), kinds };
}

const CUE = groupedCues(CUES);
// The same pattern tried at one place; the places are those where some cue's literal prefix starts.
const CUE_AT_RE = new RegExp(CUE.re.source, "iy");
const CUE_STARTS = createStartFilter(CUES.map(([, source]) => source));

// Case-sensitive anchors (much cheaper than the full pattern): the full pattern only runs near them. The
// alternatives are grouped by their first letter, in their original order within a group (alternatives of
// different groups never match at one position, so every match is what the flat list gave).
/** The English cue anchors; their matches in a global scan of the text place the cue windows. */
export const CUE_ANCHOR_SOURCE = String.raw`[Pp](?:ass(?:word|wd|code|phrase|\s)|wd|in\b|assport)|P(?:ASS|WD|IN|ASSPORT)|[Cc]ode|CODE|[Oo]tp|OTP|2(?:FA|fa)|[Mm]fa|MFA|[Aa]nswer|ANSWER|[Tt]oken|TOKEN|[Ss](?:ession|ecurity [Nn]umber)|S(?:ESSION|SN)|[Kk]ey\b|KEY|[Ll](?:icen[cs]e|ogin)|ID|[Uu]ser|USER`;
// Tried only where an anchor can start: every anchor but "ID" starts with a word of the keyword scan's
// cue-anchor gate, so the scan's word starts (and the places of "ID") hold every start a global scan finds.
const ANCHOR_AT_RE = new RegExp(CUE_ANCHOR_SOURCE, "y");
// Chinese anchors, matched in the shared pass of the Chinese lexicons (no anchor is a prefix of another, so
// the longest term is the alternative a regex would have taken).
const ANCHOR_CJK = createSharedCjkLexicon(
  "密码|口令|验证码|动态码|校验码|确认码|授权码|短信码|激活码|备用码|恢复码|配对码|提取码|取件码|PIN码|pin码|答案|令牌|会话|密钥|秘钥|护照|驾照|驾驶证|身份证|用户|登录名|账号|帐号".split(
    "|",
  ),
);
/** Longest distance from a cue's start to its anchor ("authentication " before "code"). */
const ANCHOR_LOOKBACK = 40;

/** Where the next "ID" at or after `from` starts, or -1 (found from its "D": "I" is far more common). */
function nextId(t: string, from: number): number {
  for (let d = t.indexOf("D", from + 1); d >= 0; d = t.indexOf("D", d + 1))
    if (t.charCodeAt(d - 1) === 0x49) return d - 1;
  return -1;
}

/**
 * Start/end pairs of the English cue anchors, in order: the matches a global scan of {@link CUE_ANCHOR_SOURCE}
 * over the text gives, found by trying it only at the starts of the keyword scan's cue-anchor words and of "ID".
 */
export function englishCueAnchors(ctx: RuleContext): number[] {
  const t = ctx.text;
  const out: number[] = [];
  const words = hasKeyword(ctx, KW.cueAnchor) ? keywordStarts(ctx, KW.cueAnchor) : [];
  let id = ctx.hasUpper ? nextId(t, 0) : -1;
  if (words.length === 0 && id < 0) return out;
  let w = 0;
  let next = 0;
  for (;;) {
    // The next candidate of the two ascending lists.
    let p: number;
    const word = w < words.length ? (words[w] as number) : -1;
    if (word >= 0 && (id < 0 || word <= id)) {
      p = word;
      w++;
      if (word === id) id = nextId(t, id + 1);
    } else if (id >= 0) {
      p = id;
      id = nextId(t, id + 1);
    } else break;
    if (p < next) continue;
    ANCHOR_AT_RE.lastIndex = p;
    if (ANCHOR_AT_RE.test(t)) {
      next = ANCHOR_AT_RE.lastIndex;
      out.push(p, next);
    }
  }
  return out;
}

/** Merged [start, end) windows around cue anchors, as start/end pairs. */
function anchorWindows(ctx: RuleContext): number[] {
  const out: number[] = [];
  const en = englishCueAnchors(ctx);
  const cjk = ctx.hasCjk ? contextCjkHits(ctx, ANCHOR_CJK) : [];
  // Both lists are ascending by start: merged as a global scan would have ordered them.
  let a = 0;
  let b = 0;
  while (a < en.length || b < cjk.length) {
    let start: number;
    let end: number;
    if (b >= cjk.length || (a < en.length && (en[a] as number) <= (cjk[b] as number))) {
      start = en[a] as number;
      end = en[a + 1] as number;
      a += 2;
    } else {
      start = cjk[b] as number;
      end = cjk[b + 1] as number;
      b += 2;
    }
    const from = Math.max(0, start - ANCHOR_LOOKBACK);
    const to = end + 24;
    const n = out.length;
    if (n > 0 && from <= (out[n - 1] as number)) out[n - 1] = Math.max(out[n - 1] as number, to);
    else out.push(from, to);
  }
  return out;
}

/** A cue match: where it starts, its length and which kind of cue it is. */
export interface CueMatch {
  readonly index: number;
  readonly length: number;
  readonly kind: KindName;
}

/**
 * The cue matches of a global scan over `text`, each with its kind, pushed to `out` offset by `offset`: the
 * pattern is tried, in order, only where a cue's literal prefix starts (cue-starts.ts), which is every place a
 * global scan could match.
 */
export function findCueMatches(text: string, out: CueMatch[] = [], offset = 0): CueMatch[] {
  const re = CUE_AT_RE;
  for (let p = nextStart(CUE_STARTS, text, 0); p >= 0;) {
    re.lastIndex = p;
    const m = re.exec(text);
    if (m === null) {
      p = nextStart(CUE_STARTS, text, p + 1);
      continue;
    }
    let k = 1;
    while (k < m.length && m[k] === undefined) k++;
    const kind = CUE.kinds[k - 1];
    if (kind !== undefined) out.push({ index: offset + p, length: m[0].length, kind });
    p = nextStart(CUE_STARTS, text, p + Math.max(1, m[0].length));
  }
  return out;
}

/** Full cue matches inside the windows; each window is matched as its own small string. */
function matchesInWindows(t: string, windows: readonly number[]): CueMatch[] {
  const out: CueMatch[] = [];
  for (let w = 0; w + 1 < windows.length; w += 2) {
    const start = windows[w] as number;
    findCueMatches(t.slice(start, Math.min(t.length, windows[w + 1] as number)), out, start);
  }
  return out;
}

// The words before a bare "code" that make it a program's or a protocol's code, not a secret.
// A postcode is found by address.ts ("zip code 94103", "post code").
const NOT_SECRET_CODE_RE = new RegExp(String.raw`\b(?:${PROGRAM_CODE_WORDS}|zip|post|postal)[\s-]$`, "i");

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
    // An error, status or exit code names no secret ("error code: AUTH-LOCKED-089", "HTTP status code 403").
    if (m.kind === "barecode" && NOT_SECRET_CODE_RE.test(t.slice(Math.max(0, m.index - 16), m.index)))
      continue;
    const cueEnd = m.index + m.length;
    const start = skipFiller(t, cueEnd, kind.shape === "answer" ? 24 : 40);
    let range = start >= 0 ? readValue(t, start, kind.shape, run) : undefined;
    if (range === undefined) range = findLateValue(t, cueEnd, kind.shape, run);
    if (range !== undefined) emit(ctx, range[0], range[1], kind.type, kind.level, kind.rule);
  }
}

/** The one-time-code shapes (global); {@link otpShapeStarts} lists where a match can start. */
export const OTP_SHAPE_RE = /\d{6}(?![0-9A-Za-z-])|\d{3}-\d{3}(?![0-9A-Za-z-])/g;
const OTP_SHAPE_AT_RE = new RegExp(OTP_SHAPE_RE.source, "y");
export const OTP_CONTEXT_RE = /验证|OTP|[Vv]erif|[Cc]ode|动态|授权|一次性|2FA|短信/;
const OTP_CONTEXT_AT = stickyHint(OTP_CONTEXT_RE);

/**
 * Ascending places where a one-time-code shape can start: its first digits end a digit run (the next unit is
 * no digit), so it starts 6 units before a run's end, or 3 before an end followed by "-".
 */
export function otpShapeStarts(ctx: RuleContext): number[] {
  const runs = ctx.digitRuns;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const start = runs[r] as number;
    const end = runs[r + 1] as number;
    if (end - start >= 6) out.push(end - 6);
    if (end - start >= 3 && ctx.text.charCodeAt(end) === 0x2d) out.push(end - 3);
  }
  return out;
}

/** Finds one-time codes ("123456", "123-456") with a verification word within 30 characters (PL4). */
export function detectCodeContext(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.maxDigitRun < 3 || !hasKeyword(ctx, KW.otp)) return;
  const starts = otpShapeStarts(ctx);
  if (starts.length === 0 || !hintAtKeywords(ctx, KW.otp, OTP_CONTEXT_AT)) return;
  for (const m of execAtStarts(OTP_SHAPE_AT_RE, t, starts)) {
    if (m.index > 0 && /[0-9A-Za-z-]/.test(t.charAt(m.index - 1))) continue;
    const around = t.slice(Math.max(0, m.index - 30), Math.min(t.length, m.index + m[0].length + 30));
    if (OTP_CONTEXT_RE.test(around)) {
      emit(ctx, m.index, m.index + m[0].length, "Verification Code", "PL4", "code-context");
    }
  }
}
