import { describe, expect, it } from "vitest";
import { restoreText } from "../../../src/redaction/restore.js";
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
