import { describe, expect, it } from "vitest";
import { openAICompletionsAdapter } from "../../../../src/providers/completions/index.js";
import { collectCompletionsSlots } from "../../../../src/providers/completions/request.js";

describe("collectCompletionsSlots", () => {
  it("takes the prompt(s) and the suffix", () => {
    expect(collectCompletionsSlots({ prompt: "p", suffix: "s" }).map((s) => s.text)).toEqual(["p", "s"]);
    expect(
      collectCompletionsSlots({ prompt: ["p1", [5, 6], "p2"], suffix: null }).map((s) => s.text),
    ).toEqual(["p1", "p2"]);
    expect(collectCompletionsSlots({ prompt: null })).toEqual([]);
  });
});

describe("openAICompletionsAdapter", () => {
  it("parses a valid body keeping unknown fields", () => {
    const completion = { model: "m", prompt: "x", max_tokens: 3, echo: true };
    expect(openAICompletionsAdapter.parseRequest(completion)).toEqual(completion);
  });

  it("refuses an invalid body", () => {
    expect(() => openAICompletionsAdapter.parseRequest({ prompt: { text: "x" } })).toThrow(
      expect.objectContaining({ code: "PRX_REQ_INVALID_BODY" }),
    );
  });
});
