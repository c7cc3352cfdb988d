// The context's cheap facts: digit statistics (made from the digit runs alone) against a plain reference.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext, OverlapIndex, type RawSpan } from "../../../../src/detection/rules/context.js";

/** Longest run and count of ASCII digits, the obvious way. */
function reference(text: string): { maxDigitRun: number; digitCount: number } {
  let maxDigitRun = 0;
  let digitCount = 0;
  for (const run of text.match(/[0-9]+/g) ?? []) {
    digitCount += run.length;
    maxDigitRun = Math.max(maxDigitRun, run.length);
  }
  return { maxDigitRun, digitCount };
}

describe("createContext", () => {
  it("counts ASCII digits and their longest run at the start, the middle and the end", () => {
    for (const text of ["", "abc", "7", "123 45", "a1b22c333", "电话13812345678", "99x", "x99", "１２３ 4"]) {
      const ctx = createContext(text);
      expect({ maxDigitRun: ctx.maxDigitRun, digitCount: ctx.digitCount }).toEqual(reference(text));
    }
  });

  it("agrees with the reference on any text (other scripts' digits are not ASCII digits)", () => {
    const unit = fc.constantFrom("0", "5", "9", "a", " ", "-", "٣", "१", "号", "\u200b", "x");
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }), (units) => {
        const text = units.join("");
        const ctx = createContext(text);
        expect({ maxDigitRun: ctx.maxDigitRun, digitCount: ctx.digitCount }).toEqual(reference(text));
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe("OverlapIndex", () => {
  it("answers overlap queries as a scan of every span would", () => {
    const span = fc.tuple(fc.nat(40), fc.integer({ min: 1, max: 8 }));
    fc.assert(
      fc.property(
        fc.array(span, { maxLength: 20 }),
        fc.nat(45),
        fc.integer({ min: 1, max: 6 }),
        (pairs, s, len) => {
          const spans: RawSpan[] = pairs.map(([start, l]) => ({
            start,
            end: start + l,
            type: "T",
            level: "PL2",
            rule: "r",
          }));
          const expected = spans.some((r) => r.start < s + len && r.end > s);
          expect(new OverlapIndex(spans).overlaps(s, s + len)).toBe(expected);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});
