/**
 * Occurrences, the middle of the pipeline (src/redaction/pipeline.ts): the detected spans the policy keeps
 * (cut around placeholder tokens the text already holds), then every occurrence of every kept value and of
 * every value the scope already knows, in every text, overlaps resolved — the spans substitution applies.
 */
import { mergeSpans } from "../detection/merge.js";
import type { Span } from "../detection/span.js";
import { maxLevel, type PrivacyLevel } from "../taxonomy/levels.js";
import { CANONICAL_PLACEHOLDER_RE } from "../taxonomy/placeholder.js";
import type { VaultEntry } from "../vault/vault.js";
import { MultiPatternMatcher } from "./aho-corasick.js";
import type { Deadline } from "./deadline.js";
import type { KnownValues } from "./known-values.js";
import { DENY_TYPE, masksLevel, type Policy } from "./policy.js";
import type { TextItem } from "./request.js";

/** True for an ASCII letter or digit (by UTF-16 code unit). */
function isAsciiWord(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** True when an occurrence at [start, end) does not cut through an ASCII word or number. */
export function onBoundary(text: string, start: number, end: number): boolean {
  if (start > 0 && isAsciiWord(text.charCodeAt(start)) && isAsciiWord(text.charCodeAt(start - 1)))
    return false;
  if (end < text.length && isAsciiWord(text.charCodeAt(end - 1)) && isAsciiWord(text.charCodeAt(end)))
    return false;
  return true;
}

/** A placeholder name: words of letters (short numbers allowed), never a run of digits that could be a value. */
const PLACEHOLDER_NAME = /^[A-Za-z][A-Za-z0-9]*(?:_(?:[A-Za-z][A-Za-z0-9]*|[0-9]{1,2}))*$/;

/**
 * Offsets of every canonical placeholder token (`<Name_N>`) in a text. A token whose name holds a longer
 * run of digits is no placeholder (`<Phone_13800138000_1>` hides a value, which is still detected).
 */
function placeholderRanges(text: string): [number, number][] {
  if (!text.includes("<")) return [];
  const out: [number, number][] = [];
  for (const m of text.matchAll(CANONICAL_PLACEHOLDER_RE)) {
    if (PLACEHOLDER_NAME.test(m[1] as string) && !/[0-9]{3}/.test(m[1] as string))
      out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** True when `text` is a bare placeholder the scope issued (`Real_Name_1`). */
function isKnownPlaceholderText(text: string, known: KnownValues): boolean {
  const m = /^([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)_(\d{1,9})$/.exec(text);
  return (
    m?.[1] !== undefined &&
    m[2] !== undefined &&
    known.entryForKey(`${m[1].toLowerCase()}_${Number(m[2])}`) !== undefined
  );
}

/** A parameter name with its separator (`&token=`, `key:`): syntax around placeholders, never a value. */
const KEY_FRAGMENT = /^[&?;,|]*[\p{L}_][\p{L}\p{N}_.-]*[=:]$/u;

/** Index of the first of the sorted, disjoint [start, end) ranges that ends after `at` (binary search). */
function firstEndingAfter(ranges: readonly [number, number][], at: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ranges[mid] as [number, number])[1] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when span `s` overlaps one of the sorted, disjoint [start, end) ranges (O(log n)). */
function overlapsAny(s: Span, ranges: readonly [number, number][]): boolean {
  const r = ranges[firstEndingAfter(ranges, s.start)];
  return r !== undefined && r[0] < s.end;
}

/**
 * Spans cut around placeholder tokens: a span that overlaps one keeps only its pieces outside every token
 * (trimmed of blanks, and holding at least two letters or digits), each still the same type and level.
 */
function outsideTokens(spans: readonly Span[], tokens: readonly [number, number][], text: string): Span[] {
  if (tokens.length === 0) return spans as Span[];
  const out: Span[] = [];
  for (const s of spans) {
    if (!overlapsAny(s, tokens)) {
      out.push(s);
      continue;
    }
    let at = s.start;
    const pieces: [number, number][] = [];
    for (let t = firstEndingAfter(tokens, s.start); t < tokens.length; t++) {
      const [a, b] = tokens[t] as [number, number];
      if (a >= s.end) break;
      if (a > at) pieces.push([at, a]);
      at = Math.max(at, b);
    }
    if (at < s.end) pieces.push([at, s.end]);
    for (const [a, b] of pieces) {
      let start = a;
      let end = b;
      while (start < end && /\s/.test(text[start] as string)) start++;
      while (end > start && /\s/.test(text[end - 1] as string)) end--;
      // A remnant such as `&k=` or `&token=` between two placeholders is the detector reading the
      // placeholders (and the query around them), not a value; any other piece with two letters or digits
      // may be a value glued to one (`Tr0ub4dor&3<Email_1>`).
      const piece = text.slice(start, end);
      if ((piece.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 2 && !KEY_FRAGMENT.test(piece))
        out.push({ ...s, start, end, text: piece });
    }
  }
  return out;
}

/** Characters one pass of a matcher takes at once before the event loop gets a turn (see findInWindows). */
const MATCH_WINDOW = 1 << 16;

/** A window of a text to match in: `piece` starts at `from` and holds the matches ending after `at`. */
export interface TextWindow {
  readonly piece: string;
  readonly from: number;
  readonly at: number;
}

/**
 * `text` cut into windows of {@link MATCH_WINDOW} characters for matching with a turn of the event loop between
 * them: each starts `longest - 1` characters early, and keeps only the matches that end inside it (after `at`),
 * so with values no longer than `longest` no match is lost or repeated, and the order by end is one pass's.
 */
export function textWindows(text: string, longest: number): TextWindow[] {
  if (text.length <= MATCH_WINDOW) return [{ piece: text, from: 0, at: 0 }];
  const out: TextWindow[] = [];
  for (let at = 0; at < text.length; at += MATCH_WINDOW) {
    const from = Math.max(0, at - (longest - 1));
    out.push({ piece: text.slice(from, Math.min(text.length, at + MATCH_WINDOW)), from, at });
  }
  return out;
}

/**
 * Calls `found` with each match of `findAll` in `text` and its place in `text`, matching a window at a time
 * ({@link textWindows}, values no longer than `longest`) and yielding to the event loop between windows and
 * when `deadline` asks.
 */
async function forEachMatch<M extends { readonly start: number; readonly end: number }>(
  text: string,
  longest: number,
  findAll: (piece: string) => Iterable<M>,
  deadline: Deadline,
  found: (match: M, start: number, end: number) => void,
): Promise<void> {
  for (const [w, window] of textWindows(text, longest).entries()) {
    if (w > 0) await deadline.pause();
    for (const m of findAll(window.piece)) {
      if (deadline.due()) await deadline.pause();
      const end = m.end + window.from;
      if (end > window.at) found(m, m.start + window.from, end); // else found in the window before
    }
  }
}

/** Shortest value masked wherever it occurs (a single character is only masked where it was detected). */
export const MIN_OCCURRENCE_LENGTH = 2;

interface ValueInfo {
  type: string;
  level: PrivacyLevel;
  source: string;
}

/**
 * The spans to substitute in each of `items`, from what detection found in each (`detected`, same order):
 * non-overlapping, sorted. `known`'s values are masked wherever they occur unless `maskKnown` is false. The
 * loops over spans and matches yield to the event loop in slices and stop at `deadline` (it throws).
 */
export async function findOccurrences(
  items: readonly TextItem[],
  detected: readonly Span[][],
  policy: Policy,
  known: KnownValues,
  maskKnown: boolean,
  deadline: Deadline,
): Promise<Span[][]> {
  const allowed = new Set(policy.allow);

  // Policy: levels and allow list; every kept value with its highest level.
  const values = new Map<string, ValueInfo>();
  const note = (text: string, info: ValueInfo): void => {
    const seen = values.get(text);
    if (seen === undefined) values.set(text, { type: info.type, level: info.level, source: info.source });
    else if (seen.level !== info.level && maxLevel(seen.level, info.level) !== seen.level)
      values.set(text, { type: info.type, level: info.level, source: info.source });
  };
  // A page of one repeated value asks about the same text ~90,000 times.
  const placeholderText = new Map<string, boolean>();
  const isPlaceholderText = (text: string): boolean => {
    let answer = placeholderText.get(text);
    if (answer === undefined) {
      answer = isKnownPlaceholderText(text, known);
      placeholderText.set(text, answer);
    }
    return answer;
  };
  const tokensOf = items.map((item) => placeholderRanges(item.text));
  const kept: Span[][] = [];
  for (const [i, spans] of detected.entries()) {
    const text = items[i]?.text ?? "";
    // A placeholder the text already holds is not private data (a shape rule may take `Real_Name_1`
    // for a password, a cue rule may run over `<Password_1>&k=<Key_1>`): detected spans are cut around
    // every placeholder token, so the caller's literal placeholders go upstream exactly as sent.
    const out: Span[] = [];
    for (const s of outsideTokens(spans, tokensOf[i] ?? [], text)) {
      if (deadline.due()) await deadline.pause();
      if (
        masksLevel(policy, s.level) &&
        !allowed.has(s.text) &&
        s.text.trim().length > 0 &&
        !isPlaceholderText(s.text)
      ) {
        out.push(s);
        note(s.text, s);
      }
    }
    kept.push(out);
  }
  for (const value of policy.deny) {
    if (value.length > 0 && !allowed.has(value))
      note(value, { type: DENY_TYPE, level: "PL4", source: "deny-list" });
  }

  // Values the scope already knows (a resent turn must not leak what an earlier turn masked).
  // The scope's matcher grows with the scope (see known-values.ts); entries the policy or this request rule
  // out are skipped per match rather than by building a matcher for the subset every request.
  const knownEntry = (e: VaultEntry): boolean =>
    masksLevel(policy, e.level) && !allowed.has(e.value) && !values.has(e.value);
  const knownMatcher = maskKnown && known.size > 0 ? known : undefined;

  // Every occurrence of every value in every text, then overlap resolution.
  const fresh = [...values.keys()];
  const freshMatcher = fresh.length > 0 ? new MultiPatternMatcher(fresh) : undefined;
  let longest = 0;
  for (const value of fresh) longest = Math.max(longest, value.length);
  const out: Span[][] = [];
  for (const [i, item] of items.entries()) {
    const own = kept[i] ?? [];
    const spans: Span[] = [...own];
    const text = item.text;
    if (freshMatcher !== undefined) {
      // An occurrence that is a kept span again (same range, same level) is what the merge would drop: skip
      // it here, so a page of one repeated value does not double the spans to merge. Kept spans are sorted by
      // start; matches come by end, so the walk only moves forward and misses nothing it must keep.
      let k = 0;
      const matcher = freshMatcher;
      await forEachMatch(
        text,
        longest,
        (piece) => matcher.findAll(piece),
        deadline,
        (m, start, end) => {
          const value = fresh[m.pattern] as string;
          const info = values.get(value) as ValueInfo;
          if (value.length < MIN_OCCURRENCE_LENGTH && info.source !== "deny-list") return;
          if (!onBoundary(text, start, end)) return;
          while (k < own.length && (own[k] as Span).start < start) k++;
          const same = own[k];
          if (same?.start === start && same.end === end && same.level === info.level) return;
          spans.push({ start, end, text: value, type: info.type, level: info.level, source: info.source });
        },
      );
    }
    if (knownMatcher !== undefined) {
      const matcher = knownMatcher;
      await forEachMatch(
        text,
        matcher.longest,
        (piece) => matcher.findAll(piece),
        deadline,
        (m, start, end) => {
          const entry = m.entry;
          if (entry.value.length < MIN_OCCURRENCE_LENGTH || !onBoundary(text, start, end)) return;
          if (!knownEntry(entry)) return;
          spans.push({
            start,
            end,
            text: entry.value,
            type: entry.type,
            level: entry.level,
            source: "vault",
          });
        },
      );
    }
    const tokens = tokensOf[i] ?? [];
    out.push(mergeSpans(tokens.length === 0 ? spans : spans.filter((s) => !overlapsAny(s, tokens))));
    deadline.check();
  }
  return out;
}
