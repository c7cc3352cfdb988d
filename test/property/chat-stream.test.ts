import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createChatStreamMapper } from "../../src/providers/openai-chat/stream.js";
import { decodeSse } from "../../src/sse/events.js";
import { encodeSseEvent } from "../../src/sse/encoder.js";
import { indexOf } from "../helpers/index-of.js";

const index = indexOf({
  "<Phone_Number_1>": "13800138000",
  "<Real_Name_1>": "张三",
  "<Email_2>": 'q"uote@x.io',
});

/** What a client assembles from the proxy's output: content and tool arguments per choice. */
async function clientView(bytes: Buffer, cuts: number[]): Promise<string> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  async function* source(): AsyncGenerator<Uint8Array> {
    let at = 0;
    for (const p of points) {
      yield bytes.subarray(at, p);
      at = p;
    }
    yield bytes.subarray(at);
  }
  const mapper = createChatStreamMapper(index);
  let wire = "";
  for await (const e of decodeSse(source(), 1 << 20))
    for (const out of mapper.map(e)) wire += encodeSseEvent(out);
  for (const out of mapper.end()) wire += encodeSseEvent(out);
  const view: Record<string, string> = {};
  async function* once(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(wire);
  }
  for await (const e of decodeSse(once(), 1 << 20)) {
    if (e.data === "[DONE]") {
      view.done = "yes";
      continue;
    }
    const chunk = JSON.parse(e.data) as {
      choices: {
        index: number;
        delta: { content?: string; tool_calls?: { index: number; function?: { arguments?: string } }[] };
      }[];
    };
    for (const c of chunk.choices) {
      view[`${c.index}:c`] = (view[`${c.index}:c`] ?? "") + (c.delta.content ?? "");
      for (const t of c.delta.tool_calls ?? [])
        view[`${c.index}:t${t.index}`] =
          (view[`${c.index}:t${t.index}`] ?? "") + (t.function?.arguments ?? "");
    }
  }
  return JSON.stringify(view, Object.keys(view).sort());
}

const text = fc
  .array(
    fc.constantFrom("<Phone_Number_1>", "<Real_Name_1>", "[email 2]", "你好", "a", " ", "<", "_1", "\n", "é"),
    { maxLength: 12 },
  )
  .map((p) => p.join(""));

describe("chat stream restoration", () => {
  it("any byte split of the upstream stream gives the client the same restored content", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 6 }),
        text,
        fc.array(fc.nat(), { maxLength: 12 }),
        async (contents, args, cuts) => {
          const events: unknown[] = contents.map((c, i) => ({
            choices: [{ index: i % 2, delta: { content: c }, finish_reason: null }],
          }));
          events.push({
            choices: [
              {
                index: 0,
                delta: { tool_calls: [{ index: 0, function: { arguments: JSON.stringify({ a: args }) } }] },
                finish_reason: null,
              },
            ],
          });
          events.push({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
          const wire = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("") + "data: [DONE]\n\n";
          const bytes = Buffer.from(wire);
          const whole = await clientView(bytes, []);
          expect(await clientView(bytes, cuts)).toBe(whole);
          // and the restored content has no placeholder left
          expect(whole).not.toContain("<Phone_Number_1>");
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
