// The profile family's shortcut finds what the plain scan finds: the Chinese job cues taken at the cue words of
// the shared Chinese pass give the matches of the cue pattern over the whole text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext, execAll } from "../../../../src/detection/rules/context.js";
import { CN_JOB_CUE_RE, cnJobCueMatches } from "../../../../src/detection/rules/profile.js";
import { matchOffsets } from "./helpers.js";

describe("profile shortcuts", () => {
  it("finds the Chinese job cues a whole-text scan finds", () => {
    const piece = fc.constantFrom(
      ..."作为 身为 我是 她是 他是 职业是 担任 任职 一名 一位 一个 名 位 职业 担 任 我 是 教师 的 ， a 1".split(
        " ",
      ),
      " ",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        expect(matchOffsets(cnJobCueMatches(createContext(text)))).toEqual(
          matchOffsets(execAll(CN_JOB_CUE_RE, text)),
        );
      }),
      { seed: 51, numRuns: 4000 },
    );
  });
});
