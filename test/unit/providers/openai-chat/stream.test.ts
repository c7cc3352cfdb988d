import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createChatStreamMapper } from "../../../../src/providers/openai-chat/stream.js";
import { ChannelRestorers } from "../../../../src/providers/shared/channels.js";
import { isRecord, records } from "../../../../src/providers/shared/slots.js";
import type { ScopeIndex } from "../../../../src/redaction/scope-index.js";
import type { SseEvent } from "../../../../src/sse/events.js";
import { indexOf } from "../../../helpers/index-of.js";

const index = indexOf({ "<Email_1>": 'q"uote@x.io', "<Real_Name_1>": "张三" });

/**
 * The mapper as it was before chunks were scanned (parse every chunk, restore in place, re-serialise what
 * changed): the oracle the scanning mapper must agree with, event for event.
 */
function parsingMapper(ix: ScopeIndex): (event: SseEvent) => SseEvent[] {
  const channels = new ChannelRestorers(ix);
  return (event) => {
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      return [event];
    }
    if (!isRecord(chunk) || !Array.isArray(chunk.choices)) return [event];
    let changed = false;
    for (const choice of records(chunk.choices)) {
      const i = typeof choice.index === "number" ? choice.index : 0;
      const push = (key: string, text: string, json: boolean | "auto"): string => {
        const out = channels.push(key, text, json);
        if (out !== text) changed = true;
        return out;
      };
      const delta = choice.delta;
      if (isRecord(delta)) {
        if (typeof delta.content === "string") delta.content = push(`${i}:content`, delta.content, "auto");
        if (typeof delta.refusal === "string") delta.refusal = push(`${i}:refusal`, delta.refusal, false);
        for (const call of records(delta.tool_calls)) {
          const t = typeof call.index === "number" ? call.index : 0;
          if (isRecord(call.function) && typeof call.function.arguments === "string")
            call.function.arguments = push(`${i}:tool:${t}`, call.function.arguments, true);
        }
      }
    }
    return changed ? [{ ...event, data: JSON.stringify(chunk) }] : [event];
  };
}

const text = fc
  .array(
    fc.constantFrom("<Email_1>", "<Real_Name_1>", "[real name 1]", "<", "_1", ">", "a", "é", '"', "\n", "{"),
    {
      maxLength: 6,
    },
  )
  .map((p) => p.join(""));
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
const choice = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        index: maybe(fc.oneof(fc.nat(2), fc.constant("1"))),
        delta: fc.oneof(
          {
            weight: 6,
            arbitrary: fc.record(
              {
                role: maybe(fc.constant("assistant")),
                content: maybe(fc.oneof(text, fc.constant(null), fc.nat())),
                refusal: maybe(text),
                tool_calls: maybe(
                  fc.array(
                    fc.oneof(
                      fc.record({
                        index: maybe(fc.nat(1)),
                        function: maybe(fc.record({ arguments: maybe(text) })),
                      }),
                      fc.constant(null),
                    ),
                    { maxLength: 2 },
                  ),
                ),
              },
              { requiredKeys: [] },
            ),
          },
          { weight: 1, arbitrary: fc.constantFrom(null, "delta", [1]) },
        ),
        finish_reason: fc.constant(null),
        logprobs: maybe(fc.constant(null)),
      },
      { requiredKeys: ["finish_reason"] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, 3, "x", [{}]) },
);
const chunk = fc.record({
  id: fc.constant("c"),
  object: fc.constant("chat.completion.chunk"),
  choices: fc.array(choice, { maxLength: 3 }),
});

describe("chat stream mapper: chunks are scanned and spliced", () => {
  it("agrees with parsing every chunk, event for event, compact or indented", () => {
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 8 }), fc.constantFrom(0, 1), (chunks, indent) => {
        const scanning = createChatStreamMapper(index);
        const parsing = parsingMapper(index);
        for (const c of chunks) {
          const event: SseEvent = { data: JSON.stringify(c, null, indent) };
          const got = scanning.map(event);
          const want = parsing(event);
          expect(got.length).toBe(want.length);
          got.forEach((e, i) => expect(JSON.parse(e.data)).toEqual(JSON.parse((want[i] as SseEvent).data)));
        }
      }),
      { seed: 21, numRuns: 1500 },
    );
  });

  it("leaves every byte it did not restore as it came", () => {
    const mapper = createChatStreamMapper(index);
    const data =
      '{ "id" : "c", "choices" : [ { "index" : 0 , "delta" : { "content" : "hi <Email_1>!" }, "x": 1.50, "finish_reason" : null } ] }';
    const [out] = mapper.map({ event: "chunk", data });
    expect(out?.event).toBe("chunk");
    expect(out?.data).toBe(data.replace('"hi <Email_1>!"', JSON.stringify('hi q"uote@x.io!')));
  });

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
