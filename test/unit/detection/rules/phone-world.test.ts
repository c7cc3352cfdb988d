// Phone numbers of the world through libphonenumber-js: valid for a default region, or possible with a phone
// word nearby; dates, year ranges, masks, thousands and formulas are not phone numbers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { execAll, unitOffsets } from "../../../../src/detection/rules/context.js";
import { execAtStarts } from "../../../../src/detection/rules/digit-clusters.js";
import { detectRules } from "../../../../src/detection/rules/index.js";
import { INTL_AT, INTL_RE } from "../../../../src/detection/rules/phone.js";
import { matchOffsets, textsOf } from "./helpers.js";

const PH = "Phone Number";

describe("phones (world formats)", () => {
  it("finds national numbers of the default regions, with a phone word or grouped", () => {
    expect(textsOf("Call me on 07700 063 966 after six.", PH)).toEqual(["07700 063 966"]);
    expect(textsOf("Son numéro : 0490 75 40 81.", PH)).toEqual(["0490 75 40 81"]);
    expect(textsOf("Mi móvil es 699 956 915.", PH)).toEqual(["699 956 915"]);
    expect(textsOf("Telefon: (03354) 6280645", PH)).toEqual(["(03354) 6280645"]);
    expect(textsOf("Her number is 1-742-542-1310 x4339.", PH)).toEqual(["1-742-542-1310 x4339"]);
    expect(textsOf("Zadzwoń pod numer 60-56-85-91.", PH)).toEqual(["60-56-85-91"]);
  });

  it("takes a number's extension and a bracketed country code with it", () => {
    expect(textsOf("Phone 455-639-6692 x6443, ask for Tom.", PH)).toEqual(["455-639-6692 x6443"]);
    expect(textsOf("Call (672) 624-3352 ext. 792 today", PH)).toEqual(["(672) 624-3352 ext. 792"]);
    expect(textsOf("Téléphone : 312 236-4825, poste 173.", PH)).toEqual(["312 236-4825, poste 173"]);
    expect(textsOf("phone 952.243.4230 x21179", PH)).toEqual(["952.243.4230 x21179"]);
    expect(textsOf("Hubungi saya di (+62) 529 5777 581 ya", PH)).toEqual(["(+62) 529 5777 581"]);
    expect(textsOf("Call 13912345678 x12 now", PH)).toEqual(["13912345678 x12"]);
  });

  it("finds international numbers with + or 00", () => {
    expect(textsOf("WhatsApp +33 6 12 34 56 78 please", PH)).toEqual(["+33 6 12 34 56 78"]);
    expect(textsOf("reach me at 0049 30 901820", PH)).toEqual(["0049 30 901820"]);
  });

  it("remembers a verdict only for the same regions and the same phone word (the memo of parses)", () => {
    const bare = "see: 0490 75 40 81";
    const cued = "number: 0490 75 40 81";
    const phones = (text: string, regions: string[]): string[] =>
      detectRules(text, { phoneRegions: regions })
        .filter((s) => s.type === PH)
        .map((s) => s.text);
    for (let round = 0; round < 2; round++) {
      expect(phones(bare, ["FR"])).toEqual(["0490 75 40 81"]);
      expect(phones(bare, ["US"])).toEqual([]);
      // Possible for the US with a phone word, not valid there.
      expect(phones(cued, ["US"])).toEqual(["0490 75 40 81"]);
      expect(phones(bare, ["US"])).toEqual([]);
    }
  });

  it("uses the configured regions", () => {
    const text = "ring 0490 75 40 81 tonight";
    expect(detectRules(text, { phoneRegions: ["FR"] }).map((s) => s.text)).toEqual(["0490 75 40 81"]);
    expect(detectRules(text, { phoneRegions: [] }).filter((s) => s.type === PH)).toEqual([]);
  });

  it("leaves dates, year ranges, masks, thousands and formulas alone", () => {
    for (const s of [
      "The war (1918–1922) changed everything.",
      "Logged at 2026-12-07 21:30 by the system.",
      "The subnet mask is 255.255.255.0 here.",
      "There are 149 587 819 subsets.",
      "We computed 1024-941 = 83 in class.",
      "The 2016/2017 cohort graduated.",
      "Order 20261207 shipped.",
    ])
      expect(textsOf(s, PH), s).toEqual([]);
  });

  it("tries the international pattern at each + only, and finds what a whole-text scan finds", () => {
    const piece = fc.oneof(
      fc.constantFrom("+", "++", "+0", " ", "-", ".", "(", ")", "a", "x", "\n"),
      fc.stringMatching(/^\d{1,6}$/),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const text = parts.join("");
        expect(matchOffsets(execAtStarts(INTL_AT, text, unitOffsets(text, "+")))).toEqual(
          matchOffsets(execAll(INTL_RE, text)),
        );
      }),
      { seed: 31, numRuns: 3000 },
    );
  });
});
