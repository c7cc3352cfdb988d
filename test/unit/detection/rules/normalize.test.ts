// Normalisation for matching: disguises fold to plain ASCII and offsets lead back to the original text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext } from "../../../../src/detection/rules/context.js";
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

  it("keeps the identity view when every fold is one unit for one, and leaves it at the first that is not", () => {
    const n = normalizeText("电话：１３８\u00a00013\u20118000，好");
    expect(n.map).toBeUndefined();
    expect(n.text).toBe("电话:138 0013-8000,好");
    expect(textsOf("电话：１３８\u00a00013\u20118000，好", "Phone Number")).toEqual([
      "１３８\u00a00013\u20118000",
    ]);
    const shifted = normalizeText("１３８\u200b00138000");
    expect(shifted.map).toBeDefined();
    expect(shifted.text).toBe("13800138000");
    expect(toOriginal(shifted, 3, 11)).toEqual([4, 12]);
    // A mark dropped last shifts nothing after it.
    expect(normalizeText("ab\u20e3").map).toBeUndefined();
  });

  it("says a text is plain ASCII exactly when every unit is printable ASCII, a tab or a line break", () => {
    const piece = fc.constantFrom(
      "a",
      "Z",
      "7",
      " ",
      "\t",
      "\n",
      "\r",
      "%40",
      "~",
      "\x7f",
      "\x00",
      "é",
      "中",
      "’",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const s = parts.join("");
        const n = normalizeText(s);
        expect(n.plainAscii).toBe(/^[\t\n\r\x20-\x7e]*$/.test(s) && !s.includes("%40"));
        // A context told so has what one that looks for itself has.
        if (n.plainAscii) expect(createContext(n.text, true)).toEqual(createContext(n.text));
      }),
      { seed: 3, numRuns: 1000 },
    );
    expect(normalizeText("user%40example.org").text).toBe("user@example.org");
    expect(normalizeText("100%40 off").text).toBe("100%40 off");
  });

  it("leads every unit back to its own characters, in order, on random disguised text", () => {
    const piece = fc.constantFrom(
      "a",
      "Z",
      "7",
      "%",
      "40",
      " ",
      "，",
      "中",
      "１",
      "ｍ",
      "٣",
      "𝟑",
      "\u00a0",
      "\u2011",
      "\u200b",
      "\u0301",
      "\ufe0f",
      "é",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const s = parts.join("");
        const n = normalizeText(s);
        let last = 0;
        for (let k = 0; k < n.text.length; k++) {
          const [from, to] = toOriginal(n, k, k + 1);
          expect(from).toBeGreaterThanOrEqual(last);
          expect(to).toBeGreaterThan(from);
          expect(to).toBeLessThanOrEqual(s.length);
          last = from;
          // A folded identity view claims each unit came from the unit at its own offset, alone (folded as the
          // slow path folds it: after a no-break hyphen).
          if (n.map === undefined && n.text !== s)
            expect(normalizeText(`\u2011${s.charAt(k)}`).text.slice(1)).toBe(n.text.charAt(k));
        }
      }),
      { seed: 17, numRuns: 1000 },
    );
  });
});
