// Normalisation for matching: disguises fold to plain ASCII and offsets lead back to the original text.
import { describe, expect, it } from "vitest";
import { normalizeText, toOriginal } from "../../../../src/detection/rules/normalize.js";
import { textsOf } from "./helpers.js";

function norm(s: string): string {
  return normalizeText(s).text;
}

describe("normalizeText", () => {
  it("leaves plain ASCII, Latin, Cyrillic and Chinese text as the identity view", () => {
    for (const s of ["Call me at 5pm", "José Müller", "Пароль", "我的电话，请回电……"]) {
      const n = normalizeText(s);
      expect(n.map).toBeUndefined();
      expect(n.text).toBe(s);
    }
  });

  it("drops format characters, bidi controls, tag characters and variation selectors", () => {
    expect(norm("13\u200e91\u200f2\u202a3\u2066456\u{E0041}78")).toBe("13912345678");
    expect(norm("41\ufe0f11\u034f22")).toBe("411122");
  });

  it("keeps combining marks that compose, drops those that do not", () => {
    expect(norm("Jose\u0301")).toBe("José");
    expect(norm("1\u03012")).toBe("12");
  });

  it("maps every decimal digit to ASCII and spaces / dashes to separators", () => {
    expect(norm("١٣٩ ०१२ 𝟑𝟒𝟓")).toBe("139 012 345");
    expect(norm("a\u00a0b\u2009c\u202fd")).toBe("a b c d");
    expect(norm("1\u20132\u20113\u22124")).toBe("1-2-3-4");
    expect(norm("a\u2014b")).toBe("a\u2014b");
  });

  it("folds compatibility forms and URL-encoded @ between letters", () => {
    expect(norm("ｍａｉｌ﹫ｘ．ｏｒｇ")).toBe("mail@x.org");
    expect(norm("user%40example.org")).toBe("user@example.org");
    expect(norm("50%400")).toBe("50%400");
    expect(norm("jo1%40x9.org")).toBe("jo1@x9.org");
    expect(norm("100%40 off")).toBe("100%40 off");
  });

  it("maps offsets back over surrogate pairs and dropped characters", () => {
    const s = "x 𝟏\u200b𝟐 y";
    const n = normalizeText(s);
    const i = n.text.indexOf("12");
    expect(s.slice(...toOriginal(n, i, i + 2))).toBe("𝟏\u200b𝟐");
  });

  it("lets the rules see through the disguises", () => {
    expect(textsOf("Call 139\u200e1234\u200f5678 now", "Phone Number")).toEqual(["139\u200e1234\u200f5678"]);
    expect(textsOf("Mail canary.user%40example.org", "Email")).toEqual(["canary.user%40example.org"]);
    expect(textsOf("Call ١٣٩١٢٣٤٥٦٧٨ now", "Phone Number")).toEqual(["١٣٩١٢٣٤٥٦٧٨"]);
  });
});
