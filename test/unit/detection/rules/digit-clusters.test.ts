// Digit clusters: a pattern run over the clusters a shape asks for finds, among the matches a scan of the
// whole text finds, every one with the digits and runs the shape needs, at the same offsets.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext, execAll } from "../../../../src/detection/rules/context.js";
import {
  type ClusterShape,
  clusterWindows,
  execInWindows,
  isRegExpSpace,
} from "../../../../src/detection/rules/digit-clusters.js";

function digitsAndRuns(s: string): [number, number] {
  const runs = s.match(/\d+/g) ?? [];
  return [runs.join("").length, runs.length];
}

/** The whole-text matches with the digits and runs `shape` needs, as [index, text]. */
function reference(re: RegExp, text: string, shape: ClusterShape): [number, string][] {
  return execAll(re, text)
    .filter((m) => {
      const [d, r] = digitsAndRuns(m[0]);
      return d >= shape.minDigits && r >= shape.minRuns;
    })
    .map((m) => [m.index, m[0]]);
}

function windowed(re: RegExp, text: string, shape: ClusterShape): [number, string][] {
  return execInWindows(re, text, clusterWindows(createContext(text), shape))
    .filter((m) => {
      const [d, r] = digitsAndRuns(m[0]);
      return d >= shape.minDigits && r >= shape.minRuns;
    })
    .map((m) => [m.index, m[0]]);
}

// Patterns of the shapes the families use: grouped digits with an extension, dotted quads, dashed triples.
const CASES: [RegExp, ClusterShape][] = [
  [
    /(?:\+|00)?(?:\(\d{1,5}\)[ .-]?\d{1,12}|\d{1,12})(?:[ .\-/](?:\(\d{1,5}\)[ .-]?\d{1,12}|\d{1,12})){0,6}(?:\s?(?:x|ext\.?)\s?\d{1,6})?/g,
    { maxGap: 6, minDigits: 7, minRuns: 1 },
  ],
  [/(?:\d{1,3}\.){3}\d{1,3}(?![0-9A-Za-z]|\.\d)/g, { maxGap: 1, minDigits: 4, minRuns: 4 }],
  [/(?<![0-9])\d{3}-\d{2}-\d{4}(?![0-9A-Za-z-])/g, { maxGap: 1, minDigits: 9, minRuns: 3 }],
];

describe("digit clusters", () => {
  it("groups runs by the gap between them and keeps the clusters with enough digits and runs", () => {
    const ctx = createContext("a 12 34 b 5.6.7.8 c 123456789");
    expect(clusterWindows(ctx, { maxGap: 1, minDigits: 4, minRuns: 1 })).toEqual([0, 7, 7, 17, 17, 29]);
    expect(clusterWindows(ctx, { maxGap: 1, minDigits: 4, minRuns: 4 })).toEqual([7, 17]);
    expect(clusterWindows(ctx, { maxGap: 1, minDigits: 9, minRuns: 1 })).toEqual([17, 29]);
    expect(clusterWindows(createContext("no digits"), { maxGap: 6, minDigits: 1, minRuns: 1 })).toEqual([]);
  });

  it("scans each stretch of the text once, however many windows hold no match", () => {
    /** Counts the units each exec walks (from lastIndex to its match, or to the end). */
    class Counting extends RegExp {
      walked = 0;
      override exec(s: string): RegExpExecArray | null {
        const from = this.lastIndex;
        const m = super.exec(s);
        this.walked += (m === null ? s.length : m.index) - from;
        return m;
      }
    }
    // Thousands of clusters of ten digits in three runs, none a US number, and one match at the very end.
    const text = `${"123-456-789-0 xx ".repeat(4000)}(212) 555-0100`;
    const re = new Counting(String.raw`(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}`, "g");
    const found = execInWindows(
      re,
      text,
      clusterWindows(createContext(text), { maxGap: 2, minDigits: 10, minRuns: 3 }),
    );
    expect(found.map((m) => m[0])).toEqual(["(212) 555-0100"]);
    expect(re.walked).toBeLessThanOrEqual(text.length);
  });

  it("finds the same useful matches as a scan of the whole text", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^\d{1,6}$/),
      fc.constantFrom(" ", ".", "-", "/", "(", ")", "+", "x", " ext. ", "a", "00", ", ", "  "),
    );
    for (const [re, shape] of CASES) {
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 24 }), (parts) => {
          const text = parts.join("");
          expect(windowed(re, text, shape)).toEqual(reference(re, text, shape));
        }),
        { seed: 13, numRuns: 800 },
      );
    }
  });

  it("tells the units a regex \\s matches, every one of them", () => {
    const differ: number[] = [];
    for (let c = 0; c < 0x10000; c++)
      if (isRegExpSpace(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c);
    expect(differ).toEqual([]);
    expect(isRegExpSpace(Number.NaN)).toBe(false);
  });

  it("has no window for a shape that asks for more digits than the text holds", () => {
    const piece = fc.oneof(fc.stringMatching(/^\d{1,6}$/), fc.constantFrom(" ", "-", "ab", "  "));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.integer({ min: 1, max: 20 }), (parts, minDigits) => {
        const ctx = createContext(parts.join(""));
        for (const maxGap of [1, 2, 6])
          if (ctx.digitCount < minDigits)
            expect(clusterWindows(ctx, { maxGap, minDigits, minRuns: 1 })).toEqual([]);
      }),
      { seed: 29, numRuns: 1000 },
    );
  });
});
