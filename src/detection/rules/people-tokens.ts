// The capitalised words of a Latin-script text, grouped into runs (people-latin.ts decides which runs are names).
// Scanned by hand with a class table (what the regex
// /[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F][A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]*(?:['’][A-Za-z\u00C0-\u024F]+)?
// (?:-[A-Z\u00C0-\u00DE]?[a-z\u00DF-\u00F6\u00F8-\u024F]+)?/g would match), into typed arrays reused from text
// to text: a match object, a substring and a token object per capitalised word cost more than the rest of
// the rule on texts with no name. The first units come from the text's one walk (keywords.ts `contextOpeners`).
import { IS_FIRST, IS_HELD_OUT, IS_LAST, IS_STOP, IS_TITLE, PARTICLES, wordFlagsAt } from "./people-words.js";

const BODY = 2; // [A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]
const APOS_BODY = 4; // [A-Za-z\u00C0-\u024F], after an apostrophe
const HYPHEN_CAP = 8; // [A-Z\u00C0-\u00DE], just after a hyphen
const HYPHEN_LOW = 16; // [a-z\u00DF-\u00F6\u00F8-\u024F], after a hyphen
const GLUE = 32; // glues a capital to the word before it: Latin letters, digits, _ @ . / and combining marks
const CASELESS = 64; // a non-ASCII opener that is its own lower case (no capital)
const CLASS = new Uint8Array(0x370);
for (let c = 0; c < 0x370; c++) {
  const upper = (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde);
  const lower = (c >= 97 && c <= 122) || (c >= 0xdf && c <= 0xf6) || (c >= 0xf8 && c <= 0x24f);
  let bits = 0;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7))
    bits |= BODY;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f)) bits |= APOS_BODY;
  if (upper) bits |= HYPHEN_CAP;
  if (lower) bits |= HYPHEN_LOW;
  if (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) ||
    (c >= 0x300 && c <= 0x36f) ||
    c === 0x5f ||
    c === 0x40 ||
    c === 0x2e ||
    c === 0x2f
  )
    bits |= GLUE;
  const ch = String.fromCharCode(c);
  if (c > 0x7f && ch === ch.toLowerCase()) bits |= CASELESS;
  CLASS[c] = bits;
}

/** The class bits of a unit (0 past the end of the text, where charCodeAt gives NaN, and above the table). */
function classOf(c: number): number {
  return c < 0x370 ? (CLASS[c] as number) : 0;
}

const OPENER_RE = /[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F]/g;

/** True for a unit that can open a capitalised word (what {@link capitalOpeners} finds). */
export function isOpener(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xde) || (c >= 0x100 && c <= 0x24f)
  );
}

/**
 * Ascending offsets of every unit of `t` that can open a capitalised word. The rules take them from the walk
 * that finds the gate words (keywords.ts `contextOpeners`); this is the same list, found by the regex engine.
 */
export function capitalOpeners(t: string): number[] {
  const out: number[] = [];
  OPENER_RE.lastIndex = 0;
  while (OPENER_RE.test(t)) out.push(OPENER_RE.lastIndex - 1);
  return out;
}

// Whether the last capitalisedEnd took an apostrophe and the letters after it.
let tookApostrophe = false;

/** End of the capitalised word whose first unit is at `s` (see the class table above). */
function capitalisedEnd(t: string, s: number): number {
  let e = s + 1;
  tookApostrophe = false;
  while ((classOf(t.charCodeAt(e)) & BODY) !== 0) e++;
  const q = t.charCodeAt(e);
  if ((q === 0x27 || q === 0x2019) && (classOf(t.charCodeAt(e + 1)) & APOS_BODY) !== 0) {
    e += 2;
    while ((classOf(t.charCodeAt(e)) & APOS_BODY) !== 0) e++;
    tookApostrophe = true;
  }
  if (t.charCodeAt(e) === 0x2d) {
    let k = e + 1;
    if ((classOf(t.charCodeAt(k)) & HYPHEN_CAP) !== 0) k++;
    if ((classOf(t.charCodeAt(k)) & HYPHEN_LOW) !== 0) {
      k++;
      while ((classOf(t.charCodeAt(k)) & HYPHEN_LOW) !== 0) k++;
      e = k;
    }
  }
  return e;
}

