import { describe, expect, it } from "vitest";
import { createRuleDetector, detectRules } from "../../../../src/detection/rules/index.js";
import { found, textsOf } from "./helpers.js";

describe("user name", () => {
  it("matches every occurrence, case-insensitive for Latin names", () => {
    const opts = { userName: "Marie-Claire Fontaine" };
    expect(textsOf("Hi Marie-Claire Fontaine! MARIE-CLAIRE FONTAINE signed.", "Real Name", opts)).toEqual([
      "Marie-Claire Fontaine",
      "MARIE-CLAIRE FONTAINE",
    ]);
    expect(textsOf("Fontaines are nice", "Real Name", opts)).toEqual([]);
  });
  it("matches a Chinese name as-is, also glued to other characters", () => {
    expect(textsOf("我是王小明，王小明的电话", "Real Name", { userName: "王小明" })).toEqual([
      "王小明",
      "王小明",
    ]);
    expect(textsOf("no name here", "Real Name", {})).toEqual([]);
  });
});

describe("reference codes", () => {
  it("finds hyphenated references", () => {
    expect(found("booking #BKG-2291-QX and ticket ref RQ-88213")).toEqual([
      ["#BKG-2291-QX", "Reference Code"],
      ["RQ-88213", "Project/Task ID"],
    ]);
  });
  it("skips public identifiers and names", () => {
    expect(found("AES-256, SHA-256, ISO-8601, COVID-19, UTF-8, Boeing-737, Wi-Fi, GPT-4o")).toEqual([]);
  });
});

describe("normalisation", () => {
  it("matches full-width digits with offsets into the original", () => {
    const text = "手机１３８１２３４５６７８。";
    const spans = detectRules(text);
    expect(spans.map((s) => s.text)).toEqual(["１３８１２３４５６７８"]);
  });
  it("covers zero-width characters inside a value", () => {
    const text = "call 139\u200b1234\u200d5678 now";
    const [span] = detectRules(text);
    expect(span?.text).toBe("139\u200b1234\u200d5678");
    expect(text.slice(span?.start, span?.end)).toBe(span?.text);
  });
});

describe("detector wrapper", () => {
  it("reports its identity and wraps detectRules", async () => {
    const d = createRuleDetector();
    expect(d.info()).toMatchObject({ kind: "rules", ready: true });
    expect(d.info().id).toMatch(/^rules@/);
    const spans = await d.detect({ text: "mail a.b@example.org", userName: "Nobody Here" });
    expect(spans.map((s) => s.source)).toEqual(["rule:email"]);
    await d.close();
  });
  it("rejects when already aborted", async () => {
    const ac = new AbortController();
    ac.abort(new Error("gone"));
    await expect(createRuleDetector().detect({ text: "x" }, ac.signal)).rejects.toThrow("gone");
  });
});

describe("documented evasions", () => {
  it("catches invisible characters other than U+200B", () => {
    const text = "otp 48\u2063291\u00ad7 now";
    expect(detectRules(text).map((s) => s.text)).toEqual(["48\u2063291\u00ad7"]);
  });
  it("still misses spelled-out and homoglyph values (model detector's job)", () => {
    expect(found("call one three eight one two three four five six seven eight")).toEqual([]);
    expect(found("mail bob\u0430@example.com")).toEqual([]);
  });
});
