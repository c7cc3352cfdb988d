import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRuleDetector } from "../../src/detection/rules/index.js";
import { createRedactor } from "../../src/redaction/pipeline.js";
import { restoreText } from "../../src/redaction/restore.js";
import { createMemoryVault } from "../../src/vault/memory-vault.js";

const pieces = fc.constantFrom(
  "13800138000",
  "+1 415-555-0132",
  "li.si@example.com",
  "Zhang San",
  "password is Tr0ub4dor&3",
  "验证码 482913",
  "4111 1111 1111 1111",
  "110101199003074514",
  "<Phone_Number_1>",
  "[email 1]",
  "Real_Name_2",
  "<Private_1>",
  "hello",
  " ",
  "，",
  "\n",
  "1",
  "我",
  "-",
  "_",
  "<",
  ">",
);

const redactor = createRedactor({
  detector: createRuleDetector(),
  vault: createMemoryVault(),
  detectTimeoutMs: 5000,
});
let run = 0;

describe("redaction invariants", () => {
  it("restore(redact(x)) === x, no detected value survives, and placeholders never collide with input text", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(pieces, { maxLength: 25 }),
        fc.constantFrom<"type_specific" | "generic">("type_specific", "generic"),
        async (parts, mode) => {
          const text = parts.join("");
          const scope = `prop-${run++}`;
          const out = await redactor.redact({
            items: [{ text }],
            scope,
            userName: "Zhang San",
            policy: { levels: ["PL2", "PL3", "PL4"], mode, allow: [], deny: [] },
          });
          const redacted = out.texts[0] ?? "";
          expect(restoreText(redacted, out.index).text).toBe(text);
          for (const span of out.spans[0] ?? []) {
            const esc = span.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            const onBoundary = new RegExp(`(?<![A-Za-z0-9])${esc}(?![A-Za-z0-9])`);
            if (span.text.length >= 2) expect(onBoundary.test(redacted)).toBe(false);
          }
          // every placeholder issued was not already readable in the input
          for (const span of out.spans[0] ?? []) expect(text).not.toContain(span.replacement);
        },
      ),
      { seed: 42, numRuns: 400 },
    );
  });
});
