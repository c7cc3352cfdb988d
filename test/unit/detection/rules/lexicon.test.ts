// Linear term matchers: leftmost-longest, word boundaries, multi-word terms, Chinese first-character table.
import { describe, expect, it } from "vitest";
import {
  createCjkLexicon,
  createWordLexicon,
  scanCjk,
  scanWords,
} from "../../../../src/detection/rules/lexicon.js";

function words(terms: string[], text: string): string[] {
  const out: string[] = [];
  scanWords(createWordLexicon(terms), text, (s, e) => out.push(text.slice(s, e)));
  return out;
}

function cjk(terms: string[], text: string): string[] {
  const out: string[] = [];
  scanCjk(createCjkLexicon(terms), text, (s, e) => out.push(text.slice(s, e)));
  return out;
}

describe("lexicon", () => {
  it("matches whole words, case-insensitively, the longest term first", () => {
    expect(words(["flat feet", "flat"], "My Flat feet hurt; flat-feet; flatten")).toEqual([
      "Flat feet",
      "flat-feet",
    ]);
    expect(words(["asthma"], "asthmatic asthma eco-asthma")).toEqual(["asthma"]);
  });

  it("matches Chinese terms leftmost-longest without overlaps", () => {
    expect(cjk(["高血压", "血压", "胃食管反流病", "胃食管反流"], "高血压和胃食管反流病，血压")).toEqual([
      "高血压",
      "胃食管反流病",
      "血压",
    ]);
  });
});
