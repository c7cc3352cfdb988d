// Normalisation before matching, so disguised values are seen as what they are: NFKC compatibility forms
// (full-width, mathematical digits, small "﹫"), format characters (\p{Cf}: zero-width, bidi controls, tag
// characters) and stray combining marks / variation selectors dropped, every decimal digit (\p{Nd}, any
// script) as ASCII, every space separator (\p{Zs}) as " ", dash punctuation (\p{Pd}) as "-", and "%40"
// between letters as "@". An offset map leads back to the original, so spans always cover the original
// characters (the disguise included) and the redactor replaces what was really sent.

// Characters the slow path would leave as they are: ASCII, Latin letters with diacritics, Greek and Cyrillic
// letters, common punctuation, CJK ideographs and punctuation, full-width punctuation, emoji. Anything else
// (and "%40") takes the slow path. Full-width punctuation is everywhere in Chinese text and is left alone.
const NEEDS_WORK_RE =
  /[^\t\n\r\x20-\x7E\u00A1-\u00A7\u00A9\u00AB\u00AC\u00AE\u00B0\u00B1\u00B6\u00B7\u00BB\u00BF-\u024F\u0386\u0388-\u03FF\u0400-\u0482\u048A-\u052F\u2016-\u2023\u2026\u2027\u2030-\u2032\u2034-\u203B\u203D-\u2046\u204A-\u2056\u2058-\u205E\u20A0-\u20C0\u2190-\u21FF\u2500-\u27BF\u3001-\u301B\u301D-\u3029\u3041-\u309F\u30A1-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7A3\uFF01-\uFF0F\uFF1A-\uFF1F\uFF3B-\uFF40\uFF5B-\uFF5E]|%40/u;
const CF_RE = /^\p{Cf}$/u;
const MARK_RE = /^[\p{Mn}\p{Me}]$/u;
const ND_RE = /^\p{Nd}$/u;
const ZS_RE = /^\p{Zs}$/u;
const PD_RE = /^\p{Pd}$/u;
// Long dashes separate clauses, not digit groups: they stay as they are.
const LONG_DASHES = new Set([0x2014, 0x2015, 0x2e3a, 0x2e3b, 0x3030, 0x30a0, 0xfe31, 0xfe32, 0xfe58]);

/** A normalised view of a text and the mapping from its offsets to the original's. */
export interface NormalizedText {
  readonly text: string;
  /** Original start offset of each normalised code unit; undefined when the mapping is the identity. */
  readonly map: Int32Array | undefined;
  /** Original end offset of each normalised code unit (set whenever `map` is). */
  readonly ends: Int32Array | undefined;
  readonly originalLength: number;
}

const digitCache = new Map<number, number>();

/** The value 0–9 of a \p{Nd} code point: Unicode puts every decimal digit set in a run that starts at 0. */
function digitValue(cp: number): number {
  const hit = digitCache.get(cp);
  if (hit !== undefined) return hit;
  let zero = cp;
  while (ND_RE.test(String.fromCodePoint(zero - 1))) zero--;
  const v = (cp - zero) % 10;
  digitCache.set(cp, v);
  return v;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Folds disguises for matching (see the module comment); returns the identity view when nothing changes. */
export function normalizeText(input: string): NormalizedText {
  if (!NEEDS_WORK_RE.test(input))
    return { text: input, map: undefined, ends: undefined, originalLength: input.length };
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const push = (s: string, from: number, to: number): void => {
    for (let k = 0; k < s.length; k++) {
      parts.push(s.charAt(k));
      starts.push(from);
      ends.push(to);
    }
  };
  for (let i = 0; i < input.length;) {
    const cp = input.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    const next = i + width;
    const ch = input.slice(i, next);
    i = next;
    if (cp < 0x80) {
      // "%40" between letters or digits is a URL-encoded "@" ("user%40example.org").
      if (
        cp === 0x25 &&
        input.startsWith("40", next) &&
        parts.length > 0 &&
        isAsciiAlnum((parts[parts.length - 1] ?? "").charCodeAt(0)) &&
        isAsciiAlnum(input.charCodeAt(next + 2)) &&
        (isAsciiLetter((parts[parts.length - 1] ?? "").charCodeAt(0)) ||
          isAsciiLetter(input.charCodeAt(next + 2)))
      ) {
        push("@", next - 1, next + 2);
        i = next + 2;
        continue;
      }
      push(ch, next - width, next);
      continue;
    }
    if (cp >= 0xff01 && cp <= 0xff5e) {
      push(String.fromCharCode(cp - 0xfee0), next - width, next);
      continue;
    }
    if (CF_RE.test(ch)) continue;
    if (MARK_RE.test(ch)) {
      // A mark that composes with the character before it ("e" + U+0301 → "é") is kept composed; any other
      // mark (variation selectors, CGJ, marks stacked on digits) is dropped.
      const last = parts.length - 1;
      const composed = last >= 0 ? ((parts[last] ?? "") + ch).normalize("NFC") : "";
      if (composed.length === 1) {
        parts[last] = composed;
        ends[last] = next;
      }
      continue;
    }
    if (ND_RE.test(ch)) {
      push(String.fromCharCode(48 + digitValue(cp)), next - width, next);
      continue;
    }
    if (ZS_RE.test(ch)) {
      push(" ", next - width, next);
      continue;
    }
    if (PD_RE.test(ch) || cp === 0x2212) {
      push(LONG_DASHES.has(cp) ? ch : "-", next - width, next);
      continue;
    }
    const folded = cp === 0x2026 ? ch : ch.normalize("NFKC");
    push(folded, next - width, next);
  }
  let text = "";
  for (let k = 0; k < parts.length; k += 8192) text += parts.slice(k, k + 8192).join("");
  return {
    text,
    map: Int32Array.from(starts),
    ends: Int32Array.from(ends),
    originalLength: input.length,
  };
}

/** Maps a normalised [start, end) back to original offsets (the end covers any skipped chars inside). */
export function toOriginal(norm: NormalizedText, start: number, end: number): [number, number] {
  if (norm.map === undefined || norm.ends === undefined) return [start, end];
  const s = norm.map[start] ?? norm.originalLength;
  const e = norm.ends[end - 1];
  return [s, e === undefined ? norm.originalLength : e];
}
