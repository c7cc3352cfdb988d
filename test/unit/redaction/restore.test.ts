import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mayHoldPlaceholder, restoreText } from "../../../src/redaction/restore.js";
import { indexOf } from "../../helpers/index-of.js";

const index = indexOf({
  "<Phone_Number_1>": "13800138000",
  "<Email_2>": 'a"b@c.co',
  "<Real_Name_1>": "Zhang San",
  "<Private_3>": "secret",
});
const restore = (text: string): string => restoreText(text, index).text;

describe("restoreText", () => {
  it("restores canonical placeholders", () => {
    expect(restore("Call <Phone_Number_1>, <Real_Name_1>.")).toBe("Call 13800138000, Zhang San.");
  });

  it.each([
    ["<phone_number_1>", "13800138000"],
    ["<PHONE NUMBER 1>", "13800138000"],
    ["[Phone_Number_1]", "13800138000"],
    ["{Phone_Number_1}", "13800138000"],
    ["< Phone_Number_1 >", "13800138000"],
    ["**Phone Number 1**", "13800138000"],
    ["__phone_number_1__", "13800138000"],
    ["*Phone-Number-1*", "13800138000"],
    ["`Phone_Number_1`", "13800138000"],
    ["<Private_3>", "secret"],
  ])("tolerates the mangled form %s", (form, value) => {
    expect(restore(`x ${form} y`)).toBe(`x ${value} y`);
  });

  it.each([
    "Phone_Number_1",
    "Phone-Number-1",
    "password_1 = input()",
    "see Phone Number 1 on the form",
    "(Phone Number_1)",
    "<Phone_Number_1]",
    "[Phone_Number_1>",
  ])("never restores a bare word or an unpaired wrapper: %s", (text) => {
    expect(restore(text)).toBe(text);
  });

  it("leaves unknown placeholders and look-alikes untouched", () => {
    for (const text of [
      "<Phone_Number_2>",
      "<Email_1>",
      "Phone_Number_12",
      "MyPhone_Number_1",
      "Phone_Number_1x",
    ]) {
      expect(restore(text)).toBe(text);
    }
  });

  it("pairs each opener with its own closer", () => {
    expect(restore("[see [Phone_Number_1]]")).toBe("[see 13800138000]");
    expect(restore("<x [Phone_Number_1]>")).toBe("<x 13800138000>");
  });

  it("JSON-escapes values restored inside a JSON string", () => {
    const raw = '{"to":"<Email_2>"}';
    const out = restoreText(raw, index, { json: true }).text;
    expect(JSON.parse(out)).toEqual({ to: 'a"b@c.co' });
  });

  it("counts restorations", () => {
    expect(restoreText("<Email_2> <Email_2> <Email_9>", index).restored).toBe(2);
  });

  it("restores \\u003c-escaped placeholders inside JSON text only", () => {
    const raw = '{"note":"line\\n\\u003cEmail_2\\u003e\\t\\u003CReal_Name_1\\u003E"}';
    const out = restoreText(raw, index, { json: true }).text;
    expect(JSON.parse(out)).toEqual({ note: 'line\na"b@c.co\tZhang San' });
    expect(restoreText(raw, index).text).toBe(raw);
  });

  it("in auto mode escapes values only where the text is JSON", () => {
    expect(JSON.parse(restoreText('{"to":"<Email_2>"}', index, { json: "auto" }).text)).toEqual({
      to: 'a"b@c.co',
    });
    expect(restoreText("to <Email_2>", index, { json: "auto" }).text).toBe('to a"b@c.co');
  });
});

describe("mayHoldPlaceholder", () => {
  const idx = indexOf({ "<Real_Name_1>": "Zhang San", "<Email_2>": "z@x.io" });

  it("is false only where no form of a placeholder can be, and restoration then changes nothing", () => {
    fc.assert(
      fc.property(
        fc
          .array(
            fc.constantFrom(
              "<Real_Name_1>",
              "[real name 1]",
              "**EMAIL 2**",
              "\\u003cEmail_2\\u003e",
              "re",
              "al",
              "ſ",
              "K",
              "mail",
              " ",
              "{",
              '"',
              "<",
              "_1",
              "x",
            ),
            { maxLength: 8 },
          )
          .map((p) => p.join("")),
        (text) => {
          if (mayHoldPlaceholder(text, idx)) return;
          expect(restoreText(text, idx).text).toBe(text);
          expect(restoreText(text, idx, { json: true }).text).toBe(text);
          expect(restoreText(JSON.stringify({ a: text }), idx, { json: true }).restored).toBe(0);
        },
      ),
      { seed: 77, numRuns: 400 },
    );
    expect(mayHoldPlaceholder('{"content":"Noted."}', idx)).toBe(false);
    expect(mayHoldPlaceholder('{"content":"[REAL name 1]"}', idx)).toBe(true);
    expect(mayHoldPlaceholder('{"content":"\\u003cEmail_2>"}', idx)).toBe(true);
    expect(mayHoldPlaceholder("<Real_Name_1>", indexOf({}))).toBe(false);
  });
});
