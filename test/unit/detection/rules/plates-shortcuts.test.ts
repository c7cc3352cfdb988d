// The plate cues tried only at their words ("plate", "License plate", "registration", 车牌) find what a scan of
// the whole text finds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext, execAll } from "../../../../src/detection/rules/context.js";
import { execAtStarts } from "../../../../src/detection/rules/digit-clusters.js";
import { CUE_PLATE_AT, CUE_PLATE_RE, plateCueStarts } from "../../../../src/detection/rules/plates.js";
import { matchOffsets } from "./helpers.js";

describe("plate cue starts", () => {
  it("finds the whole-text matches, at the same offsets", () => {
    const piece = fc.oneof(
      fc.stringMatching(/^[A-Z0-9]{1,6}$/),
      fc.constantFrom(
        ..."plate Plate plates late License licence Number number Registration registration 车牌 车牌号 号 is was : - · x a".split(
          " ",
        ),
        " ",
        "  ",
        "\n",
        "\u3000",
        "(",
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        expect(matchOffsets(execAtStarts(CUE_PLATE_AT, text, plateCueStarts(createContext(text))))).toEqual(
          matchOffsets(execAll(CUE_PLATE_RE, text)),
        );
      }),
      { seed: 61, numRuns: 4000 },
    );
    for (const text of [
      "License  plate AB12 CDE",
      "number\nplate: K 123",
      "Registration number is 7ABC123",
    ]) {
      expect(matchOffsets(execAtStarts(CUE_PLATE_AT, text, plateCueStarts(createContext(text))))).toEqual(
        matchOffsets(execAll(CUE_PLATE_RE, text)),
      );
      expect(execAll(CUE_PLATE_RE, text).length).toBe(1);
    }
  });
});
