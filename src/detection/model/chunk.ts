/**
 * Splits a long text into model-sized chunks at natural boundaries (paragraph, then line, sentence, word)
 * — never inside a grapheme or inside a range the caller protects (values the rules found). Cuts between
 * lines are content-defined (chosen by a hash of the line or paragraph before them), so an edit re-cuts only
 * around itself and the chunks after it stay byte-identical: the per-chunk cache then re-detects only what
 * changed. A cut inside running text (a sentence or word boundary) gets an overlap so that a value crossing
 * it is seen whole by the next chunk. Pure; offsets are UTF-16 code units of the original text.
 */
import { hash } from "node:crypto";
import { makeSpan } from "../span.js";
import type { Span } from "../span.js";

/** A half-open range of the original text. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** One chunk: the model reads `[start, end)`; `[ownStart, end)` is the part no earlier chunk covered. */
export interface Chunk extends TextRange {
  readonly ownStart: number;
}

/** How to chunk. */
export interface ChunkOptions {
  /** Longest chunk in UTF-16 code units, overlap included. */
  readonly maxChars: number;
  /** Overlap added before a cut inside running text; default an eighth of `maxChars`, at most 400. */
  readonly overlapChars?: number;
  /** Ranges no cut may fall inside (values found by the rules), any order. */
  readonly protect?: readonly TextRange[];
}

/** Boundary strengths: where a cut may fall, best first. */
const PARAGRAPH = 3;
const LINE = 2;
const SENTENCE = 1;
const WORD = 0;

const SENTENCE_END = /[.!?;:。！？；：…]/u;
const SPACE = /\s/u;
/** Scripts written without spaces: a cut between two of their characters is a word boundary. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** True when `at` is a grapheme boundary of `text` (a cut there splits no user-perceived character). */
export function isGraphemeBoundary(text: string, at: number): boolean {
  if (at <= 0 || at >= text.length) return true;
  const prev = text.charCodeAt(at - 1);
  const next = text.charCodeAt(at);
  // Below U+0300 nothing combines, except CR LF, which is one grapheme.
  if (prev < 0x300 && next < 0x300) return !(prev === 13 && next === 10);
  // A grapheme cluster is short; segmenting a window around `at` decides it (emoji ZWJ sequences included).
  const from = Math.max(0, at - 32);
  const window = text.slice(from, Math.min(text.length, at + 32));
  for (const { index } of graphemes.segment(window)) {
    if (from + index === at) return true;
    if (from + index > at) return false;
  }
  return false;
}

/** Strength of a cut at `at` (text[at-1] | text[at]), or -1 when no cut may fall there. */
function strengthAt(text: string, at: number): number {
  const prev = text[at - 1] ?? "";
  const next = text[at] ?? "";
  if (prev === "\n") {
    if (next === "\n" || next === "\r") return -1; // cut after the whole run of blank lines
    const before = text[at - 2];
    const beforeThat = text[at - 3];
    return before === "\n" || (before === "\r" && beforeThat === "\n") ? PARAGRAPH : LINE;
  }
  if (SPACE.test(prev) && !SPACE.test(next)) {
    const last = text.slice(Math.max(0, at - 4), at).trimEnd();
    return SENTENCE_END.test(last.at(-1) ?? "") ? SENTENCE : WORD;
  }
  if (SENTENCE_END.test(prev) && UNSPACED.test(next)) return SENTENCE;
  if (UNSPACED.test(prev) && UNSPACED.test(next)) return WORD;
  return -1;
}

function sortedRanges(ranges: readonly TextRange[] | undefined): TextRange[] {
  return [...(ranges ?? [])].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
}

/** True when `at` lies strictly inside one of the sorted ranges (binary search). */
function insideRange(ranges: readonly TextRange[], at: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid] as TextRange;
    if (r.start >= at) hi = mid - 1;
    else {
      if (r.end > at) return true;
      lo = mid + 1;
    }
  }
  // Ranges may overlap: a range starting earlier can still cover `at`.
  for (let i = Math.min(lo, ranges.length) - 1; i >= 0 && i >= lo - 64; i--) {
    const r = ranges[i] as TextRange;
    if (r.start < at && r.end > at) return true;
  }
  return false;
}

/** A content-defined cut after `unit`: about one cut per `mean` code units of text, whatever the offsets. */
function hashCut(unit: string, mean: number): boolean {
  const h = Number.parseInt(hash("sha1", unit, "hex").slice(0, 8), 16) / 2 ** 32;
  return h < Math.min(1, unit.length / mean);
}

