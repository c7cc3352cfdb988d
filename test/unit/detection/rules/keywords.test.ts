// The one gate-word scan: every gate's bit is set wherever one of its words occurs, in any case, overlapping
// others or glued to them; a text without any gate word sets no bit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext } from "../../../../src/detection/rules/context.js";
import {
  contextOpeners,
  contextWordRuns,
  gateWords,
  hasKeyword,
  KW,
  keywordBits,
  keywordStarts,
} from "../../../../src/detection/rules/keywords.js";
import { wordRuns } from "../../../../src/detection/rules/lexicon.js";
import { capitalOpeners } from "../../../../src/detection/rules/people-tokens.js";

const GATES = gateWords();
const ALL_WORDS = GATES.flatMap(([, words]) => words);

/** The gates a plain case-insensitive search finds in `text` (what the scan must at least report). */
function expected(text: string): number {
  const lower = text.toLowerCase();
  let bits = 0;
  for (const [bit, words] of GATES) if (words.some((w) => lower.includes(w))) bits |= bit;
  return bits;
}

function randomCase(s: string, flips: readonly boolean[]): string {
  return [...s].map((c, i) => (flips[i % Math.max(1, flips.length)] === true ? c.toUpperCase() : c)).join("");
}

describe("keywords", () => {
  it("sets the bit of each gate whose word occurs, in any case", () => {
    for (const [bit, words] of GATES)
      for (const w of words) {
        for (const text of [w, w.toUpperCase(), `x ${w} y`, `中文${w}文本`]) {
          const ctx = createContext(text);
          expect(keywordBits(ctx) & bit, `${w} in ${text}`).toBe(bit);
        }
      }
  });

  it("finds words that overlap or share a start (lastoken, registration, née)", () => {
    const ctx = createContext("the lastoken registration née");
    for (const bit of [KW.tail, KW.kv, KW.plate, KW.birth]) expect(hasKeyword(ctx, bit)).toBe(true);
    expect(hasKeyword(ctx, KW.cvv)).toBe(false);
  });

  it("sets no bit for a text without gate words, and caches the answer on the context", () => {
    const ctx = createContext("Hello there, how are you today? 你好，今天怎么样");
    expect(keywordBits(ctx)).toBe(expected(ctx.text));
    expect(ctx.keywords).toBe(keywordBits(ctx));
  });

  it("reports at least every gate a plain search finds, on random mixes of words and noise", () => {
    const piece = fc.oneof(
      fc.constantFrom(...ALL_WORDS),
      fc.constantFrom(...ALL_WORDS).map((w) => w.slice(0, Math.max(1, w.length - 1))),
      fc.string({ maxLength: 4 }),
      fc.constantFrom(" ", "-", "_", ".", "'", "诊", "生", "次/", "É"),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        (parts, flips) => {
          const text = randomCase(parts.join(""), flips);
          const bits = keywordBits(createContext(text));
          const want = expected(text);
          expect(bits & want).toBe(want);
        },
      ),
      { seed: 15, numRuns: 600 },
    );
  });

  it("gives every start of a gate's words, in ascending order, on random mixes of words and noise", () => {
    const piece = fc.oneof(
      fc.constantFrom(...ALL_WORDS),
      fc.string({ maxLength: 3 }),
      fc.constantFrom(" ", "-", "诊", "次/", "É", "İ"),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 10 }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        (parts, flips) => {
          const text = randomCase(parts.join(""), flips);
          const lower = text.toLowerCase();
          const ctx = createContext(text);
          for (const [bit, words] of GATES) {
            const starts = keywordStarts(ctx, bit);
            expect(starts).toEqual([...starts].sort((a, b) => a - b));
            // Lower-casing keeps offsets here unless the text has a unit that lowers to two ("İ").
            if (lower.length !== text.length) continue;
            for (let i = 0; i < text.length; i++)
              if (words.some((w) => lower.startsWith(w, i)))
                expect(starts, `${bit} at ${i} of ${text}`).toContain(i);
          }
        },
      ),
      { seed: 16, numRuns: 400 },
    );
  });

  it("finds a word that ends where a longer one is still open (nacido holds cid)", () => {
    const ctx = createContext("nacido el");
    expect(keywordStarts(ctx, KW.birth)).toEqual([0]);
    expect(keywordStarts(ctx, KW.cvv)).toEqual([2]);
  });

  it("finds in the same walk the word runs the word lexicons look up and the capital openers, as their own scans do", () => {
    const text = "eco-anxiety: Don't panic, it's 3am x1y o'clock--re-entry, Émile Łukasz ×Ørsted";
    expect([...contextWordRuns(createContext(text))]).toEqual(wordRuns(text));
    expect(contextOpeners(createContext(text))).toEqual(capitalOpeners(text));
    const piece = fc.oneof(
      fc.constantFrom("word", "Ab", "x", "9", "'", "’", "-", " ", "é", "É", "Ł", "×", "中", "pass"),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const joined = parts.join("");
        const ctx = createContext(joined);
        expect([...contextWordRuns(ctx)]).toEqual(wordRuns(joined));
        expect(contextOpeners(ctx)).toEqual(capitalOpeners(joined));
      }),
      { seed: 18, numRuns: 800 },
    );
  });

  it("keeps each context's word runs right when contexts are scanned in turn (the runs share one buffer)", () => {
    const texts = ["alpha beta gamma", "delta epsilon", "zeta", "eta theta iota kappa", "x".repeat(300000)];
    const contexts = texts.map((t) => createContext(t));
    // Scan them all, then read them back in another order: each must still hold its own text's runs.
    for (const ctx of contexts) contextWordRuns(ctx);
    for (const k of [2, 0, 4, 1, 3, 0, 2])
      expect(
        [...contextWordRuns(contexts[k] as ReturnType<typeof createContext>)],
        texts[k]?.slice(0, 20),
      ).toEqual(wordRuns(texts[k] as string));
  });
});
