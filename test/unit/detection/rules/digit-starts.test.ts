// The patterns tried only where the digit runs let them start (UK and German plates, English street
// addresses) find exactly what a scan of the whole text finds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext, execAll } from "../../../../src/detection/rules/context.js";
import {
  CN_ROAD_AT,
  CN_ROAD_RE,
  CN_UNIT_AT,
  CN_UNIT_RE,
  cnRoadStarts,
  cnUnitStarts,
  EN_ADDRESS_AT,
  EN_ADDRESS_RE,
  enAddressStarts,
  UNIT_AT,
  UNIT_RE,
  unitStarts,
} from "../../../../src/detection/rules/address.js";
import {
  AGE_AT,
  AGE_RE,
  ageStarts,
  moneyMatches,
  MONEY_RE,
  moneyStarts,
} from "../../../../src/detection/rules/amounts.js";
import { execAtStarts } from "../../../../src/detection/rules/digit-clusters.js";
import {
  IBAN_AT,
  IBAN_RE,
  ibanStarts,
  TAIL_RE,
  tailMatches,
} from "../../../../src/detection/rules/finance.js";
import { CN_NUMBER_AT, CN_NUMBER_RE, cnNumberStarts } from "../../../../src/detection/rules/street.js";
import {
  DE_PLATE_AT,
  DE_PLATE_RE,
  deStarts,
  UK_PLATE_AT,
  UK_PLATE_RE,
  ukStarts,
} from "../../../../src/detection/rules/plates.js";
import { matchOffsets } from "./helpers.js";

