/**
 * A field of an unexpected type in a response never hides its siblings from restoration: each field is read
 * where it is restored. (An OpenAI-compatible upstream may write tool arguments as an object, `refusal` as
 * `false`, `citations` as `{}`…; the text beside it must still come back restored.)
 */
import { describe, expect, it } from "vitest";
import { restoreAnthropicResponse } from "../../../src/providers/anthropic/response.js";
import { restoreChatResponse } from "../../../src/providers/openai-chat/response.js";
import { restoreResponsesResponse } from "../../../src/providers/openai-responses/response.js";
import { indexOf } from "../../helpers/index-of.js";

const index = indexOf({ "<Phone_Number_1>": "13800138000" });
const TEXT = "call <Phone_Number_1>";
const RESTORED = "call 13800138000";

describe("odd sibling fields", () => {
  it.each([
    ["function_call arguments as an object", { function_call: { name: "f", arguments: { n: 1 } } }],
    ["refusal as false", { refusal: false }],
    ["tool_calls as an object", { tool_calls: {} }],
    ["content parts beside tool calls of another shape", { tool_calls: [{ function: 5 }, null] }],
  ])("chat: %s", (_name, odd) => {
    const body = { choices: [{ index: 0, message: { role: "assistant", content: TEXT, ...odd } }] };
    expect(restoreChatResponse(body, index)).toBe(1);
    expect(body.choices[0]?.message.content).toBe(RESTORED);
  });

  it("chat: a tool call's arguments beside an odd legacy function_call", () => {
    const message = {
      content: null,
      function_call: "weird",
      tool_calls: [{ id: "c", function: { name: "f", arguments: '{"to":"<Phone_Number_1>"}' } }],
    };
    expect(restoreChatResponse({ choices: [{ message }] }, index)).toBe(1);
    expect(message.tool_calls[0]?.function.arguments).toBe('{"to":"13800138000"}');
  });

  it("chat: a content part's text beside an odd refusal", () => {
    const part = { type: "text", text: TEXT, refusal: 0 };
    expect(restoreChatResponse({ choices: [{ message: { content: [part] } }] }, index)).toBe(1);
    expect(part.text).toBe(RESTORED);
  });

  it("Anthropic: a text block's text beside citations of another shape", () => {
    const block = { type: "text", text: TEXT, citations: {} };
    expect(restoreAnthropicResponse({ content: [block] }, index)).toBe(1);
    expect(block.text).toBe(RESTORED);
  });

  it("Responses: the output beside an odd output_text, and output_text beside an odd output", () => {
    const part = { type: "output_text", text: TEXT };
    expect(
      restoreResponsesResponse({ output_text: ["x"], output: [{ type: "message", content: [part] }] }, index),
    ).toBe(1);
    expect(part.text).toBe(RESTORED);
    const body = { output_text: TEXT, output: "odd" };
    expect(restoreResponsesResponse(body, index)).toBe(1);
    expect(body.output_text).toBe(RESTORED);
  });

  it("Responses: a function call's arguments are restored, an odd-typed one is left alone", () => {
    const call = { type: "function_call", arguments: '{"to":"<Phone_Number_1>"}' };
    const odd = { type: "function_call", arguments: { to: "<Phone_Number_1>" } };
    expect(restoreResponsesResponse({ output: [odd, call] }, index)).toBe(1);
    expect(call.arguments).toBe('{"to":"13800138000"}');
    expect(odd.arguments).toEqual({ to: "<Phone_Number_1>" });
  });
});
