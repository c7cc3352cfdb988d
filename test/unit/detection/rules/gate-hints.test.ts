// Each family's hint test, tried only where the keyword scan saw one of its gate's words start, answers what a
// test over the whole text answers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CREDIT_HINT_RE } from "../../../../src/detection/rules/amounts.js";
import { createContext } from "../../../../src/detection/rules/context.js";
import { OTP_CONTEXT_RE } from "../../../../src/detection/rules/cues.js";
import { ACCOUNT_HINT_RE, CVV_WORDS_RE, TAIL_WORDS_RE } from "../../../../src/detection/rules/finance.js";
import { BODY_HINT_RE, EN_CUE_HINT_RE, VITAL_HINT_RE } from "../../../../src/detection/rules/health.js";
import { gateWords, hintAtKeywords, KW, stickyHint } from "../../../../src/detection/rules/keywords.js";
import { DOB_HINT_RE } from "../../../../src/detection/rules/profile.js";
import { KV_HINT_RE, PASSWORD_HINT_RE } from "../../../../src/detection/rules/secrets.js";

const HINTS: readonly (readonly [string, number, RegExp])[] = [
  ["health cue", KW.healthCue, EN_CUE_HINT_RE],
  ["vital", KW.vital, VITAL_HINT_RE],
  ["body", KW.body, BODY_HINT_RE],
  ["credit", KW.credit, CREDIT_HINT_RE],
  ["account", KW.account, ACCOUNT_HINT_RE],
  ["tail", KW.tail, TAIL_WORDS_RE],
  ["cvv", KW.cvv, CVV_WORDS_RE],
  ["birth", KW.birth, DOB_HINT_RE],
  ["one-time code", KW.otp, OTP_CONTEXT_RE],
  ["key = value", KW.kv, KV_HINT_RE],
  ["password", KW.password, PASSWORD_HINT_RE],
];

// Every gate's words as written, in capitals and capitalised, cut short, and the hints' own pieces.
const words = gateWords().flatMap(([, list]) => list);
const variants = words.flatMap((w) => [
  w,
  w.toUpperCase(),
  w.charAt(0).toUpperCase() + w.slice(1),
  w.slice(0, -1),
]);
const piece = fc.oneof(
  fc.constantFrom(...variants),
  fc.constantFrom(
    "card number",
    "Card\tNo",
    "credit  Score",
    "mg/dL",
    "次/分",
    "d.o.b",
    "key:",
    "TOKEN =",
    'secret"=',
    "İ",
    "ſ",
    "K",
  ),
  fc.constantFrom(" ", "a", "x", "1", ":", "=", "\n", "'", "中"),
);

describe("gate hints at keyword starts", () => {
  for (const [name, bit, hint] of HINTS) {
    it(`${name}: the same answer as the whole-text test`, () => {
      const at = stickyHint(hint);
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 10 }), (parts) => {
          const text = parts.join("");
          expect(hintAtKeywords(createContext(text), bit, at)).toBe(hint.test(text));
        }),
        { seed: 17, numRuns: 1500 },
      );
    });
  }

  it("a sticky hint is tried where a word starts, not anywhere after it", () => {
    const at = stickyHint(/bpm/);
    expect(at.flags).toBe("y");
    expect(hintAtKeywords(createContext("72 bpm"), KW.vital, at)).toBe(true);
    expect(hintAtKeywords(createContext("72 beats"), KW.vital, at)).toBe(false);
  });
});