describe("digit starts", () => {
  it("finds the whole-text matches, at the same offsets", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^\d{1,5}$/),
      fc.stringMatching(/^[A-Z]{1,3}$/),
      fc.constantFrom(" ", "-", "--", "E", "H", "a", "Ä", ".", "12 ABC", "-AB 123", "-B 1E"),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const text = parts.join("");
        const ctx = createContext(text);
        expect(matchOffsets(execAtStarts(UK_PLATE_AT, text, ukStarts(ctx)))).toEqual(
          matchOffsets(execAll(UK_PLATE_RE, text)),
        );
        expect(matchOffsets(execAtStarts(DE_PLATE_AT, text, deStarts(ctx)))).toEqual(
          matchOffsets(execAll(DE_PLATE_RE, text)),
        );
      }),
      { seed: 21, numRuns: 1500 },
    );
  });

  it("finds the English addresses a whole-text scan finds", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^\d{1,7}$/),
      fc.constantFrom(
        " ",
        ", ",
        "a",
        "B",
        "\u00a0",
        "\n",
        "Main ",
        "Old Mill ",
        "Street",
        "St.",
        "Rd",
        "Lane",
        "Élan ",
        "x",
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const text = parts.join("");
        const ctx = createContext(text);
        expect(matchOffsets(execAtStarts(EN_ADDRESS_AT, text, enAddressStarts(ctx)))).toEqual(
          matchOffsets(execAll(EN_ADDRESS_RE, text)),
        );
      }),
      { seed: 22, numRuns: 1500 },
    );
  });

  it("finds the Chinese roads and units and the flat numbers a whole-text scan finds", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^\d{1,7}$/),
      fc.constantFrom(
        ..."路 街 大道 大街 巷 弄 胡同 公路 号 號 室 楼 层 单元 栋 座 公寓 阁楼 房间 房 号房 中 A B a x # ,".split(
          " ",
        ),
        " ",
        "\u3000",
        "\n",
        "Flat",
        "Apt",
        "Apt.",
        "Apartment",
        "Suite",
        "Unit",
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const text = parts.join("");
        const ctx = createContext(text);
        expect(matchOffsets(execAtStarts(CN_ROAD_AT, text, cnRoadStarts(ctx)))).toEqual(
          matchOffsets(execAll(CN_ROAD_RE, text)),
        );
        expect(matchOffsets(execAtStarts(CN_UNIT_AT, text, cnUnitStarts(ctx)))).toEqual(
          matchOffsets(execAll(CN_UNIT_RE, text)),
        );
        expect(matchOffsets(execAtStarts(UNIT_AT, text, unitStarts(ctx)))).toEqual(
          matchOffsets(execAll(UNIT_RE, text)),
        );
        expect(matchOffsets(execAtStarts(CN_NUMBER_AT, text, cnNumberStarts(ctx)))).toEqual(
          matchOffsets(execAll(CN_NUMBER_RE, text)),
        );
      }),
      { seed: 26, numRuns: 4000 },
    );
    for (const text of [
      "Flat #12",
      "Apt.  3B",
      "Unit\n#7a",
      "路 12 号3栋",
      "公寓12A室",
      "1203室",
      "12A 号房",
      "胡同5號",
    ]) {
      const ctx = createContext(text);
      expect(matchOffsets(execAtStarts(CN_ROAD_AT, text, cnRoadStarts(ctx)))).toEqual(
        matchOffsets(execAll(CN_ROAD_RE, text)),
      );
      expect(matchOffsets(execAtStarts(CN_UNIT_AT, text, cnUnitStarts(ctx)))).toEqual(
        matchOffsets(execAll(CN_UNIT_RE, text)),
      );
      expect(matchOffsets(execAtStarts(UNIT_AT, text, unitStarts(ctx)))).toEqual(
        matchOffsets(execAll(UNIT_RE, text)),
      );
      expect(
        execAll(CN_ROAD_RE, text).length + execAll(CN_UNIT_RE, text).length + execAll(UNIT_RE, text).length,
      ).toBeGreaterThan(0);
    }
  });

  it("finds the IBANs a whole-text scan finds", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^\d{1,6}$/),
      fc.stringMatching(/^[A-Z]{1,4}$/),
      fc.constantFrom(" ", "DE89", "GB29 NWBK", "a", "-"),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const text = parts.join("");
        expect(matchOffsets(execAtStarts(IBAN_AT, text, ibanStarts(createContext(text))))).toEqual(
          matchOffsets(execAll(IBAN_RE, text)),
        );
      }),
      { seed: 23, numRuns: 1500 },
    );
  });

  it("finds the ages a whole-text scan finds", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^\d{1,5}$/),
      fc.constantFrom(
        " ",
        "-",
        "岁",
        "周岁",
        "year",
        "years",
        "old",
        "age",
        "Aged",
        "AGE",
        "aGE",
        "page",
        " of ",
        ":",
        "*",
        "x",
        "\u3000",
        "\u00a0",
        "of",
        "d",
        "：",
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const text = parts.join("");
        const at = execAtStarts(AGE_AT, text, ageStarts(createContext(text)));
        expect(matchOffsets(at)).toEqual(matchOffsets(execAll(AGE_RE, text)));
      }),
      { seed: 24, numRuns: 2000 },
    );
  });

  it("finds the money amounts a whole-text scan finds", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^\d{1,7}$/),
      fc.constantFrom(
        " ",
        ",",
        ".",
        "$",
        "US$",
        "HK$",
        "C$",
        "€",
        "£",
        "USD",
        "USD ",
        "EUR",
        "A",
        "元",
        "万",
        "千",
        "块钱",
        "k",
        " million",
        "dollars",
        " euros",
        "bucks",
        "x",
        "\u00a0",
        "\n",
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const text = parts.join("");
        const at = moneyMatches(text, moneyStarts(createContext(text)));
        expect(matchOffsets(at)).toEqual(matchOffsets(execAll(MONEY_RE, text)));
      }),
      { seed: 25, numRuns: 3000 },
    );
  });

  it("finds the card tails a whole-text scan finds, scanning from the first hint word", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^\d{1,5}$/),
      fc.constantFrom(
        ..."尾号 末尾 后四位 末四位 为 是 ： : ending in with last four 4 three digits of card are is x a LAST Ending".split(
          " ",
        ),
        " ",
        "\n",
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        expect(matchOffsets(tailMatches(text))).toEqual(matchOffsets(execAll(TAIL_RE, text)));
      }),
      { seed: 28, numRuns: 3000 },
    );
  });

  it("takes a German plate after a doubled dash", () => {
    const text = "Kennzeichen --B 123";
    expect(matchOffsets(execAtStarts(DE_PLATE_AT, text, deStarts(createContext(text))))).toEqual([
      [13, "-B 123"],
    ]);
  });
});
