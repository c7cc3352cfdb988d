import { describe, expect, it } from "vitest";
import { openAIEmbeddingsAdapter } from "../../../../src/providers/embeddings/index.js";
import { collectEmbeddingsSlots } from "../../../../src/providers/embeddings/request.js";
import type { OpenAIEmbeddingsRequest } from "../../../../src/providers/embeddings/schema.js";
import { applySlots } from "../../../../src/providers/shared/slots.js";

describe("collectEmbeddingsSlots", () => {
  it("takes a string input", () => {
    const body: OpenAIEmbeddingsRequest = { input: "mail x" };
    const slots = collectEmbeddingsSlots(body);
    expect(slots.map((s) => [s.text, s.role, s.detect])).toEqual([["mail x", "user", true]]);
    applySlots(slots, ["mail <Email_1>"]);
    expect(body.input).toBe("mail <Email_1>");
  });

  it("takes each non-empty string of an array and leaves token ids alone", () => {
    const body: OpenAIEmbeddingsRequest = { input: ["a", "", [1, 2], "b", 7] };
    const slots = collectEmbeddingsSlots(body);
    expect(slots.map((s) => s.text)).toEqual(["a", "b"]);
    applySlots(slots, ["<A_1>", "<B_1>"]);
    expect(body.input).toEqual(["<A_1>", "", [1, 2], "<B_1>", 7]);
    expect(collectEmbeddingsSlots({ input: [1, 2, 3] })).toEqual([]);
  });
});

describe("openAIEmbeddingsAdapter", () => {
  it("parses a valid body keeping unknown fields", () => {
    const body = { model: "m", input: ["x"], dimensions: 8, encoding_format: "base64" };
    expect(openAIEmbeddingsAdapter.parseRequest(body)).toEqual(body);
  });

  it.each([{}, { input: 3 }, { input: [{}] }, { input: [["a"]] }])("refuses an invalid body %j", (body) => {
    expect(() => openAIEmbeddingsAdapter.parseRequest(body)).toThrow(
      expect.objectContaining({ code: "PRX_REQ_INVALID_BODY" }),
    );
  });

  it("never streams, and restores nothing (vectors only)", () => {
    expect(openAIEmbeddingsAdapter.createStreamMapper({} as never)).toBeUndefined();
    expect(openAIEmbeddingsAdapter.restoreResponse({ data: [{ embedding: [0.1] }] }, {} as never)).toBe(0);
  });
});