/** The tokens of the last {@link capitalisedRuns}: per token its start, end and flags; per run its first token. */
export interface CapitalTokens {
  /** Start of each token. */
  start: Int32Array;
  /** End of each token (a possessive "'s" left out). */
  end: Int32Array;
  /** wordFlags bits of each token's word, with {@link HAS_APOS}. */
  flags: Int32Array;
  /** First token of each run; the entry after the last run is the number of tokens. */
  runFirst: Int32Array;
}

/** Flag bit: the token holds an apostrophe (beside the wordFlags bits). */
export const HAS_APOS = 1 << 8;
const KEEP_TOKENS = 1 << 14;
// Grown on demand and reused from text to text (the rule is synchronous and not re-entered).
const TOKENS: CapitalTokens = {
  start: new Int32Array(64),
  end: new Int32Array(64),
  flags: new Int32Array(64),
  runFirst: new Int32Array(64),
};

/** Drops token arrays grown past a few thousand tokens (a page of capitals), so they are not kept. */
export function releaseTokens(): void {
  if (TOKENS.start.length <= KEEP_TOKENS && TOKENS.runFirst.length <= KEEP_TOKENS) return;
  TOKENS.start = new Int32Array(64);
  TOKENS.end = new Int32Array(64);
  TOKENS.flags = new Int32Array(64);
  TOKENS.runFirst = new Int32Array(64);
}

function grown(a: Int32Array, need: number): Int32Array {
  if (need < a.length) return a;
  const b = new Int32Array(Math.max(need + 1, a.length * 2));
  b.set(a);
  return b;
}

