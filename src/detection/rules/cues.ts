// Secrets announced by a cue word (English and Chinese): passwords, verification codes, PINs, security
// answers and session tokens. Only the value after the cue becomes the span, never the cue itself.
import type { PrivacyLevel } from "../../taxonomy/levels.js";
import { emit, type RuleContext } from "./context.js";

type ValueShape = "password" | "code" | "answer" | "token";

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
} as const satisfies Record<string, CueKind>;

// Every alternative starts at its anchor word (prefix words are look-behinds), so V8 only tries a match at a
// few first characters. Longer cues come first: "动态密码" wins over "密码", "one-time password" over "password".
const CUE_RE = new RegExp(
  [
    String.raw`(?<answer>(?<=(?:security\s+(?:question\s+)?|secret\s+))answers?|answer\s+to\s+(?:my|the|your)\s+security\s+question|(?<=密保|安全问题|安全|密保问题)答案)`,
    String.raw`(?<code>(?<=(?:verification|verify|confirmation|security|login|access|backup|recovery|activation|pairing|auth|authentication|authorization|sms|2fa|mfa|one[-\s]time)\s+)(?:code|pin|passcode)s?(?![a-z])|(?:otp|totp|2fa|mfa)(?![a-z])|(?<=one[-\s]time\s+)password|验证码|动态码|校验码|确认码|授权码|短信码|动态密码|一次性密码|激活码|备用码|恢复码|配对码|提取码|取件码)`,
    String.raw`(?<pin>pin(?:\s*(?:code|number))?(?![a-z])|pin码)`,
    String.raw`(?<password>(?:passwords?|passwd|pwd|passcode|passphrase|pass\s+phrase)(?![a-z])|密码|口令)`,
    String.raw`(?<key>(?<=(?:api|access|secret|private|license|licence|product|encryption)\s+)key(?![a-z])|密钥|秘钥)`,
    String.raw`(?<token>tokens?(?![a-z])|session\s+(?:id|key)(?![a-z])|令牌|会话\s*id|会话标识)`,
  ].join("|"),
  "gi",
);

const QUICK_RE =
  /password|passwd|pwd|passcode|passphrase|code|otp|2fa|mfa|pin|answer|token|session|key|密码|口令|码|答案|令牌|会话|密钥|秘钥/i;

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
const CN_FILLER_CHARS = new Set([..."是为：:码号的确实就即如下了已经仍依然还则应该刚才那个这个位数字"]);
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

function charClasses(v: string): number {
  let n = 0;
  if (/[a-z]/.test(v)) n++;
  if (/[A-Z]/.test(v)) n++;
  if (/\d/.test(v)) n++;
  if (/[^A-Za-z0-9]/.test(v)) n++;
  return n;
}

function digitsIn(v: string): number {
  return v.replace(/\D/g, "").length;
}

/** Whether a candidate value has the shape its cue promises. */
function accepts(shape: ValueShape, v: string, quoted: boolean): boolean {
  if (STOP_VALUES.has(v.toLowerCase())) return false;
  switch (shape) {
    case "password":
      if (v.length < 4 || v.length > 64) return false;
      if (/^[*•·xX.]+$/.test(v)) return false;
      if (quoted) return charClasses(v) >= 2 || /^\d{4,}$/.test(v) || v.length >= 8;
      return (v.length >= 5 && charClasses(v) >= 2 && /[\d\W_]/.test(v)) || /^\d{4,}$/.test(v);
    case "code":
      return /^#?[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$/.test(v) && v.length <= 24 && digitsIn(v) >= 3;
    case "token":
      return (
        /^#?[A-Za-z0-9][A-Za-z0-9._~+/=-]*$/.test(v) &&
        v.length >= 5 &&
        v.length <= 512 &&
        digitsIn(v) >= 2 &&
        /[A-Za-z]/.test(v)
      );
    case "answer":
      return v.length >= 2 && v.length <= 40;
  }
}

/** Reads the value that starts at `i` (after fillers); returns its [start, end) or undefined. */
function readValue(t: string, i: number, shape: ValueShape): [number, number] | undefined {
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
  } else {
    const limit = Math.min(t.length, i + 512);
    while (j < limit && isAsciiValueChar(t.charAt(j))) j++;
    // A sentence full stop or comma glued to the value is punctuation, not part of it.
    while (j > i && /[.,:;]/.test(t.charAt(j - 1))) j--;
    if (shape === "password" && !quoted) {
      while (j > i && t.charAt(j - 1) === ")" && !t.slice(i, j - 1).includes("(")) j--;
    }
  }
  const v = t.slice(i, j).trim();
  if (v === "" || !accepts(shape, v, quoted)) return undefined;
  const s = i + t.slice(i, j).indexOf(v);
  return [s, s + v.length];
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
function findLateValue(t: string, from: number, shape: ValueShape): [number, number] | undefined {
  const window = t.slice(from, Math.min(t.length, from + 48));
  const m = /(?:^|[^A-Za-z])(?:is|was|:|：|=|是|为)\s*['"“‘`「]?/.exec(window);
  if (m === null) return undefined;
  const before = window.slice(0, m.index);
  if (/[.!?。！？；\n]/.test(before)) return undefined;
  const start = from + m.index + m[0].length;
  return readValue(t, start, shape);
}

/** Finds cue-announced secrets (Password, Verification Code, PIN, Security Question Answer, Token, Key; PL4). */
export function detectCues(ctx: RuleContext): void {
  const t = ctx.text;
  if (!QUICK_RE.test(t)) return;
  for (const m of t.matchAll(CUE_RE)) {
    const groups = m.groups ?? {};
    const name = (Object.keys(KINDS) as (keyof typeof KINDS)[]).find((k) => groups[k] !== undefined);
    if (name === undefined) continue;
    const kind: CueKind = KINDS[name];
    // Look-behind by hand: an English cue must start a word ("pin" in "shopping" is no cue).
    if (m.index > 0 && /[A-Za-z]/.test(m[0].charAt(0)) && /[A-Za-z]/.test(t.charAt(m.index - 1))) continue;
    const cueEnd = m.index + m[0].length;
    const start = skipFiller(t, cueEnd, kind.shape === "answer" ? 24 : 40);
    let range = start >= 0 ? readValue(t, start, kind.shape) : undefined;
    if (range === undefined) range = findLateValue(t, cueEnd, kind.shape);
    if (range !== undefined) emit(ctx, range[0], range[1], kind.type, kind.level, kind.rule);
  }
}
