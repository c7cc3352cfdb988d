// The sort-and-sweep span handling (mergeSpans, dropContained) gives exactly what the quadratic originals gave.
// The originals are kept here as the reference.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dropContained, mergeSpans, sortByStart } from "../../src/detection/merge.js";
import type { Span } from "../../src/detection/span.js";
import { levelRank, type PrivacyLevel } from "../../src/taxonomy/levels.js";

function referenceMerge(spans: readonly Span[]): Span[] {
  const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;
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
  for (const { span } of ranked) if (!kept.some((k) => overlaps(k, span))) kept.push(span);
  return kept.sort((a, b) => a.start - b.start);
}

function referenceDropContained(spans: readonly Span[]): Span[] {
  return spans.filter(
    (s) => !spans.some((o) => o !== s && o.type === s.type && o.start <= s.start && o.end >= s.end),
  );
}

const LEVELS: PrivacyLevel[] = ["PL2", "PL3", "PL4"];

// Small coordinates so that spans collide, nest, share starts and ends, and repeat.
const spanArb = (maxAt: number): fc.Arbitrary<Span> =>
  fc
    .record({
      start: fc.nat({ max: maxAt }),
      length: fc.nat({ max: 12 }),
      level: fc.constantFrom(...LEVELS),
      type: fc.constantFrom("A", "B", "C"),
      source: fc.constantFrom("rule:x", "model:y"),
    })
    .map(({ start, length, level, type, source }) => ({
      start,
      end: start + length,
      text: "",
      type,
      level,
      source,
    }));

describe("mergeSpans (sort and sweep)", () => {
  it("keeps exactly the spans the pairwise greedy pass keeps, in the same order", () => {
    fc.assert(
      fc.property(fc.array(spanArb(40), { maxLength: 60 }), (spans) => {
        const out = mergeSpans(spans);
        const ref = referenceMerge(spans);
        expect(out).toEqual(ref);
        // The very same objects, not look-alikes.
        out.forEach((s, i) => expect(s).toBe(ref[i]));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("agrees on long texts with many spans", () => {
    fc.assert(
      fc.property(fc.array(spanArb(2000), { minLength: 200, maxLength: 600 }), (spans) => {
        expect(mergeSpans(spans)).toEqual(referenceMerge(spans));
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it("agrees on spans already sorted and disjoint, adjacent or not, empty ones among them", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.nat({ max: 3 }), span: spanArb(0) }), { maxLength: 80 }),
        (parts) => {
          let at = 0;
          const spans = parts.map(({ gap, span }) => {
            const start = at + gap;
            at = start + (span.end - span.start);
            return { ...span, start, end: at };
          });
          const out = mergeSpans(spans);
          const ref = referenceMerge(spans);
          expect(out).toEqual(ref);
          out.forEach((s, i) => expect(s).toBe(ref[i]));
        },
      ),
      { seed: 11, numRuns: 1000 },
    );
  });

  it("agrees on a few sorted lists of the same ranges one after the other (detected, then occurrences)", () => {
    const ranges = fc.array(fc.record({ gap: fc.nat({ max: 3 }), length: fc.nat({ max: 5 }) }), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(
        ranges,
        fc.array(
          fc.array(
            fc.record({
              pick: fc.nat(),
              level: fc.constantFrom(...LEVELS),
              type: fc.constantFrom("A", "B"),
              stretch: fc.constantFrom(0, 0, 0, 0, 1),
            }),
            { maxLength: 30 },
          ),
          { minLength: 1, maxLength: 10 },
        ),
        (gaps, runs) => {
          let at = 0;
          const base = gaps.map(({ gap, length }) => {
            const start = at + gap;
            at = start + length;
            return [start, at] as const;
          });
          const spans: Span[] = runs.flatMap((run) =>
            run
              .map((r) => ({ ...r, range: base[r.pick % base.length] ?? ([0, 0] as const) }))
              .sort((a, b) => a.range[0] - b.range[0])
              .map(({ range, level, type, stretch }) => ({
                start: range[0],
                // Now and then a range that overlaps its neighbour: the general pass must take over.
                end: range[1] + stretch,
                text: "",
                type,
                level,
                source: "rule:x",
              })),
          );
          const out = mergeSpans(spans);
          const ref = referenceMerge(spans);
          expect(out).toEqual(ref);
          out.forEach((s, i) => expect(s).toBe(ref[i]));
        },
      ),
      { seed: 5, numRuns: 3000 },
    );
  });

  it("agrees past the packed sort key's range (offsets beyond 2^24)", () => {
    fc.assert(
      fc.property(fc.array(spanArb(40), { maxLength: 60 }), (raw) => {
        const far = raw.map((s) => ({ ...s, start: s.start + 2 ** 24 - 20, end: s.end + 2 ** 24 - 20 }));
        expect(mergeSpans(far)).toEqual(referenceMerge(far));
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it("does not mutate its input", () => {
    fc.assert(
      fc.property(fc.array(spanArb(30), { maxLength: 30 }), (spans) => {
        const copy = [...spans];
        mergeSpans(spans);
        expect(spans).toEqual(copy);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe("dropContained (sweep)", () => {
  // finish() hands it spans sorted by start, longer first, with no range twice (a range keeps its first type).
  const prepared = (spans: readonly Span[]): Span[] => {
    const seen = new Set<string>();
    const out = spans.filter((s) => {
      const key = `${s.start}:${s.end}`;
      if (seen.has(key) || s.end <= s.start) return false;
      seen.add(key);
      return true;
    });
    return out.sort((a, b) => a.start - b.start || b.end - a.end);
  };

  it("drops exactly the spans inside another span of the same type", () => {
    fc.assert(
      fc.property(fc.array(spanArb(40), { maxLength: 80 }), (raw) => {
        const spans = prepared(raw);
        expect(dropContained(spans)).toEqual(referenceDropContained(spans));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("agrees on many spans", () => {
    fc.assert(
      fc.property(fc.array(spanArb(3000), { minLength: 300, maxLength: 800 }), (raw) => {
        const spans = prepared(raw);
        expect(dropContained(spans)).toEqual(referenceDropContained(spans));
      }),
      { seed: 7, numRuns: 100 },
    );
  });
});

describe("sortByStart", () => {
  // Every span is told apart by its index in `source`, so the order of spans on the same range is checked too.
  it("orders as the stable builtin sort does, by insertion for a few spans and by the builtin for more", () => {
    fc.assert(
      fc.property(fc.array(spanArb(30), { maxLength: 40 }), (raw) => {
        const spans = raw.map((s, i) => ({ ...s, source: `s${i}` }));
        const expected = spans.slice().sort((a, b) => a.start - b.start || b.end - a.end);
        const sorted = spans.slice();
        sortByStart(sorted);
        expect(sorted.map((s) => s.source)).toEqual(expected.map((s) => s.source));
      }),
      { seed: 11, numRuns: 3000 },
    );
  });
});
