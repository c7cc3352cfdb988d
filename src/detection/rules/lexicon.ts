// Term lists matched in one linear pass: Chinese terms by a first-character table, English (Latin-script)
// terms word by word through a table of three-letter prefixes. A regex alternation of hundreds of words
// costs V8 tens of nanoseconds per character; these cost a table look-up per character.

import type { RuleContext } from "./context.js";

/** Chinese (or any unspaced) terms keyed by their first UTF-16 unit, longest first. */
export interface CjkLexicon {
  readonly first: Uint8Array;
  readonly byFirst: ReadonlyMap<number, readonly string[]>;
}

/** Builds a {@link CjkLexicon} from terms (empty strings are ignored). */
export function createCjkLexicon(terms: readonly string[]): CjkLexicon {
  const first = new Uint8Array(0x10000);
  const byFirst = new Map<number, string[]>();
  for (const term of terms) {
    if (term === "") continue;
    const c = term.charCodeAt(0);
    first[c] = 1;
    const list = byFirst.get(c) ?? [];
    if (!list.includes(term)) list.push(term);
    byFirst.set(c, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  return { first, byFirst };
}

/** Calls `found` for each leftmost-longest, non-overlapping occurrence of a term in `text`. */
export function scanCjk(lex: CjkLexicon, text: string, found: (start: number, end: number) => void): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (lex.first[c] !== 1) continue;
    const term = lex.byFirst.get(c)?.find((w) => text.startsWith(w, i));
    if (term === undefined) continue;
    found(i, i + term.length);
    i += term.length - 1;
  }
}

/** Latin-script terms of one or more words (lower case), keyed by a three-letter prefix of the first word. */
export interface WordLexicon {
  /** Per three-letter prefix, a bit per first-word length (1–31, bit 0 for 32+): a word is looked up only when set. */
  readonly prefixes: Uint32Array;
  readonly byFirst: ReadonlyMap<string, readonly (readonly string[])[]>;
}

function letterIndex(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97;
  return -1;
}

function prefixKey(a: number, b: number, c: number): number {
  return (a * 26 + b) * 26 + c;
}

function lengthBit(len: number): number {
  return len < 32 ? 1 << len : 1;
}

/** Builds a {@link WordLexicon}; terms are lower-case words separated by single spaces, 3+ letters first. */
export function createWordLexicon(terms: readonly string[]): WordLexicon {
  const prefixes = new Uint32Array(26 * 26 * 26);
  const byFirst = new Map<string, string[][]>();
  for (const term of terms) {
    const parts = term.trim().toLowerCase().split(/\s+/);
    const head = parts[0] ?? "";
    const [a, b, c] = [0, 1, 2].map((k) => letterIndex(head.charCodeAt(k)));
    if (a === undefined || b === undefined || c === undefined || a < 0 || b < 0 || c < 0) continue;
    const key = prefixKey(a, b, c);
    prefixes[key] = (prefixes[key] ?? 0) | lengthBit(head.length);
    const list = byFirst.get(head) ?? [];
    list.push(parts);
    list.sort((x, y) => y.length - x.length);
    byFirst.set(head, list);
  }
  return { prefixes, byFirst };
}

// Units of a Latin-script word: ASCII letters and digits, apostrophes (a table: this runs on every unit).
const WORD_UNITS = new Uint8Array(0x10000);
for (let c = 48; c <= 57; c++) WORD_UNITS[c] = 1;
for (let c = 65; c <= 90; c++) WORD_UNITS[c] = 1;
for (let c = 97; c <= 122; c++) WORD_UNITS[c] = 1;
WORD_UNITS[39] = 1;
WORD_UNITS[0x2019] = 1;

function isWordChar(c: number): boolean {
  return WORD_UNITS[c] === 1;
}

/**
 * The words {@link scanWords} looks up, as start/end pairs: maximal runs of word units, three or more long,
 * three ASCII letters first, not glued by a hyphen to the word before ("eco-anxiety"). Every lexicon needs
 * the same list, so one pass over the text serves them all.
 */
export function wordRuns(text: string): number[] {
  const runs: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    // Skip to the next word start, then to its end: every unit is looked at once.
    while (i < n && !isWordChar(text.charCodeAt(i))) i++;
    const s = i;
    while (i < n && isWordChar(text.charCodeAt(i))) i++;
    const e = i;
    if (e - s < 3 || (s > 1 && text.charCodeAt(s - 1) === 45 && isWordChar(text.charCodeAt(s - 2)))) continue;
    if (letterIndex(text.charCodeAt(s)) < 0 || letterIndex(text.charCodeAt(s + 1)) < 0) continue;
    if (letterIndex(text.charCodeAt(s + 2)) < 0) continue;
    runs.push(s, e);
  }
  return runs;
}

/** The {@link wordRuns} of the context's text, made on first use and shared by every rule family. */
export function contextWordRuns(ctx: RuleContext): number[] {
  return (ctx.words ??= wordRuns(ctx.text));
}

/**
 * Calls `found` for each occurrence of a term in `text` on word boundaries (case-insensitive; the words of
 * a multi-word term are separated by one space or hyphen in the text). Longest term wins at a position.
 * `runs` are the text's {@link wordRuns} when the caller has them already.
 */
export function scanWords(
  lex: WordLexicon,
  text: string,
  found: (start: number, end: number) => void,
  runs: readonly number[] = wordRuns(text),
): void {
  // Where the last match ended: words inside a multi-word match are not looked up again.
  let next = 0;
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const s = runs[r] ?? 0;
    const e = runs[r + 1] ?? 0;
    if (s < next) continue;
    const key = prefixKey(
      letterIndex(text.charCodeAt(s)),
      letterIndex(text.charCodeAt(s + 1)),
      letterIndex(text.charCodeAt(s + 2)),
    );
    // Most words share a prefix with no term of their length: no lower-case copy is made for them.
    if (((lex.prefixes[key] ?? 0) & lengthBit(e - s)) === 0) continue;
    const candidates = lex.byFirst.get(text.slice(s, e).toLowerCase());
    if (candidates === undefined) continue;
    for (const parts of candidates) {
      let end = e;
      let ok = true;
      for (let k = 1; k < parts.length && ok; k++) {
        const word = parts[k] ?? "";
        const sep = text.charCodeAt(end);
        ok =
          (sep === 32 || sep === 45) &&
          text.slice(end + 1, end + 1 + word.length).toLowerCase() === word &&
          !isWordChar(text.charCodeAt(end + 1 + word.length));
        end += 1 + word.length;
      }
      if (!ok) continue;
      found(s, end);
      next = end;
      break;
    }
  }
}
