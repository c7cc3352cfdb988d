import { describe, expect, it } from "vitest";
import {
  anthropicCountTokensAdapter,
  anthropicMessagesAdapter,
} from "../../../../src/providers/anthropic/index.js";
import { collectAnthropicSlots } from "../../../../src/providers/anthropic/request.js";
import type { AnthropicMessagesRequest } from "../../../../src/providers/anthropic/schema.js";
import { applySlots } from "../../../../src/providers/shared/slots.js";

const summary = (body: AnthropicMessagesRequest) =>
  collectAnthropicSlots(body).map((s) => ({ text: s.text, role: s.role, detect: s.detect }));

describe("collectAnthropicSlots", () => {
  it("takes a string system prompt and string message content", () => {
    expect(
      summary({
        system: "sys",
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: "hello" },
        ],
      }),
    ).toEqual([
      { text: "sys", role: "system", detect: true },
      { text: "hi", role: "user", detect: true },
      { text: "hello", role: "assistant", detect: "light" },
    ]);
  });

  it("takes text blocks of system and messages, skipping images and signed thinking", () => {
    const body = {
      system: [{ type: "text", text: "sys", cache_control: { type: "ephemeral" } }],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "a" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "secret thoughts", signature: "sig" },
            { type: "redacted_thinking", data: "opaque" },
            { type: "text", text: "b" },
          ],
        },
      ],
    };
    expect(summary(body).map((s) => s.text)).toEqual(["sys", "a", "b"]);
  });

  it("takes every key, string and number of tool_use.input (light on assistant turns)", () => {
    const input = { email: "e", nested: { list: ["x", 3, true, null], empty: "" } };
    const body = {
      messages: [{ role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input }] }],
    };
    const slots = collectAnthropicSlots(body);
    expect(slots.map((s) => [s.text, s.role, s.detect])).toEqual([
      ["e", "assistant", "light"],
      ["email", "assistant", "light"],
      ["x", "assistant", "light"],
      ["3", "assistant", "light"],
      ["list", "assistant", "light"],
      ["empty", "assistant", "light"],
      ["nested", "assistant", "light"],
    ]);
    applySlots(slots, ["<Email_1>", "email", "<Private_1>", "<Account_1>", "list", "<Key_1>", "nested"]);
    expect(input).toEqual({
      email: "<Email_1>",
      nested: { list: ["<Private_1>", "<Account_1>", true, null], "<Key_1>": "" },
    });
  });

  it("takes tool_result content as a string or as text blocks, fully detected as tool output", () => {
    const body = {
      messages: [
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "t1", content: '{"found":"v"}' },
            {
              type: "tool_result",
              tool_use_id: "t2",
              content: [
                { type: "text", text: "block" },
                { type: "image", source: { type: "url", url: "https://example.com/a.png" } },
              ],
            },
          ],
        },
      ],
    };
    expect(summary(body)).toEqual([
      // JSON text is walked as tool data: its keys and values.
      { text: "v", role: "tool", detect: true },
      { text: "found", role: "tool", detect: true },
      { text: "block", role: "tool", detect: true },
      { text: "https://example.com/a.png", role: "tool", detect: true },
    ]);
  });

  it("takes plain-text document sources, not base64 ones", () => {
    const body = {
      messages: [
        {
          role: "user",
          content: [
            { type: "document", source: { type: "text", media_type: "text/plain", data: "doc" } },
            { type: "document", source: { type: "content", content: [{ type: "text", text: "part" }] } },
            { type: "document", source: { type: "content", content: "whole" } },
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBER" } },
          ],
        },
      ],
    };
    expect(summary(body).map((s) => s.text)).toEqual(["doc", "part", "whole"]);
  });

  it("writes redacted text back in place", () => {
    const body: AnthropicMessagesRequest = {
      system: "call 1",
      messages: [{ role: "user", content: [{ type: "text", text: "mail 2" }] }],
    };
    const slots = collectAnthropicSlots(body);
    applySlots(slots, ["call <P_1>", "mail <E_1>"]);
    expect(body).toEqual({
      system: "call <P_1>",
      messages: [{ role: "user", content: [{ type: "text", text: "mail <E_1>" }] }],
    });
  });
});

describe("anthropic adapters", () => {
  it("parse a valid body keeping unknown fields", () => {
    const body = {
      model: "m",
      max_tokens: 5,
      metadata: { user_id: "u" },
      messages: [{ role: "user", content: "x" }],
    };
    expect(anthropicMessagesAdapter.parseRequest(body)).toEqual(body);
    expect(anthropicCountTokensAdapter.parseRequest(body)).toEqual(body);
  });

  it.each([{}, { messages: "x" }, { messages: [{ role: "user" }] }, { messages: [], system: 3 }])(
    "refuse an invalid body %j",
    (body) => {
      expect(() => anthropicMessagesAdapter.parseRequest(body)).toThrow(
        expect.objectContaining({ code: "PRX_REQ_INVALID_BODY" }),
      );
    },
  );

  it("count_tokens never streams and restores nothing", () => {
    expect(anthropicCountTokensAdapter.createStreamMapper({} as never)).toBeUndefined();
    expect(anthropicCountTokensAdapter.restoreResponse({ input_tokens: 3 }, {} as never)).toBe(0);
  });
});
