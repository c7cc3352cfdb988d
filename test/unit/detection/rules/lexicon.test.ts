// Linear term matchers: leftmost-longest, word boundaries, multi-word terms, Chinese first-character table.
import { describe, expect, it } from "vitest";
import { createContext } from "../../../../src/detection/rules/context.js";
import {
  contextCjkHits,
  createCjkLexicon,
  createSharedCjkLexicon,
  scanCjk,
} from "../../../../src/detection/rules/lexicon-cjk.js";
import {
  createSharedWordLexicon,
  createWordLexicon,
  scanContextWords,
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

  it("finds in the one shared pass exactly what each lexicon's own scan finds", () => {
    const lists = [
      ["高血压", "血压", "胃食管反流病", "胃食管反流", "压"],
      ["血压计", "高", "PIN码", "反流"],
      ["我是", "我", "是谁"],
    ];
    const shared = lists.map((terms) => createSharedCjkLexicon(terms));
    const own = lists.map((terms) => createCjkLexicon(terms));
    for (const text of [
      "高血压和胃食管反流病，血压计PIN码是多少",
      "我是谁？我是我。高高血压压",
      "plain ASCII, PIN码, pin码",
      "",
    ]) {
      const ctx = createContext(text);
      shared.forEach((lex, k) => {
        const expected: number[] = [];
        scanCjk(own[k] ?? lex, text, (s, e) => expected.push(s, e));
        expect(contextCjkHits(ctx, lex)).toEqual(expected);
      });
    }
    expect(() => contextCjkHits(createContext("x"), own[0] ?? shared[0]!)).toThrow();
  });

  it("finds in the one shared walk over the words exactly what each word lexicon's own scan finds", () => {
    const lists = [
      ["flat feet", "flat", "high blood pressure", "blood"],
      ["blood pressure", "feet", "pressure"],
      ["flatten", "hyper"],
    ];
    const shared = lists.map((terms) => createSharedWordLexicon(terms));
    const own = lists.map((terms) => createWordLexicon(terms));
    for (const text of [
      "My Flat feet and high blood pressure; flat-feet, blood-pressure; flatten eco-flat",
      "HIGH BLOOD PRESSURE blood pressure feet",
      "",
    ]) {
      const ctx = createContext(text);
      shared.forEach((lex, k) => {
        const expected: number[] = [];
        const got: number[] = [];
        scanWords(own[k] ?? lex, text, (s, e) => expected.push(s, e));
        scanContextWords(ctx, lex, (s, e) => got.push(s, e));
        expect(got).toEqual(expected);
      });
    }
    expect(() => scanContextWords(createContext("x"), own[0] ?? shared[0]!, () => undefined)).toThrow();
  });
});