const CONTRACTION_RE = /['’](?:m|re|ve|d|ll|t)$/;

/** True when token `k` can be part of a name: capitalised (not all capitals), not a common word or contraction. */
export function looksLikeName(t: string, k: number): boolean {
  return ((TOKENS.flags[k] as number) & (IS_STOP | IS_TITLE)) === 0 && nameShapedToken(t, k);
}

/**
 * True when token `k` is a given name or surname that is also a common word ("Brown", "Summer", "Amber"):
 * shaped as a name, on the stop list, and on a name list.
 */
export function isAmbiguousName(t: string, k: number, bit: number): boolean {
  const flags = TOKENS.flags[k] as number;
  return (flags & (IS_STOP | IS_TITLE | bit)) === (IS_STOP | bit) && nameShapedToken(t, k);
}

/** {@link looksLikeName} without the word lists: capitalised, not all capitals, no contraction. */
function nameShapedToken(t: string, k: number): boolean {
  const s = TOKENS.start[k] as number;
  const e = TOKENS.end[k] as number;
  const flags = TOKENS.flags[k] as number;
  if (e - s < 2) return false;
  const c0 = t.charCodeAt(s);
  const c1 = t.charCodeAt(s + 1);
  // A capital first; mixed case like "McDonald" is fine, all capitals ("NASA", "OK") is not a name here.
  if ((c0 >= 97 && c0 <= 122) || (c1 >= 65 && c1 <= 90)) return false;
  if ((classOf(c0) & CASELESS) !== 0) return false;
  return (flags & HAS_APOS) === 0 || !CONTRACTION_RE.test(t.slice(s, e));
}

/**
 * Finds the capitalised tokens of the text and groups them into runs joined by one space (or a particle, or
 * "J. "); returns the number of runs. The tokens are in {@link capitalTokens} until the next call. `openers`
 * are the text's {@link capitalOpeners}. With `namesHeldOut`, the gazetteer's held-out fifth counts as unknown
 * names.
 */
export function capitalisedRuns(t: string, openers: ArrayLike<number>, namesHeldOut = false): number {
  let tokStart = TOKENS.start;
  let tokEnd = TOKENS.end;
  let tokFlags = TOKENS.flags;
  let runFirst = TOKENS.runFirst;
  let tokens = 0;
  let runs = 0;
  let runLen = 0;
  // Where the last word ended: an opener inside it opens nothing.
  let from = 0;
  for (let o = 0; o < openers.length; o++) {
    const start = openers[o] as number;
    if (start < from) continue;
    const mEnd = capitalisedEnd(t, start);
    from = mEnd;
    // Latin letters and digits before it make it part of a word; Chinese characters do not ("妻子Marie").
    if (start > 0 && (classOf(t.charCodeAt(start - 1)) & GLUE) !== 0) continue;
    // Followed by a digit or "_" it is an identifier or a secret ("Hunter2!", "Alice_01").
    const after = t.charCodeAt(mEnd);
    if ((after >= 48 && after <= 57) || after === 95 || after === 64) continue;
    // A possessive is not part of the name ("Dragan's").
    const apo = mEnd - start > 2 && t.charCodeAt(mEnd - 1) === 115 ? t.charCodeAt(mEnd - 2) : 0;
    const end = apo === 0x27 || apo === 0x2019 ? mEnd - 2 : mEnd;
    let flags = wordFlagsAt(t, start, end);
    if (namesHeldOut && (flags & IS_HELD_OUT) !== 0) flags &= ~(IS_FIRST | IS_LAST);
    // The first token of the text is dropped when it is a common word ("The", "Yesterday").
    if (tokens === 0 && (flags & (IS_STOP | IS_TITLE)) === IS_STOP) continue;
    // The apostrophe is the only one a token can hold; a possessive left out takes it away.
    if (tookApostrophe && end === mEnd) flags |= HAS_APOS;
    if (tokens > 0) {
      const prev = tokens - 1;
      const prevEnd = tokEnd[prev] as number;
      const gapLen = start - prevEnd;
      const joined =
        (gapLen === 1 && t.charCodeAt(prevEnd) === 32) ||
        (gapLen === 2 &&
          t.startsWith(". ", prevEnd) &&
          (prevEnd - (tokStart[prev] as number) === 1 || ((tokFlags[prev] as number) & IS_TITLE) !== 0)) ||
        (gapLen >= 4 &&
          gapLen <= 7 &&
          runLen < 4 &&
          t.charCodeAt(prevEnd) === 32 &&
          t.charCodeAt(start - 1) === 32 &&
          PARTICLES.has(t.slice(prevEnd, start).trim()));
      if (!joined || runLen >= 4) runLen = 0;
    }
    if (runLen === 0) {
      runFirst = grown(runFirst, runs + 1);
      runFirst[runs++] = tokens;
    }
    tokStart = grown(tokStart, tokens);
    tokEnd = grown(tokEnd, tokens);
    tokFlags = grown(tokFlags, tokens);
    tokStart[tokens] = start;
    tokEnd[tokens] = end;
    tokFlags[tokens] = flags;
    tokens++;
    runLen++;
  }
  runFirst = grown(runFirst, runs);
  runFirst[runs] = tokens;
  TOKENS.start = tokStart;
  TOKENS.end = tokEnd;
  TOKENS.flags = tokFlags;
  TOKENS.runFirst = runFirst;
  return runs;
}

/** The token arrays of the last {@link capitalisedRuns} (valid until the next call). */
export function capitalTokens(): Readonly<CapitalTokens> {
  return TOKENS;
}

/** The capitalised words of `t` as start/end pairs of the scan (glued and identifier-like ones included). */
export function capitalisedWords(t: string): number[] {
  const out: number[] = [];
  let from = 0;
  for (const start of capitalOpeners(t)) {
    if (start < from) continue;
    from = capitalisedEnd(t, start);
    out.push(start, from);
  }
  return out;
}
