import { describe, expect, it } from "vitest";
import { openAIResponsesAdapter } from "../../../../src/providers/openai-responses/index.js";
import { collectResponsesSlots } from "../../../../src/providers/openai-responses/request.js";
import { applySlots } from "../../../../src/providers/shared/slots.js";

const summary = (body: Record<string, unknown>) =>
  collectResponsesSlots(body).map((s) => [s.text, s.role, s.detect]);

describe("collectResponsesSlots", () => {
  it("takes instructions and a string input", () => {
    expect(summary({ instructions: "sys", input: "hi" })).toEqual([
      ["sys", "system", true],
      ["hi", "user", true],
    ]);
    expect(summary({ instructions: null })).toEqual([]);
  });

  it("takes message items with string content or text parts, typed or not; assistant turns light", () => {
    const body = {
      input: [
        { role: "developer", content: "dev" },
        { role: "system", content: "sys" },
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_text", text: "u" },
            { type: "input_image", image_url: "https://example.com/x.png" },
            { type: "input_file", file_id: "file-1" },
          ],
        },
        {
          type: "message",
          role: "assistant",
          id: "msg_1",
          content: [
            { type: "output_text", text: "a", annotations: [] },
            { type: "refusal", refusal: "r" },
          ],
        },
      ],
    };
    expect(summary(body)).toEqual([
      ["dev", "developer", true],
      ["sys", "system", true],
      ["u", "user", true],
      // Image URLs are redacted too (a URL can carry private data); only data: URLs are media.
      ["https://example.com/x.png", "user", true],
      ["a", "assistant", "light"],
      ["r", "assistant", "light"],
    ]);
  });

  it("takes function_call arguments leaf by leaf — keys, strings and numbers — and keeps them valid JSON", () => {
    const item = {
      type: "function_call",
      call_id: "c",
      name: "f",
      arguments: '{"to":"x","n":3,"list":["y"]}',
    };
    const slots = collectResponsesSlots({ input: [item] });
    expect(slots.map((s) => [s.text, s.role, s.detect])).toEqual([
      ["x", "assistant", "light"],
      ["to", "assistant", "light"],
      ["3", "assistant", "light"],
      ["n", "assistant", "light"],
      ["y", "assistant", "light"],
      ["list", "assistant", "light"],
    ]);
    applySlots(slots, ['<Email_1> "q"', "to", "<Account_1>", "n", "<Private_1>", "list"]);
    expect(JSON.parse(item.arguments)).toEqual({
      to: '<Email_1> "q"',
      n: "<Account_1>",
      list: ["<Private_1>"],
    });
  });

  it("takes function_call_output as JSON text, plain text or text parts, fully detected", () => {
    const body = {
      input: [
        { type: "function_call_output", call_id: "a", output: '{"found":"v"}' },
        { type: "function_call_output", call_id: "b", output: "plain" },
        {
          type: "function_call_output",
          call_id: "c",
          output: [
            { type: "input_text", text: "part" },
            { type: "input_image", image_url: "https://example.com/y.png" },
          ],
        },
      ],
    };
    expect(summary(body)).toEqual([
      ["v", "tool", true],
      ["found", "tool", true],
      ["plain", "tool", true],
      ["part", "tool", true],
      ["https://example.com/y.png", "tool", true],
    ]);
  });

  it("redacts reasoning summaries; leaves encrypted reasoning and item references alone", () => {
    const body = {
      input: [
        {
          type: "reasoning",
          id: "rs_1",
          summary: [{ type: "summary_text", text: "s" }],
          encrypted_content: "e",
        },
        { type: "item_reference", id: "msg_1" },
      ],
    };
    expect(summary(body)).toEqual([["s", "assistant", "light"]]);
  });
});

describe("openAIResponsesAdapter", () => {
  it("parses a valid body keeping unknown fields", () => {
    const body = {
      model: "m",
      input: "x",
      store: false,
      previous_response_id: "resp_1",
      text: { format: {} },
    };
    expect(openAIResponsesAdapter.parseRequest(body)).toEqual(body);
    expect(openAIResponsesAdapter.parseRequest({ model: "m", previous_response_id: "r" })).toEqual({
      model: "m",
      previous_response_id: "r",
    });
  });

  it.each([{ input: 3 }, { input: [3] }, { instructions: 3 }, { stream: "yes" }])(
    "refuses an invalid body %j",
    (body) => {
      expect(() => openAIResponsesAdapter.parseRequest(body)).toThrow(
        expect.objectContaining({ code: "PRX_REQ_INVALID_BODY" }),
      );
    },
  );
});
