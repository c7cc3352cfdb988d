import { describe, expect, it } from "vitest";
import type { Span } from "../../../src/detection/span.js";
import { canonicalType, isStructuredType, typesMatch, type Label } from "../../../src/eval/labels.js";
import { leakTurn, redactTurn } from "../../../src/eval/leak.js";
import { longestCommonRunF1, maxWeightMatching, textScore, tokenize } from "../../../src/eval/matching.js";
import { ScoreAccumulator, scoreTurn } from "../../../src/eval/score.js";

const span = (text: string, turn: string, type = "Phone Number", level: Label["level"] = "PL2"): Span => {
  const start = turn.indexOf(text);
  return { start, end: start + text.length, text, type, level, source: "test" };
};

describe("tokens and partial credit", () => {
  it("splits CJK characters and keeps Latin words", () => {
    expect(tokenize("去北京 Hospital visit")).toEqual(["去", "北", "京", "hospital", "visit"]);
  });
  it("scores the longest common run", () => {
    expect(longestCommonRunF1("a b c", "a b c")).toBe(1);
    expect(longestCommonRunF1("b c", "a b c d")).toBeCloseTo((2 * 1 * 0.5) / 1.5);
    expect(longestCommonRunF1("x", "a b")).toBe(0);
  });
  it("gives partial text credit only to descriptive types", () => {
    const turn = "I had knee surgery last May in Lyon";
    const gold: Label = { text: "knee surgery last May", type: "Medical Health", level: "PL3" };
    expect(textScore({ ...gold, text: "knee surgery" }, gold, turn)).toBeGreaterThan(0);
    const phone: Label = { text: "555 0100 22", type: "Phone Number", level: "PL2" };
    expect(textScore({ ...phone, text: "555 0100" }, phone, "call 555 0100 22")).toBe(0);
    expect(textScore({ ...gold, text: "not there" }, gold, turn)).toBe(0);
  });
});

describe("types", () => {
  it("collapses synonyms and formatting", () => {
    expect(typesMatch("Bank/Payment Card Number", "Financial Account")).toBe(true);
    expect(typesMatch("session token", "Token")).toBe(true);
    expect(typesMatch("Email", "Phone Number")).toBe(false);
    expect(canonicalType("E-mail")).toBe("email");
    expect(isStructuredType("Verification Code")).toBe(true);
    expect(isStructuredType("Medical Health")).toBe(false);
  });
});

describe("matching", () => {
  it("finds the maximum-weight one-to-one assignment", () => {
    // Greedy would take (0,0)=0.9 and leave 0.1; the optimum pairs (0,1) and (1,0).
    expect(
      maxWeightMatching([
        [0.9, 0.8],
        [0.85, 0],
      ]),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(maxWeightMatching([])).toEqual([]);
    expect(maxWeightMatching([[0, 0]])).toEqual([]);
    expect(maxWeightMatching([[1], [1], [1]])).toHaveLength(1);
  });
  it("scores a turn per level", () => {
    const turn = "mail a@b.io, code 123456";
    const gold: Label[] = [
      { text: "a@b.io", type: "Email", level: "PL2" },
      { text: "123456", type: "Verification Code", level: "PL4" },
    ];
    const pred: Label[] = [
      { text: "a@b.io", type: "Email", level: "PL2" },
      { text: "123456", type: "Verification Code", level: "PL3" },
    ];
    const s = scoreTurn(turn, gold, pred);
    expect(s.byLevel.PL2).toEqual({ predCount: 1, goldCount: 1, predScore: 1, goldScore: 1 });
    expect(s.byLevel.PL4.goldScore).toBe(0);
    expect(s.byLevel.PL3.predScore).toBe(0);
    expect(s.textPairs).toBe(2);
    expect(s.levelAgree).toBe(1);
    const acc = new ScoreAccumulator();
    acc.add(s, leakTurn(turn, gold, []), gold);
    const sum = acc.summary();
    expect(sum.levels.PL2.f1).toBe(1);
    expect(sum.levels.overall.precision).toBe(0.5);
    expect(sum.leakRate).toBe(1);
  });
});

describe("redaction and leaks", () => {
  it("masks every occurrence of a detected value in one pass", () => {
    const turn = "call 555-0100 or 555-0100; mail x";
    const { redacted, masked } = redactTurn(turn, [span("555-0100", turn)]);
    expect(redacted).toBe("call \uE000 or \uE000; mail x");
    expect(masked).toEqual([
      [5, 13],
      [17, 25],
    ]);
  });
  it("counts leaks, structured leaks and over-redaction", () => {
    const turn = "phone 555-0100, I feel tired, card ends 4242";
    const gold: Label[] = [
      { text: "555-0100", type: "Phone Number", level: "PL2" },
      { text: "I feel tired", type: "Medical Health", level: "PL3" },
    ];
    const leak = leakTurn(turn, gold, [
      span("555-0100", turn),
      span("4242", turn, "Financial Account", "PL3"),
    ]);
    expect(leak.gold).toBe(2);
    expect(leak.leaked).toBe(1);
    expect(leak.structuredGold).toBe(1);
    expect(leak.structuredLeaked).toBe(0);
    expect(leak.maskedChars).toBe(12);
    expect(leak.overMaskedChars).toBe(4);
    expect(leak.nonPrivateChars).toBe(turn.length - 8 - 12);
  });
  it("never counts a leak inside a placeholder", () => {
    const turn = "id 1 and 1";
    const gold: Label[] = [{ text: "1", type: "ID Number", level: "PL3" }];
    expect(leakTurn(turn, gold, [span("1", turn, "ID Number", "PL3")]).leaked).toBe(0);
  });
});
