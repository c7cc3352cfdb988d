// A matcher's pass over a large text in windows (with a turn of the event loop between them) finds exactly what
// one pass finds, in the same order: none lost or repeated at a window's edge.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MultiPatternMatcher } from "../../../src/redaction/aho-corasick.js";
import { textWindows } from "../../../src/redaction/occurrences.js";

describe("matching a large text in windows", () => {
  it("gives the matches of one pass, in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom("a", "b", "c"), minLength: 1, maxLength: 9 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.string({ unit: fc.constantFrom("a", "b", "c", " "), minLength: 1, maxLength: 40 }),
        fc.integer({ min: 65_536, max: 200_000 }),
        (patterns, unit, length) => {
          const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
          const matcher = new MultiPatternMatcher(patterns);
          const longest = Math.max(...patterns.map((p) => p.length));
          const windowed: { pattern: number; start: number; end: number }[] = [];
          for (const window of textWindows(text, longest)) {
            for (const m of matcher.findAll(window.piece)) {
              const end = m.end + window.from;
              if (end > window.at) windowed.push({ pattern: m.pattern, start: m.start + window.from, end });
            }
          }
          expect(windowed).toEqual(matcher.findAll(text));
        },
      ),
      { seed: 13, numRuns: 25 },
    );
  }, 60_000);
});
