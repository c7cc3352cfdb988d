// Latin-script term lists matched in one linear pass: word by word through a table of three-letter prefixes,
// the shared ones (every family's) together over the word runs of the text's one walk (keywords.ts). A regex
// alternation of hundreds of words costs V8 tens of nanoseconds per character; these cost a table look-up per
// word. The Chinese lexicons are in lexicon-cjk.ts.

import type { RuleContext } from "./context.js";
import { contextWordRuns, isWordUnit } from "./keywords.js";
import { createWordTable, lowerWordValueAt, type WordTable } from "./word-table.js";

const NO_HITS: readonly number[] = [];

/** Latin-script terms of one or more words (lower case), keyed by a three-letter prefix of the first word. */
export interface WordLexicon {
  /** Per three-letter prefix, a bit per first-word length (1–31, bit 0 for 32+): a word is looked up only when set. */
  readonly prefixes: Uint32Array;
  readonly byFirst: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** Index among the shared lexicons ({@link createSharedWordLexicon}); absent for a private one. */
  readonly shared?: number;
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
// The same units as the shared walk's (keywords.ts).
const WORD_UNITS = new Uint8Array(0x10000);
for (let c = 0; c < 0x10000; c++) if (isWordUnit(c)) WORD_UNITS[c] = 1;

function isWordChar(c: number): boolean {
  return WORD_UNITS[c] === 1;
}

/**
 * The words {@link scanWords} looks up, as start/end pairs: maximal runs of word units, three or more long,
 * three ASCII letters first, not glued by a hyphen to the word before ("eco-anxiety"). The walk that finds the
 * gate words (keywords.ts) finds the same runs for the shared lexicons.
 */
export function wordRuns(text: string): number[] {
  const runs: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    // Skip to the next word start, then to its end.
    while (i < n && !isWordChar(text.charCodeAt(i))) i++;
    const s = i;
    while (i < n && isWordChar(text.charCodeAt(i))) i++;
    const e = i;
    if (e - s < 3 || (s > 1 && text.charCodeAt(s - 1) === 45 && isWordChar(text.charCodeAt(s - 2)))) continue;
    const a = letterIndex(text.charCodeAt(s));
    if (a < 0 || letterIndex(text.charCodeAt(s + 1)) < 0 || letterIndex(text.charCodeAt(s + 2)) < 0) continue;
    runs.push(s, e);
  }
  return runs;
}

/** End of the longest of `candidates` whose first word is the run [s, e) and whose other words follow, or -1. */
function termEnd(text: string, e: number, candidates: readonly (readonly string[])[]): number {
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
    if (ok) return end;
  }
  return -1;
}

// The shared word lexicons: one walk over a text's words serves every family's lexicon (made on first use,
// kept on the context), with one prefix test and at most one lower-case copy per word for all of them.
const SHARED_WORDS: WordLexicon[] = [];
const SHARED_WORD_PREFIXES = new Uint32Array(26 * 26 * 26);
// Per first word of a shared lexicon's term, a bit per lexicon that has it: a word that passes the prefix
// test is looked up in place (no lower-case copy, no Map probe per lexicon) and most end there. Made on
// first use after the last lexicon was created.
let sharedFirstWords: WordTable | undefined;

function firstWordTable(): WordTable {
  if (sharedFirstWords === undefined) {
    const entries: [string, number][] = [];
    SHARED_WORDS.forEach((lex, k) => {
      for (const head of lex.byFirst.keys()) entries.push([head, 1 << k]);
    });
    sharedFirstWords = createWordTable(entries);
  }
  return sharedFirstWords;
}

/**
 * Builds a {@link WordLexicon} matched in the shared walk ({@link contextWordHits}); at most 32 exist,
 * created once at module load.
 */
export function createSharedWordLexicon(terms: readonly string[]): WordLexicon {
  const k = SHARED_WORDS.length;
  if (k >= 32) throw new Error("too many shared lexicons");
  const lex: WordLexicon = { ...createWordLexicon(terms), shared: k };
  SHARED_WORDS.push(lex);
  sharedFirstWords = undefined;
  lex.prefixes.forEach((bits, key) => {
    SHARED_WORD_PREFIXES[key] = (SHARED_WORD_PREFIXES[key] as number) | bits;
  });
  return lex;
}

/**
 * Start/end pairs of every shared word lexicon's terms in the context's text, each as {@link scanWords} would
 * find them: the text's {@link wordRuns} come from the walk that finds the gate words (keywords.ts).
 */
function scanSharedWords(ctx: RuleContext): (number[] | undefined)[] {
  const text = ctx.text;
  const runs = contextWordRuns(ctx);
  // Made for the lexicons that have a term in the text (most have none).
  const hits: (number[] | undefined)[] = [];
  const next = new Int32Array(SHARED_WORDS.length);
  const heads = firstWordTable();
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const s = runs[r] as number;
    const e = runs[r + 1] as number;
    const key = prefixKey(
      letterIndex(text.charCodeAt(s)),
      letterIndex(text.charCodeAt(s + 1)),
      letterIndex(text.charCodeAt(s + 2)),
    );
    const bit = lengthBit(e - s);
    if (((SHARED_WORD_PREFIXES[key] as number) & bit) === 0) continue;
    // Word units fold in place, so the answer is the lexicons whose terms start with this word (or 0).
    const lexicons = lowerWordValueAt(heads, text, s, e);
    if (lexicons === 0) continue;
    let lower: string | undefined;
    for (let k = 0; k < SHARED_WORDS.length; k++) {
      const lex = SHARED_WORDS[k] as WordLexicon;
      if (
        ((lexicons >>> k) & 1) === 0 ||
        s < (next[k] as number) ||
        ((lex.prefixes[key] as number) & bit) === 0
      )
        continue;
      const candidates = lex.byFirst.get((lower ??= text.slice(s, e).toLowerCase()));
      if (candidates === undefined) continue;
      const end = termEnd(text, e, candidates);
      if (end < 0) continue;
      (hits[k] ??= []).push(s, end);
      next[k] = end;
    }
  }
  return hits;
}

/**
 * Calls `found` for each occurrence of a shared word lexicon's term in the context's text, as
 * {@link scanWords} would, from the one walk over the text's words that serves every shared lexicon.
 */
export function scanContextWords(
  ctx: RuleContext,
  lex: WordLexicon,
  found: (start: number, end: number) => void,
): void {
  if (lex.shared === undefined) throw new Error("not a shared lexicon");
  ctx.wordHits ??= scanSharedWords(ctx);
  const hits = ctx.wordHits[lex.shared] ?? NO_HITS;
  for (let k = 0; k + 1 < hits.length; k += 2) found(hits[k] as number, hits[k + 1] as number);
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
    const end = termEnd(text, e, candidates);
    if (end < 0) continue;
    found(s, end);
    next = end;
  }
}