/**
 * Splits `text` into chunks of at most `maxChars` (see the module comment). A text that fits is one chunk.
 * A stretch with no allowed boundary at all (one protected value or an unbroken token longer than the
 * window) is cut at the last grapheme boundary outside protected ranges, or left whole when none exists.
 */
export function splitIntoChunks(text: string, options: ChunkOptions): Chunk[] {
  const maxChars = Math.max(64, Math.floor(options.maxChars));
  if (text.length <= maxChars) return [{ start: 0, end: text.length, ownStart: 0 }];
  const overlap = Math.max(0, Math.min(options.overlapChars ?? Math.min(400, maxChars >> 3), maxChars >> 2));
  const protect = sortedRanges(options.protect);
  const allowed = (at: number): boolean => !insideRange(protect, at) && isGraphemeBoundary(text, at);
  // Content-defined cuts come about once per `mean` code units (no minimum size: a minimum would make a cut
  // depend on where the chunk started, and an edit would then ripple on); the window is a hard cap.
  const mean = Math.floor(maxChars / 3);
  // Content-defined cuts fall between paragraphs when the text has enough of them, else between lines.
  const paragraphs = text.match(/\n\r?\n/g)?.length ?? 0;
  const hashLevel = paragraphs * mean >= text.length ? PARAGRAPH : LINE;

  const chunks: Chunk[] = [];
  let ownStart = 0;
  let readStart = 0;
  let unitStart = 0;
  while (ownStart < text.length) {
    const limit = readStart + maxChars;
    if (text.length <= limit) {
      chunks.push({ start: readStart, end: text.length, ownStart });
      break;
    }
    let cut = -1;
    let cutStrength = -1;
    let best = -1;
    let bestStrength = -1;
    for (let at = ownStart + 1; at <= limit; at++) {
      const s = strengthAt(text, at);
      if (s < 0) continue;
      if (s >= hashLevel) {
        const unit = text.slice(unitStart, at);
        unitStart = at;
        if (allowed(at) && hashCut(unit, mean)) {
          cut = at;
          cutStrength = s;
          break;
        }
      }
      // The fallback: the strongest boundary, latest among equals, in the second half of the window.
      if (at - readStart >= maxChars >> 1 && s >= bestStrength && allowed(at)) {
        best = at;
        bestStrength = s;
      }
    }
    if (cut === -1 && best !== -1) {
      cut = best;
      cutStrength = bestStrength;
    }
    if (cut === -1) {
      // Any allowed boundary after ownStart, then any grapheme boundary outside protected ranges.
      for (let at = limit; at > ownStart && cut === -1; at--)
        if (strengthAt(text, at) >= 0 && allowed(at)) cut = at;
      for (let at = limit; at > ownStart && cut === -1; at--) if (allowed(at)) cut = at;
      if (cut === -1) {
        // One protected value longer than the window: it is kept whole (the caller splits by tokens again).
        let at = limit + 1;
        while (at < text.length && !allowed(at)) at++;
        cut = at;
      }
      cutStrength = WORD - 1;
    }
    chunks.push({ start: readStart, end: cut, ownStart });
    // Re-synchronise the content-defined units at the cut.
    unitStart = cut;
    ownStart = cut;
    readStart = cut;
    if (cutStrength < LINE && overlap > 0 && cut < text.length) {
      // Read back over the cut to a word boundary outside protected ranges.
      for (let at = Math.max(chunks[chunks.length - 1]?.ownStart ?? 0, cut - overlap); at < cut; at++) {
        if (strengthAt(text, at) >= WORD && allowed(at)) {
          readStart = at;
          break;
        }
      }
    }
  }
  return chunks;
}

/**
 * Maps spans found in chunks (offsets into each chunk's text) back to offsets into the whole text; a value
 * that two overlapping chunks both saw is kept once. Sorted by start, longer first.
 */
export function mapChunkSpans(
  text: string,
  chunks: readonly TextRange[],
  perChunk: readonly (readonly Span[])[],
): Span[] {
  const seen = new Set<string>();
  const spans: Span[] = [];
  chunks.forEach((chunk, i) => {
    for (const s of perChunk[i] ?? []) {
      const start = chunk.start + s.start;
      const end = chunk.start + s.end;
      if (start < chunk.start || end > chunk.end || end <= start) continue;
      const key = `${start}:${end}:${s.type}:${s.level}`;
      if (seen.has(key)) continue;
      seen.add(key);
      spans.push(makeSpan(text, start, end, s.type, s.level, s.source));
    }
  });
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}
