// The health family's shortcuts answer as the plain scans do: the Chinese cue pattern run from the first cue
// word of the shared pass as over the whole text, the modifiers looked up by last unit as in list order, the
// English modifier after its cheap test as the plain pattern.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext, execAll } from "../../../../src/detection/rules/context.js";
import { execAtStarts } from "../../../../src/detection/rules/digit-clusters.js";
import {
  BODY_RE,
  bodyStarts,
  CN_CUE_RE,
  CN_MODIFIER_LIST,
  cnCueMatches,
  cnModifierBefore,
  EN_CUE_RE,
  enCueMatches,
  EN_MODIFIERS,
  enModifierBefore,
} from "../../../../src/detection/rules/health.js";
import { matchOffsets } from "./helpers.js";

describe("health shortcuts", () => {
  it("finds the Chinese cue phrases a whole-text scan finds", () => {
    const piece = fc.constantFrom(
      ..."诊断为 诊断出 确诊为 确诊了 确诊 患有 患上了 患上 查出 被诊断为 服用了 服用 注射 诊断 被 患 高血压 布洛芬 的 ， 。 a 1".split(
        " ",
      ),
      " ",
      "\n",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        expect(matchOffsets(cnCueMatches(createContext(text)))).toEqual(
          matchOffsets(execAll(CN_CUE_RE, text)),
        );
      }),
      { seed: 41, numRuns: 3000 },
    );
  });

  it("takes the modifier a search of the whole list takes", () => {
    const piece = fc.constantFrom(...CN_MODIFIER_LIST, "的", "期", "性", "高血压", "a");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        const text = `${parts.join("")}高血压`;
        const end = text.length - 3;
        expect(cnModifierBefore(text, end)).toBe(CN_MODIFIER_LIST.find((w) => text.endsWith(w, end)));
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it("takes the English modifier the plain pattern takes", () => {
    const piece = fc.constantFrom(...EN_MODIFIERS, "Mild", "SEVERE", " ", "  ", "-", "x", "very", "\n", "é");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        const text = `${parts.join("")}asthma`;
        const start = text.length - 6;
        const mod = /([A-Za-z]+) $/.exec(text.slice(Math.max(0, start - 12), start));
        const plain = mod?.[1] !== undefined && EN_MODIFIERS.has(mod[1].toLowerCase()) ? mod[0].length : 0;
        expect(enModifierBefore(text, start)).toBe(plain);
      }),
      { seed: 43, numRuns: 3000 },
    );
  });

  it("finds the English cue phrases a whole-text scan finds", () => {
    const piece = fc.constantFrom(
      ..."diagnosed with suffer suffers suffering suffered from prescribed allergic to treated for recovering DIAGNOSED ſuffered asthma x é - 9".split(
        " ",
      ),
      " ",
      "\t",
      "\n",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        expect(matchOffsets(enCueMatches(text))).toEqual(matchOffsets(execAll(EN_CUE_RE, text)));
      }),
      { seed: 44, numRuns: 4000 },
    );
    // The pattern folds case as Unicode does ("ſ" is an "s"); so must the search for the stems.
    for (const text of [
      "ſuffered from asthma",
      "I was DIAGNOSED with flu",
      "recovering from x, treated for y",
    ]) {
      expect(matchOffsets(enCueMatches(text))).toEqual(matchOffsets(execAll(EN_CUE_RE, text)));
      expect(execAll(EN_CUE_RE, text).length).toBeGreaterThan(0);
    }
  });

  it("finds the body measures a whole-text scan finds", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^\d{1,4}$/),
      fc.constantFrom(
        ..."体重 身高 weigh weighs weight weighed weighing height tall TALL Height kg KG 公斤 斤 cm 厘米 lb lbs pounds is about of . , ! x".split(
          " ",
        ),
        " ",
        "\n",
        "          ",
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (parts) => {
        const text = parts.join("");
        expect(
          matchOffsets(execAtStarts(new RegExp(BODY_RE.source, "iy"), text, bodyStarts(createContext(text)))),
        ).toEqual(matchOffsets(execAll(BODY_RE, text)));
      }),
      { seed: 45, numRuns: 4000 },
    );
  });
});
