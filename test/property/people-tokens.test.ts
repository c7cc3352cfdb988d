// The hand-written capitalised-word scan and the in-place word-table probe of the people rules agree with
// the regex and the Map they replace, on texts drawn from the characters at the edges of their classes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capitalisedWords } from "../../src/detection/rules/people-tokens.js";
import {
  CUE_END_WORDS,
  prevWordBits,
  prevWordBitsOf,
  wordFlags,
  wordFlagsAt,
} from "../../src/detection/rules/people-words.js";
import { NOT_FOLDABLE } from "../../src/detection/rules/word-table.js";

// The capitalised-word pattern the scan replaces.
const CAP_REFERENCE =
  /[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F][A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]*(?:['’][A-Za-z\u00C0-\u024F]+)?(?:-[A-Z\u00C0-\u00DE]?[a-z\u00DF-\u00F6\u00F8-\u024F]+)?/g;

// Letters on both sides of every class edge, apostrophes, hyphens, glue characters and a few others.
const unit = fc.constantFrom(
  ..."AZaz MnÀÖ×ØÞßàö÷øÿĀāɏɐ'’--_@./09中\u0301Ⅰ".split(""),
  "Dr",
  "Anna",
  "O'Neil",
  "Jean-Paul",
  "Dragan's",
  "I'm",
);
const text = fc.array(unit, { maxLength: 40, size: "max" }).map((units) => units.join(""));

describe("capitalised words", () => {
  it("are the matches of the pattern they replace", () => {
    fc.assert(
      fc.property(text, (t) => {
        const expected = [...t.matchAll(CAP_REFERENCE)].flatMap((m) => [m.index, m.index + m[0].length]);
        expect(capitalisedWords(t)).toEqual(expected);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });
});

describe("word flags looked up in place", () => {
  it("equal the flags of the word as a string, inside any text", () => {
    const words = fc.oneof(
      text,
      fc.constantFrom("Anna", "Smith", "The", "Dr", "Paris", "Einstein", "Zzyzx", "anna", "ANNA", ""),
    );
    fc.assert(
      fc.property(text, words, text, (before, word, after) => {
        const t = before + word + after;
        expect(wordFlagsAt(t, before.length, before.length + word.length)).toBe(wordFlags(word));
      }),
      { seed: 11, numRuns: 3000 },
    );
  });
});

describe("words before a name looked up in place", () => {
  it("have the bits of their lower-cased string, or say they cannot be folded", () => {
    const cue = fc.constantFrom(
      ...[...CUE_END_WORDS].slice(0, 12),
      "Friend",
      "FRIENDS",
      "Zadzwoń",
      "À",
      "I’M",
      "İs",
      "The",
      "call",
      "",
    );
    fc.assert(
      fc.property(text, fc.oneof(cue, text), text, (before, word, after) => {
        const t = before + word + after;
        const got = prevWordBits(t, before.length, before.length + word.length);
        const expected = prevWordBitsOf(word.toLowerCase());
        // Only a unit beyond Latin letters and "’", or "İ" (two units in lower case), is not folded in place.
        if (got === NOT_FOLDABLE) expect(/[^\u0000-\u024f\u2019]|\u0130/u.test(word)).toBe(true);
        else expect(got).toBe(expected);
      }),
      { seed: 13, numRuns: 3000 },
    );
    expect(prevWordBits("İs", 0, 2)).toBe(NOT_FOLDABLE);
  });
});
