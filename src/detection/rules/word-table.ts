// Word sets probed where the word stands in the text: a hash over the text's own code units (optionally
// folded to lower case, unit by unit) and open addressing, so a look-up makes no substring, no lower-case copy
// and no string hash. Rules look words up at every capitalised word or cue candidate of every text; a Map
// probe with a fresh substring costs several times more.

/** A frozen set of words, each with a non-zero value (bits or an id). */
export interface WordTable {
  readonly mask: number;
  /** Per slot: the entry's full hash and its index + 1 (0 for an empty slot), interleaved. */
  readonly slots: Int32Array;
  readonly words: readonly string[];
  readonly values: Int32Array;
  /**
   * A bit per value of the hash's top bits (32 − `filterShift` of them), set for the words of the table: a word
   * that is not there is mostly turned away by this small array, without touching the slots (large for a big
   * table, and out of cache while the other rule families run).
   */
  readonly filter: Int32Array;
  readonly filterShift: number;
}

// The filter has about 16 bits per word (one word in ~16 that is not there passes it), at most 2^18 bits
// (32 KiB): a small table's filter stays a few hundred bytes, so it does not push the other families' tables
// out of the cache.
const MIN_FILTER_BITS = 10;
const MAX_FILTER_BITS = 18;

/** What {@link lowerWordValueAt} answers when a unit of the range has no one-unit lower case here. */
export const NOT_FOLDABLE = -1;

// Lower case of each unit below 0x250 (Latin letters with their diacritics) and of "’": the same as
// String#toLowerCase of the word, which maps these one to one, except "İ" (two units; not foldable here).
const FOLD_LIMIT = 0x250;
const FOLD = new Int32Array(FOLD_LIMIT);
for (let c = 0; c < FOLD_LIMIT; c++) {
  const lower = String.fromCharCode(c).toLowerCase();
  FOLD[c] = lower.length === 1 ? lower.charCodeAt(0) : -1;
}

function fold(c: number): number {
  if (c < FOLD_LIMIT) return FOLD[c] as number;
  return c === 0x2019 ? c : -1;
}

/** FNV-1a over code units (the same for a word as for the text range that holds it). */
function hashUnits(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let k = start; k < end; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h;
}

/** Builds a {@link WordTable}; values are OR-ed for a word given twice, and must not be 0. */
export function createWordTable(entries: Iterable<readonly [string, number]>): WordTable {
  const merged = new Map<string, number>();
  for (const [w, v] of entries) merged.set(w, (merged.get(w) ?? 0) | v);
  const words = [...merged.keys()];
  const values = Int32Array.from(words, (w) => merged.get(w) ?? 0);
  const mask = (1 << Math.ceil(Math.log2(words.length * 2 + 2))) - 1;
  const slots = new Int32Array((mask + 1) * 2);
  const filterBits = Math.min(
    MAX_FILTER_BITS,
    Math.max(MIN_FILTER_BITS, Math.ceil(Math.log2(words.length * 16 + 1))),
  );
  const filterShift = 32 - filterBits;
  const filter = new Int32Array(1 << (filterBits - 5));
  words.forEach((w, idx) => {
    const h = hashUnits(w, 0, w.length);
    const f = h >>> filterShift;
    filter[f >>> 5] = (filter[f >>> 5] as number) | (1 << (f & 31));
    let slot = h & mask;
    while (slots[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
    slots[slot * 2] = h;
    slots[slot * 2 + 1] = idx + 1;
  });
  return { mask, slots, words, values, filter, filterShift };
}

/** True when the filter says no word of the table has the hash `h`. */
function absent(table: WordTable, h: number): boolean {
  const f = h >>> table.filterShift;
  return (((table.filter[f >>> 5] as number) >>> (f & 31)) & 1) === 0;
}

/** The value of the word `text.slice(start, end)` (case-sensitive), or 0 when it is not in the table. */
export function wordValueAt(table: WordTable, text: string, start: number, end: number): number {
  return probe(table, hashUnits(text, start, end), text, start, end, false);
}

/**
 * The value of the lower case of `text.slice(start, end)`, or 0 when it is not in the table (entries are lower
 * case); {@link NOT_FOLDABLE} when a unit is outside Latin letters and "’" (look the lower-cased string up).
 */
export function lowerWordValueAt(table: WordTable, text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let k = start; k < end; k++) {
    const c = fold(text.charCodeAt(k));
    if (c < 0) return NOT_FOLDABLE;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return probe(table, h, text, start, end, true);
}

/** The value of the entry of hash `h` equal to `text.slice(start, end)` (lower-cased when `folded`), or 0. */
function probe(
  table: WordTable,
  h: number,
  text: string,
  start: number,
  end: number,
  folded: boolean,
): number {
  if (absent(table, h)) return 0;
  const { mask, slots } = table;
  for (let slot = h & mask; ; slot = (slot + 1) & mask) {
    const idx = slots[slot * 2 + 1] as number;
    if (idx === 0) return 0;
    if (slots[slot * 2] !== h) continue;
    const w = table.words[idx - 1] as string;
    if (w.length === end - start && (folded ? sameFolded(w, text, start) : text.startsWith(w, start)))
      return table.values[idx - 1] as number;
  }
}

function sameFolded(w: string, text: string, start: number): boolean {
  for (let k = 0; k < w.length; k++) if (fold(text.charCodeAt(start + k)) !== w.charCodeAt(k)) return false;
  return true;
}

/** The value of `word` itself (case-sensitive), or 0. */
export function wordValue(table: WordTable, word: string): number {
  return wordValueAt(table, word, 0, word.length);
}
