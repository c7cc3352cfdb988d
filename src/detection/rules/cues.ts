// Secrets announced by a cue word (English and Chinese): passwords, verification codes, PINs, security
// answers and session tokens. Only the value after the cue becomes the span, never the cue itself; how a
// value is read after its cue is in cue-values.ts.
import type { PrivacyLevel } from "../../taxonomy/levels.js";
import { emit, execAll, type RuleContext } from "./context.js";
import { hasKeyword, KW } from "./keywords.js";
import { findLateValue, readValue, skipFiller, type ValueRun, type ValueShape } from "./cue-values.js";
import { contextCjkHits, createSharedCjkLexicon } from "./lexicon.js";

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

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Merged [start, end) windows around cue anchors. */
function anchorWindows(ctx: RuleContext): [number, number][] {
  const out: [number, number][] = [];
  // Every English anchor holds a gate word of the one keyword scan, or "ID".
  const english = hasKeyword(ctx, KW.cueAnchor) || ctx.text.includes("ID");
  const anchors: { index: number; length: number }[] = (english ? execAll(ANCHOR_EN_RE, ctx.text) : []).map(
    (m) => ({
      index: m.index,
      length: m[0].length,
    }),
  );
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
  if (ctx.maxDigitRun < 3 || !hasKeyword(ctx, KW.otp) || !OTP_CONTEXT_RE.test(t)) return;
  for (const m of execAll(OTP_SHAPE_RE, t)) {
    if (m.index > 0 && /[0-9A-Za-z-]/.test(t.charAt(m.index - 1))) continue;
    const around = t.slice(Math.max(0, m.index - 30), Math.min(t.length, m.index + m[0].length + 30));
    if (OTP_CONTEXT_RE.test(around)) {
      emit(ctx, m.index, m.index + m[0].length, "Verification Code", "PL4", "code-context");
    }
  }
}
