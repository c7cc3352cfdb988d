// Shared state for one detection pass: the normalised text, cheap pre-computed facts, and the span sink.
import type { PrivacyLevel } from "../../taxonomy/levels.js";

/** A span found on the normalised text, before offsets are mapped back. */
export interface RawSpan {
  start: number;
  end: number;
  type: string;
  level: PrivacyLevel;
  rule: string;
}

/** What every rule family receives. */
export interface RuleContext {
  /** The normalised text (full-width folded, zero-width removed). */
  readonly text: string;
  /** Length of the longest run of ASCII digits (ignoring single separators is left to the rules). */
  readonly maxDigitRun: number;
  /** Number of ASCII digits in the text. */
  readonly digitCount: number;
  /** Start/end pairs of the runs of ASCII digits, in order (from the same walk as the statistics). */
  readonly digitRuns: readonly number[];
  readonly hasCjk: boolean;
  /** Whether the text holds an ASCII capital letter (every Latin-script pattern with a capital needs one). */
  readonly hasUpper: boolean;
  /** Start/end pairs of the Latin-script words the word lexicons look up, made on first use (keywords.ts). */
  words: Int32Array | undefined;
  /** Which scan wrote {@link words} into the shared buffer (0: a buffer of the context's own); keywords.ts. */
  wordsScan: number;
  /** Per shared Chinese lexicon, the start/end pairs of its terms, made on first use (lexicon-cjk.ts). */
  cjkHits: (number[] | undefined)[] | undefined;
  /** Per shared word lexicon, the start/end pairs of its terms, made on first use (lexicon.ts). */
  wordHits: (number[] | undefined)[] | undefined;
  readonly out: RawSpan[];
  // The fields below are made on first use. Every context has all of them from the start, so every context
  // has the same shape and the rules' property loads stay monomorphic.
  /** Which gate words occur in the text, a bit per gate, made on first use (keywords.ts). */
  keywords: number | undefined;
  /** The gazetteer's held-out fifth counts as unknown names (the dev corpus's evaluation; people-words.ts). */
  namesHeldOut: boolean;
  /** Where the gate words start, with their bits (offset/bits pairs), from the same scan (keywords.ts). */
  keywordHits: number[] | undefined;
  /** Offsets of every "-" in the text, ascending, made on first use ({@link dashOffsets}). */
  dashes: number[] | undefined;
  /** Offsets of the units that can open a capitalised word, ascending, made on first use (keywords.ts). */
  openers: number[] | undefined;
}

/** Pushes a raw span; empty or out-of-range spans are ignored. */
export function emit(
  ctx: RuleContext,
  start: number,
  end: number,
  type: string,
  level: PrivacyLevel,
  rule: string,
): void {
  if (start < 0 || end <= start || end > ctx.text.length) return;
  ctx.out.push({ start, end, type, level, rule });
}

/**
 * "Does any of these spans overlap [start, end)?" in O(log n): the spans sorted by start with the running
 * maximum of their ends. Built from a snapshot; a family checking its candidates against the spans earlier
 * families emitted builds one instead of scanning them all per candidate (quadratic on a hostile page).
 */
export class OverlapIndex {
  readonly #starts: Float64Array;
  readonly #maxEnd: Float64Array;

  constructor(spans: readonly RawSpan[]) {
    const sorted = spans.slice().sort((a, b) => a.start - b.start);
    const n = sorted.length;
    this.#starts = new Float64Array(n);
    this.#maxEnd = new Float64Array(n);
    let far = -1;
    // Plain loops: Float64Array.from with a map function walks an iterator and costs several times more.
    for (let i = 0; i < n; i++) {
      const r = sorted[i] as RawSpan;
      this.#starts[i] = r.start;
      this.#maxEnd[i] = far = Math.max(far, r.end);
    }
  }

  /** True when a span starts before `end` and ends after `start`. */
  overlaps(start: number, end: number): boolean {
    let lo = 0;
    let hi = this.#starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#starts[mid] as number) < end) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && (this.#maxEnd[lo - 1] as number) > start;
  }
}

/** True for an ASCII letter's code unit. */
export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** True for a unit of the CJK Unified Ideographs block (U+4E00–U+9FFF). */
export function isCjkIdeograph(c: number): boolean {
  return c >= 0x4e00 && c <= 0x9fff;
}

/** True when no character of `chars` (default: ASCII letters and digits) sits just before `start`. */
export function clearBefore(text: string, start: number, extra = ""): boolean {
  if (start === 0) return true;
  const c = text.charAt(start - 1);
  return !isAlnumAt(text, start - 1) && (extra === "" || !extra.includes(c));
}

/**
 * Every match of a global regex in `text`, via exec (String#matchAll clones the regex on every call, which
 * costs more than the scan itself on short texts).
 */
export function execAll(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

// The next digit, found by the regex engine (several times faster per character than a loop in JavaScript);
// `test` moves `lastIndex` past it without making a match object.
const NEXT_DIGIT_RE = /\d/g;
const CJK_RE = /[\u3400-\u9fff]/;
const UPPER_RE = /[A-Z]/;

/**
 * Builds the context: digit statistics from one walk over the digit runs only. `plainAscii` says the text is
 * known to be printable ASCII, tabs and line breaks only (normalize.ts found so): it is not scanned for CJK.
 */
export function createContext(text: string, plainAscii = false): RuleContext {
  let maxRun = 0;
  let digits = 0;
  const runs: number[] = [];
  const n = text.length;
  NEXT_DIGIT_RE.lastIndex = 0;
  while (NEXT_DIGIT_RE.test(text)) {
    const start = NEXT_DIGIT_RE.lastIndex - 1;
    let end = start + 1;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c < 48 || c > 57) break;
      end++;
    }
    digits += end - start;
    runs.push(start, end);
    if (end - start > maxRun) maxRun = end - start;
    NEXT_DIGIT_RE.lastIndex = end;
  }
  return {
    text,
    maxDigitRun: maxRun,
    digitCount: digits,
    digitRuns: runs,
    hasCjk: !plainAscii && CJK_RE.test(text),
    hasUpper: UPPER_RE.test(text),
    words: undefined,
    wordsScan: 0,
    cjkHits: undefined,
    wordHits: undefined,
    out: [],
    keywords: undefined,
    namesHeldOut: false,
    keywordHits: undefined,
    dashes: undefined,
    openers: undefined,
  };
}

/**
 * Offsets of every "-" in the text, ascending, found once by a builtin search and shared: several families look
 * at the letters around each hyphen (codes, provider keys, MAC addresses).
 */
export function dashOffsets(ctx: RuleContext): readonly number[] {
  return (ctx.dashes ??= unitOffsets(ctx.text, "-"));
}

/** Ascending offsets of every `ch` (one unit) in `text`, found by a builtin search. */
export function unitOffsets(text: string, ch: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) out.push(i);
  return out;
}

/**
 * True when the ASCII character `ch` occurs in the text. A builtin substring search is many times cheaper per
 * character than any scan written in JavaScript, so gates ask for the characters they need one by one.
 */
export function hasChar(ctx: RuleContext, ch: string): boolean {
  return ctx.text.includes(ch);
}

/** Number of ASCII digits in `s` (without the string a `replace(/\D/g, "")` would allocate). */
export function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** True when the code unit at `i` is an ASCII letter or digit. */
export function isAlnumAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
