import { describe, expect, it } from "vitest";
import {
  restoreCompletionsResponse,
  restoreEmbeddingsResponse,
} from "../../../../src/providers/embeddings/response.js";
import { indexOf } from "../../../helpers/index-of.js";

const index = indexOf({ "<Email_2>": 'q"uote@x.io' });

describe("embeddings and completions responses", () => {
  it("embeddings have nothing to restore", () => {
    expect(restoreEmbeddingsResponse()).toBe(0);
  });

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
