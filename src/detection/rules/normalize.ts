// Normalisation before matching: full-width ASCII → ASCII (1:1) and zero-width characters removed, with an
// offset map back to the original so spans always cover the original text (zero-width chars included).

// Invisible characters: zero-width space/joiners, word joiner and invisible operators, BOM, soft hyphen,
// Mongolian vowel separator.
const ZERO_WIDTH_RE = /[\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u180E]/;
// Only full-width letters, digits and "@" trigger the slow path: full-width punctuation (，：（）) is everywhere
// in Chinese text and needs no folding for the rules to work.
const NEEDS_WORK_RE = /[\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u180E\uFF10-\uFF19\uFF20-\uFF3A\uFF41-\uFF5A]/;

/** A normalised view of a text and the mapping from its offsets to the original's. */
export interface NormalizedText {
  readonly text: string;
  /** Original offset of each normalised code unit; undefined when the mapping is the identity. */
  readonly map: Int32Array | undefined;
  readonly originalLength: number;
}

function foldChar(code: number): number {
  // Full-width ASCII variants U+FF01–U+FF5E map 1:1 onto U+0021–U+007E; U+3000 is the ideographic space.
  if (code >= 0xff01 && code <= 0xff5e) return code - 0xfee0;
  if (code === 0x3000) return 0x20;
  return code;
}

/** Folds full-width ASCII and drops zero-width characters; returns the identity view when nothing changes. */
export function normalizeText(input: string): NormalizedText {
  if (!NEEDS_WORK_RE.test(input)) return { text: input, map: undefined, originalLength: input.length };
  const hasZeroWidth = ZERO_WIDTH_RE.test(input);
  const codes: number[] = [];
  const map = hasZeroWidth ? new Int32Array(input.length) : undefined;
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (
      (code >= 0x200b && code <= 0x200d) ||
      (code >= 0x2060 && code <= 0x2064) ||
      code === 0xfeff ||
      code === 0xad ||
      code === 0x180e
    ) {
      continue;
    }
    codes.push(foldChar(code));
    if (map !== undefined) map[n] = i;
    n++;
  }
  let text = "";
  for (let i = 0; i < codes.length; i += 8192) text += String.fromCharCode(...codes.slice(i, i + 8192));
  return { text, map: map === undefined ? undefined : map.subarray(0, n), originalLength: input.length };
}

/** Maps a normalised [start, end) back to original offsets (the end covers any skipped chars inside). */
export function toOriginal(norm: NormalizedText, start: number, end: number): [number, number] {
  if (norm.map === undefined) return [start, end];
  const s = norm.map[start] ?? norm.originalLength;
  const last = norm.map[end - 1];
  return [s, last === undefined ? norm.originalLength : last + 1];
}
