// Normalisation before matching, so disguised values are seen as what they are: NFKC compatibility forms
// (full-width, mathematical digits, small "﹫"), format characters (\p{Cf}: zero-width, bidi controls, tag
// characters) and stray combining marks / variation selectors dropped, every decimal digit (\p{Nd}, any
// script) as ASCII, every space separator (\p{Zs}) as " ", dash punctuation (\p{Pd}) as "-", and "%40"
// between letters as "@". An offset map leads back to the original, so spans always cover the original
// characters (the disguise included) and the redactor replaces what was really sent.

import { isAsciiLetter } from "./context.js";

// Characters the slow path would leave as they are: ASCII, Latin letters with diacritics, Greek and Cyrillic
// letters, common punctuation and symbols, CJK ideographs and punctuation, kana, Hangul, full-width
// punctuation, emoji (high surrogates D83C–D83E). Anything else (and "%40") takes the slow path. Full-width
// punctuation is everywhere in Chinese text and is left alone. A table per UTF-16 unit: a regex class this
// large costs several nanoseconds per character, the table one.
const SAFE_RANGES: readonly (readonly [number, number])[] = [
  [0x09, 0x0a],
  [0x0d, 0x0d],
  [0x20, 0x7e],
  [0xa1, 0xa7],
  [0xa9, 0xa9],
  [0xab, 0xac],
  [0xae, 0xae],
  [0xb0, 0xb1],
  [0xb6, 0xb7],
  [0xbb, 0xbb],
  [0xbf, 0x24f],
  [0x386, 0x386],
  [0x388, 0x3ff],
  [0x400, 0x482],
  [0x48a, 0x52f],
  [0x2014, 0x2023],
  [0x2026, 0x2027],
  [0x2030, 0x2032],
  [0x2034, 0x203b],
  [0x203d, 0x2046],
  [0x204a, 0x2056],
  [0x2058, 0x205e],
  [0x20a0, 0x20c0],
  [0x2190, 0x21ff],
  [0x2200, 0x22ff],
  [0x2500, 0x27bf],
  [0x3001, 0x301b],
  [0x301d, 0x3029],
  [0x3041, 0x309f],
  [0x30a1, 0x30ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xac00, 0xd7a3],
  [0xd83c, 0xd83e],
  [0xdc00, 0xdfff],
  [0xff01, 0xff0f],
  [0xff1a, 0xff1f],
  [0xff3b, 0xff40],
  [0xff5b, 0xff5e],
];
const NEEDS_WORK = new Uint8Array(0x10000).fill(1);
for (const [a, b] of SAFE_RANGES) NEEDS_WORK.fill(0, a, b + 1);
// U+2010–2013 are dashes (Pd) inside the safe 2014 block's neighbourhood: they need work.
NEEDS_WORK.fill(1, 0x2010, 0x2014);

// Any unit but printable ASCII, tab and line breaks: the regex engine skips a run of plain ASCII several times
// faster than the loop below, which decides from the first such unit on (one regex class holding the whole
// table would cost more per unit than the table). "%40" is looked for apart: with it in the pattern as an
// alternative, the scan costs a third more.
const NOT_PLAIN_ASCII_RE = /[^\t\n\r\x20-\x7e]/;

/**
 * Index of the first unit that needs work ("%40" included), or the length; `from` is the first unit that is not
 * plain ASCII (-1: none).
 */
function findWork(input: string, from: number): number {
  const encoded = input.indexOf("%40");
  if (encoded >= 0 && (from < 0 || encoded < from)) return encoded;
  if (from < 0) return input.length;
  for (let i = from; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (NEEDS_WORK[c] === 1 || (c === 0x25 && input.startsWith("40", i + 1))) return i;
  }
  return input.length;
}
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
  /**
   * True when the text is known to be printable ASCII, tabs and line breaks only (so it holds no CJK); false says
   * nothing more (a plain text with a "%40" in it is folded, and says false).
   */
  readonly plainAscii: boolean;
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

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// What the slow path does with a non-ASCII code point, per BMP unit, filled on first sight (the Unicode property
// tests cost far more than a table look-up, and a disguised page repeats the same few characters).
const OTHER = 1;
const FORMAT = 2;
const MARK = 3;
const DIGIT = 4;
const SPACE = 5;
const DASH = 6;
const CLASS_OF = new Uint8Array(0x10000);

