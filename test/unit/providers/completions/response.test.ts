import { describe, expect, it } from "vitest";
import { restoreCompletionsResponse } from "../../../../src/providers/completions/response.js";
import { indexOf } from "../../../helpers/index-of.js";

const index = indexOf({ "<Email_2>": 'q"uote@x.io' });

describe("restoreCompletionsResponse", () => {
  it("restores every choice's text of a completion", () => {
    const body = {
      object: "text_completion",
      choices: [
        { index: 0, text: "to <Email_2>", finish_reason: "stop" },
        { index: 1, text: "none", finish_reason: "stop" },
        { index: 2, finish_reason: "length" },
      ],
    };
    expect(restoreCompletionsResponse(body, index)).toBe(1);
    expect(body.choices.map((c) => c.text)).toEqual(['to q"uote@x.io', "none", undefined]);
    expect(restoreCompletionsResponse("x", index)).toBe(0);
  });
});
