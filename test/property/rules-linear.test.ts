// Rules rewritten to stay linear on hostile input find exactly what their original patterns found.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectRules } from "../../src/detection/rules/index.js";

// The original single pattern for PEM private-key blocks (lazy body of up to 16,000 characters).
const PEM_REFERENCE =
  /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----[\s\S]{1,16000}?-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;

const pemPiece = fc.oneof(
  fc.constantFrom(
    "-----BEGIN PRIVATE KEY-----",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----BEGIN OPENSSH PRIVATE KEY BLOCK-----",
    "-----END PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----",
    "-----END PRIVATE KEY BLOCK-----",
    "-----",
    "BEGIN ",
    "\n",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
  ),
  fc.nat({ max: 9000 }).map((n) => "x".repeat(n)),
);

describe("PEM blocks (header, body, first footer)", () => {
  it("are the blocks the original lazy pattern matched", () => {
    fc.assert(
      fc.property(fc.array(pemPiece, { maxLength: 14 }), (pieces) => {
        const text = pieces.join("");
        const found = detectRules(text)
          .filter((s) => s.type === "Private Key")
          .map((s) => [s.start, s.end]);
        const expected = [...text.matchAll(PEM_REFERENCE)].map((m) => [m.index, m.index + m[0].length]);
        expect(found).toEqual(expected);
      }),
      { seed: 42, numRuns: 400 },
    );
  });
});