function classify(ch: string, cp: number): number {
  if (CF_RE.test(ch)) return FORMAT;
  if (MARK_RE.test(ch)) return MARK;
  if (ND_RE.test(ch)) return DIGIT;
  if (ZS_RE.test(ch)) return SPACE;
  if (PD_RE.test(ch) || cp === 0x2212) return DASH;
  return OTHER;
}

function classOf(ch: string, cp: number): number {
  if (cp > 0xffff) return classify(ch, cp);
  let c = CLASS_OF[cp] as number;
  if (c === 0) CLASS_OF[cp] = c = classify(ch, cp);
  return c;
}

// Per BMP unit (other than full-width forms), whether the slow path outputs it as it is: unknown, yes, no.
const KEEPS_UNKNOWN = 0;
const KEEPS_YES = 1;
const KEEPS_NOT = 2;
const KEEPS = new Uint8Array(0x10000);

// NFKC of single code points already seen (bounded: the BMP and the few astral characters a text holds).
const nfkcCache = new Map<number, string>();

function nfkc(ch: string, cp: number): string {
  let v = nfkcCache.get(cp);
  if (v === undefined) {
    v = cp === 0x2026 ? ch : ch.normalize("NFKC");
    if (nfkcCache.size > 4096) nfkcCache.clear();
    nfkcCache.set(cp, v);
  }
  return v;
}

/**
 * Growable output of the slow path: UTF-16 units and, per unit, its original start and end. While every unit
 * so far stands where it stood (full-width forms, digits, spaces and dashes fold one unit to one), the offsets
 * are not written: the view stays the identity, and most folded texts end so.
 */
class Folded {
  units: Uint16Array;
  starts: Int32Array | undefined;
  ends: Int32Array | undefined;
  length = 0;

  constructor(capacity: number) {
    this.units = new Uint16Array(capacity);
  }

  push(unit: number, from: number, to: number): void {
    if (this.length === this.units.length) this.grow();
    const k = this.length++;
    this.units[k] = unit;
    const starts = this.starts ?? (from === k && to === k + 1 ? undefined : this.offsets());
    if (starts === undefined) return;
    starts[k] = from;
    (this.ends as Int32Array)[k] = to;
  }

  /** Pushes the units of `input` in [from, to), each mapped to itself. */
  pushAscii(input: string, from: number, to: number): void {
    while (this.length + (to - from) > this.units.length) this.grow();
    const starts = this.starts ?? (from === this.length ? undefined : this.offsets());
    const ends = this.ends;
    let k = this.length;
    for (let i = from; i < to; i++, k++) {
      this.units[k] = input.charCodeAt(i);
      if (starts === undefined || ends === undefined) continue;
      starts[k] = i;
      ends[k] = i + 1;
    }
    this.length = k;
  }

  pushString(s: string, from: number, to: number): void {
    for (let k = 0; k < s.length; k++) this.push(s.charCodeAt(k), from, to);
  }

  /** The offsets, written from now on: each unit pushed so far stands where it stood. */
  offsets(): Int32Array {
    const starts = new Int32Array(this.units.length);
    const ends = new Int32Array(this.units.length);
    for (let k = 0; k < this.length; k++) {
      starts[k] = k;
      ends[k] = k + 1;
    }
    this.starts = starts;
    this.ends = ends;
    return starts;
  }

