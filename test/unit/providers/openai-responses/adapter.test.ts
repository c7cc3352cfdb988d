/** The Responses adapter reads the fields it needs from the typed request: continuation, JSON output, ids. */
import { describe, expect, it } from "vitest";
import { openAIResponsesAdapter } from "../../../../src/providers/openai-responses/index.js";

const parse = (body: unknown) => openAIResponsesAdapter.parseRequest(body);

describe("openAIResponsesAdapter", () => {
  it("continues previous_response_id and a conversation given by id or as { id }", () => {
    expect(openAIResponsesAdapter.continues?.(parse({ input: "x" }))).toEqual([]);
    expect(openAIResponsesAdapter.continues?.(parse({ previous_response_id: "resp_1" }))).toEqual(["resp_1"]);
    expect(openAIResponsesAdapter.continues?.(parse({ conversation: "conv_1" }))).toEqual(["conv_1"]);
    expect(
      openAIResponsesAdapter.continues?.(
        parse({ previous_response_id: "resp_1", conversation: { id: "conv_2" } }),
      ),
    ).toEqual(["resp_1", "conv_2"]);
    expect(
      openAIResponsesAdapter.continues?.(parse({ previous_response_id: "", conversation: { id: "" } })),
    ).toEqual([]);
  });

  it("wants JSON when text.format asks for it", () => {
    expect(openAIResponsesAdapter.wantsJson?.(parse({ text: { format: { type: "json_schema" } } }))).toBe(
      true,
    );
    expect(openAIResponsesAdapter.wantsJson?.(parse({ text: { format: { type: "text" } } }))).toBe(false);
    expect(openAIResponsesAdapter.wantsJson?.(parse({ text: null }))).toBe(false);
  });

  it("binds to the response id and its conversation (or the request's), and to nothing for a non-response", () => {
    const body = parse({ conversation: "conv_1" });
    expect(openAIResponsesAdapter.issues?.({ id: "resp_2" }, body)).toEqual(["resp_2", "conv_1"]);
    expect(openAIResponsesAdapter.issues?.({ id: "resp_2", conversation: { id: "conv_3" } }, body)).toEqual([
      "resp_2",
      "conv_3",
    ]);
    expect(openAIResponsesAdapter.issues?.([{ id: "resp_2" }], body)).toEqual([]);
    expect(openAIResponsesAdapter.issues?.("resp_2", body)).toEqual([]);
  });

  it.each([{ previous_response_id: 7 }, { conversation: 7 }, { text: { format: "json" } }])(
    "refuses a continuation or format of the wrong type %j",
    (body) => {
      expect(() => parse(body)).toThrow(expect.objectContaining({ code: "PRX_REQ_INVALID_BODY" }));
    },
  );
});
