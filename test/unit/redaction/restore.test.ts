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
    ["(Phone Number_1)", "13800138000"],
    ["< Phone_Number_1 >", "13800138000"],
    ["Phone_Number_1", "13800138000"],
    ["Phone-Number-1", "13800138000"],
    ["<Private_3>", "secret"],
  ])("tolerates the mangled form %s", (form, value) => {
    expect(restore(`x ${form} y`)).toBe(`x ${value} y`);
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

  it("keeps a closing bracket that no opening bracket matched", () => {
    expect(restore("[see Phone_Number_1]")).toBe("[see 13800138000]");
  });

  it("JSON-escapes values restored inside a JSON string", () => {
    const raw = '{"to":"<Email_2>"}';
    const out = restoreText(raw, index, { json: true }).text;
    expect(JSON.parse(out)).toEqual({ to: 'a"b@c.co' });
  });

  it("counts restorations", () => {
    expect(restoreText("<Email_2> <Email_2> <Email_9>", index).restored).toBe(2);
  });

  it("restores a bare placeholder right after a JSON escape inside JSON text", () => {
    const raw = JSON.stringify({ note: "line\nEmail_2\tReal_Name_1" });
    const out = restoreText(raw, index, { json: true }).text;
    expect(JSON.parse(out)).toEqual({ note: 'line\na"b@c.co\tZhang San' });
    // outside JSON, "nEmail_2" is one word and stays as it is
    expect(restoreText("nEmail_2", index).text).toBe("nEmail_2");
  });
});
