import { describe, expect, it } from "vitest";
import { restoreAnthropicResponse, restoreLeaves } from "../../../../src/providers/anthropic/response.js";
import { fixture } from "../../../helpers/fixtures.js";
import { indexOf } from "../../../helpers/index-of.js";

const index = indexOf({ "<Email_2>": 'q"uote@x.io', "<Phone_Number_1>": "13800138000" });

describe("restoreAnthropicResponse", () => {
  it("restores text blocks and tool_use input leaves of the recorded message", () => {
    const body = fixture("anthropic", "message", {
      model: "claude-test",
      text: "Mail <Email_2> or call <Phone_Number_1>",
      tool: "save_note",
      input: { note: "<Email_2>", list: ["[phone number 1]", 5], keep: "<Email_9>" },
    });
    expect(restoreAnthropicResponse(body, index)).toBe(4);
    const content = body.content as Record<string, unknown>[];
    expect(content[0]).toEqual({ type: "text", text: 'Mail q"uote@x.io or call 13800138000' });
    // Input is a parsed object: values go in as plain strings (JSON escaping happens on serialisation).
    expect(content[1]?.input).toEqual({ note: 'q"uote@x.io', list: ["13800138000", 5], keep: "<Email_9>" });
    expect(body.usage).toEqual(
      fixture("anthropic", "message", { model: "", text: "", tool: "", input: {} }).usage,
    );
  });

  it("restores citations' quoted text and leaves thinking blocks untouched", () => {
    const body = {
      content: [
        { type: "thinking", thinking: "<Email_2>", signature: "s" },
        { type: "text", text: "x", citations: [{ type: "char_location", cited_text: "<Email_2>" }] },
      ],
    };
    expect(restoreAnthropicResponse(body, index)).toBe(1);
    expect(body.content[0]).toEqual({ type: "thinking", thinking: "<Email_2>", signature: "s" });
    expect(body.content[1]?.citations?.[0]?.cited_text).toBe('q"uote@x.io');
  });

  it("ignores what is not a message", () => {
    expect(restoreAnthropicResponse(null, index)).toBe(0);
    expect(restoreAnthropicResponse([], index)).toBe(0);
    expect(restoreAnthropicResponse({ content: "text" }, index)).toBe(0);
  });

  it("restoreLeaves restores strings and keys at any depth (keys were redacted in the request too)", () => {
    const root = { "<Email_2>": ["<Email_2>", { deep: "<Phone_Number_1>" }] };
    expect(restoreLeaves(root, index)).toBe(3);
    expect(root).toEqual({ 'q"uote@x.io': ['q"uote@x.io', { deep: "13800138000" }] });
  });
});