  private grow(): void {
    const n = this.units.length * 2 + 16;
    const units = new Uint16Array(n);
    units.set(this.units);
    this.units = units;
    if (this.starts === undefined || this.ends === undefined) return;
    const starts = new Int32Array(n);
    starts.set(this.starts);
    const ends = new Int32Array(n);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  text(): string {
    let out = "";
    for (let k = 0; k < this.length; k += 8192)
      // apply, not spread: spreading a typed array walks its iterator, many times slower.
      out += String.fromCharCode.apply(
        null,
        this.units.subarray(k, Math.min(this.length, k + 8192)) as unknown as number[],
      );
    return out;
  }
}

/** Folds disguises for matching (see the module comment); returns the identity view when nothing changes. */
export function normalizeText(input: string): NormalizedText {
  const notPlain = input.search(NOT_PLAIN_ASCII_RE);
  const firstWork = findWork(input, notPlain);
  if (firstWork === input.length)
    return {
      text: input,
      map: undefined,
      ends: undefined,
      originalLength: input.length,
      plainAscii: notPlain < 0,
    };
  const out = new Folded(input.length + 16);
  // Everything before the first character that needs work is ASCII or safe: copied unit by unit as the loop
  // below would (it folds full-width punctuation and a few compatibility forms even among safe characters,
  // so only ASCII is copied without a look).
  let i = 0;
  for (; i < firstWork; i++) {
    const c = input.charCodeAt(i);
    if (c >= 0x80) break;
    out.push(c, i, i + 1);
  }
  while (i < input.length) {
    const cp = input.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    const next = i + width;
    i = next;
    if (cp < 0x80) {
      // "%40" between letters or digits is a URL-encoded "@" ("user%40example.org").
      const last = out.length > 0 ? (out.units[out.length - 1] as number) : -1;
      if (
        cp === 0x25 &&
        input.startsWith("40", next) &&
        last >= 0 &&
        isAsciiAlnum(last) &&
        isAsciiAlnum(input.charCodeAt(next + 2)) &&
        (isAsciiLetter(last) || isAsciiLetter(input.charCodeAt(next + 2)))
      ) {
        out.push(0x40, next - 1, next + 2);
        i = next + 2;
        continue;
      }
      // A run of ASCII without "%" is copied as it is, in one tight loop.
      let j = next;
      while (j < input.length) {
        const c = input.charCodeAt(j);
        if (c >= 0x80 || c === 0x25) break;
        j++;
      }
      out.pushAscii(input, next - 1, j);
      i = j;
      continue;
    }
    if (cp >= 0xff01 && cp <= 0xff5e) {
      out.push(cp - 0xfee0, next - width, next);
      continue;
    }
    // Most units past the first disguise fold to themselves (Chinese text around a dash): one table look-up
    // answers for a unit seen before, without making its one-character string.
    const keep = width === 1 ? (KEEPS[cp] as number) : KEEPS_NOT;
    if (keep === KEEPS_YES) {
      out.push(cp, next - 1, next);
      continue;
    }
    const ch = width === 1 ? String.fromCharCode(cp) : input.slice(next - 2, next);
    if (keep === KEEPS_UNKNOWN)
      KEEPS[cp] = classOf(ch, cp) === OTHER && nfkc(ch, cp) === ch ? KEEPS_YES : KEEPS_NOT;
    switch (classOf(ch, cp)) {
      case FORMAT:
        continue;
      case MARK: {
        // A mark that composes with the character before it ("e" + U+0301 → "é") is kept composed; any other
        // mark (variation selectors, CGJ, marks stacked on digits) is dropped.
        const last = out.length - 1;
        const composed =
          last >= 0 ? (String.fromCharCode(out.units[last] as number) + ch).normalize("NFC") : "";
        if (composed.length === 1) {
          out.units[last] = composed.charCodeAt(0);
          // The composed unit now covers the mark too: its end moves, so the view is no longer the identity.
          if (out.ends === undefined && next !== last + 1) out.offsets();
          if (out.ends !== undefined) out.ends[last] = next;
        }
        continue;
      }
      case DIGIT:
        out.push(48 + digitValue(cp), next - width, next);
        continue;
      case SPACE:
        out.push(0x20, next - width, next);
        continue;
      case DASH:
        if (LONG_DASHES.has(cp)) out.pushString(ch, next - width, next);
        else out.push(0x2d, next - width, next);
        continue;
      default:
        out.pushString(nfkc(ch, cp), next - width, next);
    }
  }
  return {
    text: out.text(),
    map: out.starts?.slice(0, out.length),
    ends: out.ends?.slice(0, out.length),
    originalLength: input.length,
    plainAscii: false,
  };
}

/** Maps a normalised [start, end) back to original offsets (the end covers any skipped chars inside). */
export function toOriginal(norm: NormalizedText, start: number, end: number): [number, number] {
  if (norm.map === undefined || norm.ends === undefined) return [start, end];
  const s = norm.map[start] ?? norm.originalLength;
  const e = norm.ends[end - 1];
  return [s, e === undefined ? norm.originalLength : e];
}
