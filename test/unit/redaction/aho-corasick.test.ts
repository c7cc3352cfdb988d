import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MultiPatternMatcher } from "../../../src/redaction/aho-corasick.js";

function naive(patterns: string[], text: string): string[] {
  const out: string[] = [];
  patterns.forEach((p, pattern) => {
    if (p.length === 0) return;
    for (let i = text.indexOf(p); i !== -1; i = text.indexOf(p, i + 1)) out.push(`${pattern}:${i}`);
  });
  return out.sort();
}

describe("MultiPatternMatcher", () => {
  it("finds overlapping and nested patterns", () => {
    const m = new MultiPatternMatcher(["he", "she", "his", "hers"]);
    const found = m.findAll("ushers").map((x) => `${m.patterns[x.pattern]}@${x.start}`);
    expect(found.sort()).toEqual(["he@2", "hers@2", "she@1"]);
  });

  it("handles CJK and emoji code units", () => {
    const m = new MultiPatternMatcher(["张三", "🙂x"]);
    expect(m.findAll("我是张三🙂x").map((x) => [x.start, x.end])).toEqual([
      [2, 4],
      [4, 7],
    ]);
  });

  for (const [path, scanLimit] of [
    ["automaton", 0],
    ["indexOf sweep", 1000],
  ] as const) {
    it(`agrees with a naive search on random inputs (${path}), in the automaton's order`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.string({ unit: fc.constantFrom("a", "b", "c"), maxLength: 4 }), { maxLength: 16 }),
          fc.string({ unit: fc.constantFrom("a", "b", "c", "d"), maxLength: 40 }),
          (patterns, text) => {
            const m = new MultiPatternMatcher(patterns, { scanLimit });
            const found = m.findAll(text);
            const got = found.map((x) => `${x.pattern}:${x.start}`).sort();
            expect(got).toEqual(naive(patterns, text));
            // Both paths list matches in one order: by end, longer first, then by pattern index.
            const reference = new MultiPatternMatcher(patterns, { scanLimit: 0 }).findAll(text);
            expect(found).toEqual(reference);
          },
        ),
        { seed: 42, numRuns: 500 },
      );
    });
  }

  it("agrees with a naive search with hundreds of patterns (the root's direct table)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom("a", "b", "c", "\u4e2d"), minLength: 1, maxLength: 6 }), {
          minLength: 256,
          maxLength: 400,
        }),
        fc.string({ unit: fc.constantFrom("a", "b", "c", "d", "\u4e2d"), maxLength: 80 }),
        (patterns, text) => {
          const found = new MultiPatternMatcher(patterns).findAll(text);
          expect(found.map((x) => `${x.pattern}:${x.start}`).sort()).toEqual(naive(patterns, text));
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });
});
