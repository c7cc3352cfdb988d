// Packed spans (the worker's reply format) rebuild exactly the spans detected, for any text the rules see.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detectRules } from "../../../../src/detection/rules/index.js";
import { packSpans, unpackSpans } from "../../../../src/detection/worker/protocol.js";

const piece = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    "mail a@b.co ",
    "+1 415 555 0132 ",
    "password: Tr0ub4dor&3 ",
    "密码是Abc@12345，",
    "$1,200 ",
  ),
);

describe("packed spans", () => {
  it("unpack(pack(spans)) equals the spans (property)", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (parts) => {
        const text = parts.join("");
        const spans = detectRules(text, { userName: "Jane Doe" });
        expect(unpackSpans(text, structuredClone(packSpans(spans)))).toEqual(spans);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
