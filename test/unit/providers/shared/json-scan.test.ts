import { describe, expect, it } from "vitest";
import { compileSelection, memberOf, scanJson } from "../../../../src/providers/shared/json-scan.js";

const SELECTOR = compileSelection({ a: true, b: [{ c: true }] });

describe("scanJson", () => {
  it("finds a selected string's literal, escapes decoded", () => {
    const text = '{"x":[1,{"a":2}],"a":"<Email_1> \\u00e9\\n","b":[{"c":null},3]}';
    const root = scanJson(text, SELECTOR);
    const a = memberOf(root, "a");
    expect(a?.kind).toBe("string");
    expect(a?.value).toBe("<Email_1> é\n");
    expect(text.slice(a?.start, a?.end)).toBe('"<Email_1> \\u00e9\\n"');
    expect(memberOf(root, "b")?.items?.map((n) => n.kind)).toEqual(["object", "number"]);
    expect(memberOf(memberOf(root, "b")?.items?.[0], "c")?.kind).toBe("null");
    // a member of an unselected subtree is not reported
    expect(memberOf(root, "x")).toBeUndefined();
  });

  it("decodes an escaped key before matching it", () => {
    expect(memberOf(scanJson('{"\\u0061":"yes"}', SELECTOR), "a")?.value).toBe("yes");
  });

  it("gives up on a selected key given twice (JSON.parse would keep the last)", () => {
    expect(scanJson('{"a":"first","a":"second"}', SELECTOR)).toBeUndefined();
    // an unselected key given twice is no concern
    expect(scanJson('{"z":1,"z":2,"a":"x"}', SELECTOR)).toBeDefined();
  });

  it("gives up on what JSON.parse refuses", () => {
    for (const bad of [
      "",
      "{",
      '{"a":1,}',
      "[1,]",
      '{"a":01}',
      '{"a":1.}',
      '{"a":-}',
      '{"a":"tab\there"}',
      '{"a":"\\x"}',
      '{"a":"\\u12g4"}',
      "\ufeff{}",
      "{} x",
      "tru",
      "nul",
      '{"a" 1}',
      "{'a':1}",
    ]) {
      expect(() => JSON.parse(bad) as unknown, bad).toThrow();
      expect(scanJson(bad, SELECTOR), bad).toBeUndefined();
    }
  });

  it("gives up on nesting deeper than it vouches for; the caller's JSON.parse decides", () => {
    const deep = `${"[".repeat(100)}${"]".repeat(100)}`;
    expect(scanJson(deep, SELECTOR)).toBeUndefined();
    expect(scanJson(`${"[".repeat(30)}${"]".repeat(30)}`, SELECTOR)?.kind).toBe("array");
  });
});
