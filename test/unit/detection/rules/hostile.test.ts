// Hostile input to the rule detector: huge texts packed with what the rules look for are detected, not refused
// by a crash (the body limit is 16 MiB), and the spans found are the ones a small text gives, repeated.
import { describe, expect, it } from "vitest";
import { detectRules } from "../../../../src/detection/rules/index.js";

const MIB = 1024 * 1024;
const fill = (unit: string, size: number): string => unit.repeat(Math.ceil(size / unit.length));

describe("rule detector on hostile input", () => {
  it("handles a 1 MiB text of Chinese cue words (no spread of a huge array onto the stack)", () => {
    expect(() => detectRules(fill("密码是", MIB))).not.toThrow();
  });

  it("finds every amount in a long list of amounts", () => {
    const spans = detectRules(fill("$1, ", 64 * 1024));
    expect(spans).toHaveLength(16 * 1024);
    expect(spans.every((s) => s.text === "$1" && s.type === "Monetary Amount")).toBe(true);
  });

  it("finds every e-mail in a long list of e-mails", () => {
    const spans = detectRules(fill("a@b.co ", 7 * 8192));
    expect(spans).toHaveLength(8192);
    expect(new Set(spans.map((s) => s.text))).toEqual(new Set(["a@b.co"]));
  });

  it("finds a private key after many unterminated headers", () => {
    const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    const text = `${fill("-----BEGIN PRIVATE KEY----- x ", 64 * 1024)}\n${key}`;
    const pem = detectRules(text).filter((s) => s.type === "Private Key");
    // The first header opens the block: it reaches the footer only if the footer is within reach.
    expect(pem.length).toBeGreaterThanOrEqual(1);
    expect(pem.every((s) => s.text.endsWith("-----END PRIVATE KEY-----"))).toBe(true);
  });
});
