// The value after a cue word (cues.ts): the filler words between them ("the code for it is …"), and each
// kind's value shape — a password up to its closing quote or the next space, a code, a token, a document
// number, a handle, a short security answer — with the words that are no values ("password", "required").
// Every read is bounded, and a page of cues measures its one run of value characters once: linear in the text.
import { countDigits } from "./context.js";

/** The shape of the value a kind of cue announces. */
export type ValueShape = "password" | "code" | "strongcode" | "answer" | "token" | "docnum" | "handle";

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
export interface ValueRun {
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
export function readValue(
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

const LONGEST_FILLER = Math.max(...[...EN_FILLER].map((w) => w.length));

function isFillerUnit(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 0x27 ||
    c === 0x2e ||
    c === 0x2d
  );
}

/** End of the English filler word at `i` (`/^[A-Za-z][A-Za-z0-9'.-]*\/` within 24 units), or -1 if none is. */
function fillerWordEnd(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) return -1;
  const limit = Math.min(t.length, i + 24);
  let j = i + 1;
  while (j < limit && isFillerUnit(t.charCodeAt(j))) j++;
  return j - i <= LONGEST_FILLER && EN_FILLER.has(t.slice(i, j).toLowerCase()) ? j : -1;
}

/** Skips filler after a cue; returns the index where a value may start, or -1 at a sentence end. */
export function skipFiller(t: string, from: number, maxChars: number): number {
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
    // The word here (a letter, then letters, digits, "'", "." or "-", within 24 units) if it is a filler.
    const end = fillerWordEnd(t, i);
    if (end > i) {
      i = end;
      continue;
    }
    return i;
  }
  return -1;
}

/** Looks for "… is/was/: VALUE" a little further on ("the password they gave me was 'x'"). */
export function findLateValue(
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
