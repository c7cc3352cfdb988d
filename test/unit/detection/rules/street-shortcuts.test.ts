// The street family's shortcuts answer as the plain tests do: the name-word test with its ASCII fast path
// as the name-word pattern, the glued street types looked up by last unit as a test of every type.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STREET_GLUED } from "../../../../src/detection/rules/gazetteer-data.js";
import { gluedStreet, isCapitalised } from "../../../../src/detection/rules/street.js";

const NAME_WORD = /^(?:\p{Lu}[\p{L}'’.-]*|[a-z]{1,4}\.)$/u;
const GLUED = STREET_GLUED.split(" ");

// Units the street words are made of, and a few others.
const unit = fc.constantFrom(..."aAbBzZlLsS.'’-ºÄäÉéßŁłΩωЖж\u0301\u0375;1 _".split(""));
const word = fc.array(unit, { minLength: 1, maxLength: 9 }).map((us) => us.join(""));

describe("street shortcuts", () => {
  it("tests a name word as the pattern does", () => {
    fc.assert(
      fc.property(word, (w) => {
        expect(isCapitalised(w)).toBe(NAME_WORD.test(w));
      }),
      { seed: 31, numRuns: 5000 },
    );
    for (const w of ["ul.", "os.", "abcd.", "abcde.", "Via", "É", "the", "Ábc", "'s"])
      expect(isCapitalised(w)).toBe(NAME_WORD.test(w));
  });

  it("finds a glued street type as a test of every type does", () => {
    const glued = fc
      .tuple(word, fc.constantFrom(...GLUED), fc.boolean())
      .map(([w, g, upper]) => (upper ? (w + g).toUpperCase() : w + g));
    fc.assert(
      fc.property(fc.oneof(word, glued), (w) => {
        const lower = w.toLowerCase();
        expect(gluedStreet(w)).toBe(GLUED.some((g) => lower.length > g.length + 2 && lower.endsWith(g)));
      }),
      { seed: 32, numRuns: 5000 },
    );
  });
});
