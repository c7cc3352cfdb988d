import { describe, expect, it } from "vitest";
import { createChatStreamMapper } from "../../../../src/providers/openai-chat/stream.js";
import { indexOf } from "../../../helpers/index-of.js";

const index = indexOf({ "<Email_1>": 'q"uote@x.io', "<Real_Name_1>": "张三" });

describe("chat stream mapper", () => {
  it("passes a chunk with nothing to restore through as the same event", () => {
    const mapper = createChatStreamMapper(index);
    const event = { data: '{"choices":[{"index":0,"delta":{"content":"plain"},"finish_reason":null}]}' };
    expect(mapper.map(event)[0]).toBe(event);
  });

  it("flushes held text into the finishing chunk and the final meta from the last chunk", () => {
    const mapper = createChatStreamMapper(index);
    const held = mapper.map({
      data: '{"id":"x1","model":"m","choices":[{"index":0,"delta":{"content":"to <Ema"},"finish_reason":null}]}',
    });
    expect(JSON.parse(held[0]?.data ?? "")).toMatchObject({ choices: [{ delta: { content: "to " } }] });
    const end = mapper.end();
    expect(JSON.parse(end[0]?.data ?? "")).toEqual({
      id: "x1",
      model: "m",
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta: { content: "<Ema" }, finish_reason: null }],
    });
    const again = createChatStreamMapper(index);
    again.map({ data: '{"choices":[{"index":0,"delta":{"content":"to <Ema"},"finish_reason":null}]}' });
    const fin = again.map({
      data: '{"choices":[{"index":0,"delta":{"content":"il_1>"},"finish_reason":"stop"}]}',
    });
    expect(JSON.parse(fin[0]?.data ?? "")).toMatchObject({
      choices: [{ delta: { content: 'q"uote@x.io' }, finish_reason: "stop" }],
    });
  });
});
