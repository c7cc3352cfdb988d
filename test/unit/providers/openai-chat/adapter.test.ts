/**
 * The Chat Completions adapter end to end without a server: the wire body validated, every text slot
 * found (messages, tool-call arguments, query-free), a JSON response restored field by field, and a stream
 * restored with a placeholder split across chunks, its final error event in the OpenAI family's shape.
 */
import { describe, expect, it } from "vitest";
import { proxyError } from "../../../../src/errors/catalogue.js";
import { openAIChatAdapter } from "../../../../src/providers/openai-chat/index.js";
import { openAIErrorBody } from "../../../../src/providers/openai/errors.js";
import { applySlots } from "../../../../src/providers/shared/slots.js";
import { indexOf } from "../../../helpers/index-of.js";

const index = indexOf({ "<Email_1>": "ann@example.org", "<Phone_Number_1>": "13800138000" });

describe("openAIChatAdapter", () => {
  it("refuses a body without messages, naming the path only", () => {
    expect(() => openAIChatAdapter.parseRequest({ model: "m", messages: "ann@example.org" })).toThrow(
      expect.objectContaining({ code: "PRX_REQ_INVALID_BODY", detail: "messages" }),
    );
    expect(() => openAIChatAdapter.parseRequest({ model: "m", messages: [] })).toThrow(
      expect.objectContaining({ code: "PRX_REQ_INVALID_BODY" }),
    );
  });

  it("finds every text slot, and writing them back changes exactly those fields", () => {
    const body = openAIChatAdapter.parseRequest({
      model: "gpt-test",
      messages: [
        { role: "system", content: "You help ann@example.org" },
        { role: "user", content: [{ type: "text", text: "call 13800138000" }] },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "dial", arguments: '{"n":"13800138000"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "dialled ann@example.org" },
      ],
    });
    const slots = openAIChatAdapter.collectSlots(body);
    const texts = slots.map((s) => s.text);
    expect(texts).toEqual(
      expect.arrayContaining(["You help ann@example.org", "call 13800138000", "dialled ann@example.org"]),
    );
    expect(texts.join(" ")).toContain("13800138000");
    // Model name, role, ids and the tool name stay as they are: they are not slots.
    expect(texts).not.toContain("gpt-test");
    expect(texts).not.toContain("call_1");
    applySlots(
      slots,
      slots.map((s) =>
        s.text.replaceAll("ann@example.org", "<Email_1>").replaceAll("13800138000", "<Phone_Number_1>"),
      ),
    );
    const sent = JSON.stringify(body);
    expect(sent).not.toMatch(/ann@example\.org|13800138000/);
    expect(sent).toContain('"model":"gpt-test"');
    expect(sent).toContain('"tool_call_id":"call_1"');
  });

  it("asks for JSON-aware restoration only with a JSON response format", () => {
    const base = { model: "m", messages: [{ role: "user", content: "x" }] };
    expect(openAIChatAdapter.wantsJson?.(base)).toBe(false);
    expect(openAIChatAdapter.wantsJson?.({ ...base, response_format: { type: "json_object" } })).toBe(true);
    expect(openAIChatAdapter.wantsJson?.({ ...base, response_format: { type: "text" } })).toBe(false);
  });

  it("restores a JSON response: content, refusal and tool-call arguments, escaping intact", () => {
    const response = {
      id: "chatcmpl-1",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Mail <Email_1>.",
            refusal: "not <Phone_Number_1>",
            tool_calls: [{ function: { name: "f", arguments: '{"to":"<Email_1>"}' } }],
          },
        },
      ],
    };
    expect(openAIChatAdapter.restoreResponse(response, index)).toBe(3);
    const message = response.choices[0]!.message;
    expect(message.content).toBe("Mail ann@example.org.");
    expect(message.refusal).toBe("not 13800138000");
    expect(JSON.parse(message.tool_calls[0]!.function.arguments)).toEqual({ to: "ann@example.org" });
    expect(response.id).toBe("chatcmpl-1");
  });

  it("restores a stream with a placeholder split across chunks; fails with the family's error shape", () => {
    const mapper = openAIChatAdapter.createStreamMapper(index);
    expect(mapper).toBeDefined();
    const chunk = (content: string, finish: string | null = null) => ({
      data: JSON.stringify({
        id: "c",
        object: "chat.completion.chunk",
        choices: [{ index: 0, delta: { content }, finish_reason: finish }],
      }),
    });
    const out = [chunk("Mail <Ema"), chunk("il_1> now"), chunk("", "stop"), { data: "[DONE]" }]
      .flatMap((e) => mapper!.map(e))
      .concat(mapper!.end());
    const text = out
      .filter((e) => e.data !== "[DONE]")
      .map(
        (e) =>
          (JSON.parse(e.data) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ??
          "",
      )
      .join("");
    expect(text).toBe("Mail ann@example.org now");
    expect(out.at(-1)?.data).toBe("[DONE]");
    expect(mapper!.restored).toBe(1);
    const err = proxyError("PRX_STREAM_INTERRUPTED");
    expect(JSON.parse(mapper!.error(err).data)).toEqual(openAIErrorBody(err));
  });
});
