/**
 * Overlap resolution (DESIGN §5): spans from every detector become one non-overlapping set.
 * Priority: higher level first, then the longer span, then the earlier start, then the earlier source in
 * the input order (so a caller lists its preferred detector first).
 */
import { levelRank } from "../taxonomy/levels.js";
import type { Span } from "./span.js";

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Returns non-overlapping spans sorted by start; empty spans are dropped. Does not mutate the input. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const ranked = spans
    .map((span, index) => ({ span, index }))
    .filter(({ span }) => span.end > span.start)
    .sort(
      (a, b) =>
        levelRank(b.span.level) - levelRank(a.span.level) ||
        b.span.end - b.span.start - (a.span.end - a.span.start) ||
        a.span.start - b.span.start ||
        a.index - b.index,
    );
  const kept: Span[] = [];
  for (const { span } of ranked) {
    // Kept spans are few per text; a linear check keeps this simple and fast enough.
    if (!kept.some((k) => overlaps(k, span))) kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}
