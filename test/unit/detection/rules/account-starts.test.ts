// The account-number pattern, tried only where the keyword scan saw an account word start, finds exactly what a
// scan of the whole text finds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext, execAll } from "../../../../src/detection/rules/context.js";
import { execAtStarts } from "../../../../src/detection/rules/digit-clusters.js";
import { ACCOUNT_AT, ACCOUNT_RE } from "../../../../src/detection/rules/finance.js";
import { KW, keywordStarts } from "../../../../src/detection/rules/keywords.js";
import { matchOffsets } from "./helpers.js";

describe("account starts", () => {
  it("finds the whole-text matches, at the same offsets", () => {
    const piece = fc.oneof(
      fc.constantFrom(
        "account",
        "ACCOUNT",
        "Account",
        "acct",
        "ACCT.",
        "bank",
        "Bank",
        "card",
        "CARD",
        "number",
        "no.",
        "No",
        "#",
        "账号",
        "账户",
        "帐号",
        "帐户",
        "卡号",
        "is",
        ":",
        "是",
        "'",
        "x",
      ),
      fc.constantFrom(" ", "  ", "\t", "-"),
      fc.stringMatching(/^\d{1,12}$/),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        const ctx = createContext(text);
        expect(matchOffsets(execAtStarts(ACCOUNT_AT, text, keywordStarts(ctx, KW.account)))).toEqual(
          matchOffsets(execAll(ACCOUNT_RE, text)),
        );
      }),
      { seed: 37, numRuns: 4000 },
    );
  });
});
