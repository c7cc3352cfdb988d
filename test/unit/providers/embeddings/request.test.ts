import { describe, expect, it } from "vitest";
import {
  openAICompletionsAdapter,
  openAIEmbeddingsAdapter,
} from "../../../../src/providers/embeddings/index.js";
import {
  collectCompletionsSlots,
  collectEmbeddingsSlots,
} from "../../../../src/providers/embeddings/request.js";
import { applySlots } from "../../../../src/providers/shared/slots.js";

describe("collectEmbeddingsSlots", () => {
  it("takes a string input", () => {
    const body: Record<string, unknown> = { input: "mail x" };
    const slots = collectEmbeddingsSlots(body);
    expect(slots.map((s) => [s.text, s.role, s.detect])).toEqual([["mail x", "user", true]]);
    applySlots(slots, ["mail <Email_1>"]);
    expect(body.input).toBe("mail <Email_1>");
  });

  it("takes each non-empty string of an array and leaves token ids alone", () => {
    const body: Record<string, unknown> = { input: ["a", "", [1, 2], "b", 7] };
    const slots = collectEmbeddingsSlots(body);
    expect(slots.map((s) => s.text)).toEqual(["a", "b"]);
    applySlots(slots, ["<A_1>", "<B_1>"]);
    expect(body.input).toEqual(["<A_1>", "", [1, 2], "<B_1>", 7]);
    expect(collectEmbeddingsSlots({ input: [1, 2, 3] })).toEqual([]);
  });
});

describe("collectCompletionsSlots", () => {
  it("takes the prompt(s) and the suffix", () => {
    expect(collectCompletionsSlots({ prompt: "p", suffix: "s" }).map((s) => s.text)).toEqual(["p", "s"]);
    expect(
      collectCompletionsSlots({ prompt: ["p1", [5, 6], "p2"], suffix: null }).map((s) => s.text),
    ).toEqual(["p1", "p2"]);
    expect(collectCompletionsSlots({ prompt: null })).toEqual([]);
  });
});

describe("embeddings adapters", () => {
  it("parse valid bodies keeping unknown fields", () => {
    const body = { model: "m", input: ["x"], dimensions: 8, encoding_format: "base64" };
    expect(openAIEmbeddingsAdapter.parseRequest(body)).toEqual(body);
    const completion = { model: "m", prompt: "x", max_tokens: 3, echo: true };
    expect(openAICompletionsAdapter.parseRequest(completion)).toEqual(completion);
  });

  it.each([{}, { input: 3 }, { input: [{}] }, { input: [["a"]] }])(
    "refuse an invalid embeddings body %j",
    (body) => {
      expect(() => openAIEmbeddingsAdapter.parseRequest(body)).toThrow(
        expect.objectContaining({ code: "PRX_REQ_INVALID_BODY" }),
      );
    },
  );

  it("refuses an invalid completions body", () => {
    expect(() => openAICompletionsAdapter.parseRequest({ prompt: { text: "x" } })).toThrow(
      expect.objectContaining({ code: "PRX_REQ_INVALID_BODY" }),
    );
  });

  it("embeddings never stream", () => {
    expect(openAIEmbeddingsAdapter.createStreamMapper({} as never)).toBeUndefined();
  });
});
