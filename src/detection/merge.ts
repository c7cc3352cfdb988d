/**
 * Overlap resolution (docs/architecture.md, redaction rules): spans from every detector become one
 * non-overlapping set. Priority: higher level first, then the longer span, then the earlier start, then the
 * earlier source in the input order (so a caller lists its preferred detector first).
 *
 * Cost is O(n log n) in the number of spans, whatever their layout: a tool output listing thousands of
 * amounts must not turn the greedy pass into a quadratic one. Kept spans are disjoint, so among those that
 * start before a candidate's end, the one with the greatest start also has the greatest end: a prefix-maximum
 * tree of kept ends over the (compressed) start offsets answers "does anything kept overlap [s, e)?" in
 * O(log n).
 */
import { levelRank } from "../taxonomy/levels.js";
import type { Span } from "./span.js";

/** Offsets below this (2^24) pack into one sort key with the level and the length. */
const KEY_SPAN = 2 ** 24;

/** Returns non-overlapping spans sorted by start; empty spans are dropped. Does not mutate the input. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const live: Span[] = [];
  for (const span of spans) if (span.end > span.start) live.push(span);
  if (live.length <= 1) return live;
  // Already sorted by start and disjoint (the rules' usual output, a page of amounts included): nothing to
  // resolve, and the greedy pass would keep every span anyway.
  if (sortedDisjoint(live)) return live;
  const fast = mergeFewSortedRuns(live);
  if (fast !== undefined) return fast;
  // One numeric key per span — level rank, then length (longer first), then start — so the sort compares
  // numbers, not objects; ties keep input order (the sort is stable). Offsets fit 24 bits (the body limit).
  const n = live.length;
  const key = new Float64Array(n);
  let packable = true;
  for (let i = 0; i < n; i++) {
    const s = live[i] as Span;
    if (s.end > KEY_SPAN) packable = false;
    key[i] =
      (4 - levelRank(s.level)) * KEY_SPAN * KEY_SPAN + (KEY_SPAN - (s.end - s.start)) * KEY_SPAN + s.start;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  if (packable) {
    order.sort((a, b) => (key[a] as number) - (key[b] as number));
  } else {
    order.sort((a, b) => {
      const x = live[a] as Span;
      const y = live[b] as Span;
      return (
        levelRank(y.level) - levelRank(x.level) ||
        y.end - y.start - (x.end - x.start) ||
        x.start - y.start ||
        a - b
      );
    });
  }
  // Distinct starts, ascending: the tree's coordinates.
  const sortedStarts = Float64Array.from(live, (s) => s.start).sort();
  const starts: number[] = [];
  for (const x of sortedStarts) if (starts.length === 0 || starts[starts.length - 1] !== x) starts.push(x);
  const tree = new Float64Array(starts.length + 1).fill(-1);
  const keptFlag = new Uint8Array(live.length);
  for (const i of order) {
    const s = live[i] as Span;
    // Kept spans starting before s.end: their greatest end must not pass s.start.
    if (prefixMax(tree, countBelow(starts, s.end)) > s.start) continue;
    keptFlag[i] = 1;
    raise(tree, countBelow(starts, s.start) + 1, s.end);
  }
  const kept: Span[] = [];
  for (let i = 0; i < live.length; i++) if (keptFlag[i] === 1) kept.push(live[i] as Span);
  // Kept spans are disjoint, so their starts are distinct: the order is total.
  return kept.sort((a, b) => a.start - b.start);
}

/** True when every span starts at or after the end of the one before it. */
function sortedDisjoint(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++)
    if ((spans[i] as Span).start < (spans[i - 1] as Span).end) return false;
  return true;
}

/** Sorted runs {@link mergeFewSortedRuns} merges at most; more go through the general pass. */
const MAX_RUNS = 8;

