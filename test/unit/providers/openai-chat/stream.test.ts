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

describe("chat stream mapper, chunks through the template", () => {
  const chunk = (raw: string): { data: string } => ({
    data: `{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${raw}"},"finish_reason":null}],"obfuscation":"x${raw.length}"}`,
  });
  const contents = (events: { data: string }[]): string =>
    events
      .map(
        (e) =>
          (JSON.parse(e.data) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content,
      )
      .join("");

  it("restores a placeholder split across template-shaped chunks, with plain chunks between held ones", () => {
    const fast = createChatStreamMapper(index);
    const full = createChatStreamMapper(index, { passThrough: false });
    const events = ["Hi ", "there", " <Real", "_Na", "me_1> and ", "more", " text"].map(chunk);
    const out = events.flatMap((e) => fast.map(e));
    expect(out).toEqual(events.flatMap((e) => full.map(e)));
    expect(contents(out)).toBe("Hi there 张三 and more text");
    // after the first chunk, a plain one goes out as the very event that came
    expect(out[1]).toBe(events[1]);
    expect(out[5]).toBe(events[5]);
    expect(fast.restored).toBe(1);
  });

  it("restores a \\u003c-escaped placeholder in a template-shaped chunk, its value JSON-escaped", () => {
    const fast = createChatStreamMapper(index);
    fast.map(chunk("mail "));
    const out = fast.map(chunk("\\u003cEmail_1\\u003e now"));
    expect(contents(out)).toBe('q"uote@x.io now');
    expect(out[0]?.data).toContain('"content":"q\\"uote@x.io now"');
    expect(JSON.parse(out[0]?.data ?? "")).toMatchObject({ id: "c1", obfuscation: "x23" });
  });
});
