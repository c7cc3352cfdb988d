// The word tables answer as a Map of the same words would, at every size (the filter in front of the slots is
// sized by the table: a few hundred bytes for a small one, 32 KiB at most).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWordTable, lowerWordValueAt, wordValue } from "../../../../src/detection/rules/word-table.js";

const word = fc.stringMatching(/^[a-zé’]{1,8}$/);

describe("word tables", () => {
  it("find every word with its value and nothing else, small tables and large", () => {
    for (const size of [1, 7, 100, 3000, 40_000]) {
      const words = Array.from({ length: size }, (_, i) => `w${i.toString(36)}`);
      const table = createWordTable(words.map((w, i) => [w, i + 1] as const));
      for (let i = 0; i < size; i += Math.max(1, size >> 6))
        expect(wordValue(table, words[i] as string)).toBe(i + 1);
      expect(wordValue(table, `w${size.toString(36)}`)).toBe(0);
      expect(wordValue(table, "")).toBe(0);
      expect(table.filter.length * 4).toBeLessThanOrEqual(Math.max(128, Math.min(32 * 1024, size * 2 * 4)));
    }
  });

  it("agree with a Map, in place and folded to lower case", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { maxLength: 60 }),
        fc.array(word, { maxLength: 20 }),
        (words, probes) => {
          const map = new Map(words.map((w, i) => [w, i + 1] as const));
          const table = createWordTable(map);
          for (const p of [...words, ...probes]) {
            expect(wordValue(table, p)).toBe(map.get(p) ?? 0);
            const text = `(${p.toUpperCase()})`;
            expect(lowerWordValueAt(table, text, 1, text.length - 1)).toBe(map.get(p) ?? 0);
          }
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });
});