/**
 * The linear case of a few sorted lists one after the other whose distinct ranges are disjoint — the
 * redaction pipeline's detected spans followed by every occurrence of the same values (the same ranges
 * again): each range keeps its highest-level span, the first in input order among equals, which is what the
 * greedy pass keeps when no two distinct ranges overlap. Undefined when the input is not of that shape.
 */
function mergeFewSortedRuns(live: readonly Span[]): Span[] | undefined {
  const runStarts: number[] = [0];
  for (let i = 1; i < live.length; i++) {
    if ((live[i] as Span).start < (live[i - 1] as Span).start) {
      if (runStarts.length === MAX_RUNS) return undefined;
      runStarts.push(i);
    }
  }
  const ends = [...runStarts.slice(1), live.length];
  const at = runStarts.slice();
  const out: Span[] = [];
  let group: Span | undefined;
  for (;;) {
    // The next span by start; on a tie the earlier run, so equal starts keep their input order.
    let pick = -1;
    for (let r = 0; r < at.length; r++) {
      if ((at[r] as number) >= (ends[r] as number)) continue;
      if (pick < 0 || (live[at[r] as number] as Span).start < (live[at[pick] as number] as Span).start)
        pick = r;
    }
    if (pick < 0) break;
    const s = live[at[pick] as number] as Span;
    at[pick] = (at[pick] as number) + 1;
    if (group !== undefined && s.start === group.start && s.end === group.end) {
      if (levelRank(s.level) > levelRank(group.level)) out[out.length - 1] = group = s;
      continue;
    }
    // Distinct ranges must not overlap (the previous range ends at or before this one starts).
    if (group !== undefined && s.start < group.end) return undefined;
    out.push((group = s));
  }
  return out;
}

/** How many sorted values are below `x`. */
function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Fenwick prefix maximum over positions 1..n (values only ever rise). */
function prefixMax(tree: Float64Array, n: number): number {
  let best = -1;
  for (let i = n; i > 0; i -= i & -i) best = Math.max(best, tree[i] as number);
  return best;
}

function raise(tree: Float64Array, at: number, value: number): void {
  for (let i = at; i < tree.length; i += i & -i) if ((tree[i] as number) < value) tree[i] = value;
}

/**
 * A text's spans are mostly a handful. Below this, they are sorted by insertion and swept without a Map: the
 * builtin sort allocates its merge state on every call (~0.6 KB) and a Map its table, which a text with two
 * spans would pay for nothing.
 */
const FEW = 16;

/**
 * Drops every span inside another span of the same type, in one sweep. `spans` must be sorted by start, longer
 * first, and hold no range twice: a span is then contained exactly when a span of its type earlier in that
 * order reaches at least as far. O(n); keeps the input order.
 */
export function dropContained(spans: readonly Span[]): Span[] {
  if (spans.length <= FEW) return dropContainedFew(spans);
  const reach = new Map<string, number>();
  const out: Span[] = [];
  for (const s of spans) {
    const far = reach.get(s.type);
    if (far !== undefined && far >= s.end) continue;
    reach.set(s.type, far === undefined ? s.end : Math.max(far, s.end));
    out.push(s);
  }
  return out;
}

/** {@link dropContained} for a few spans: the kept spans are compared one by one. */
function dropContainedFew(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    let inside = false;
    for (const k of out)
      if (k.type === s.type && k.end >= s.end) {
        inside = true;
        break;
      }
    if (!inside) out.push(s);
  }
  return out;
}

function startThenLonger(a: Span, b: Span): number {
  return a.start - b.start || b.end - a.end;
}

/**
 * Sorts `spans` in place by start, the longer first on a tie; spans on the same range keep their order (as the
 * stable builtin sort does). What {@link dropContained} needs.
 */
export function sortByStart(spans: Span[]): void {
  if (spans.length > FEW) {
    spans.sort(startThenLonger);
    return;
  }
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i] as Span;
    let j = i - 1;
    for (; j >= 0 && startThenLonger(spans[j] as Span, s) > 0; j--) spans[j + 1] = spans[j] as Span;
    spans[j + 1] = s;
  }
}
