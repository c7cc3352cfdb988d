import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createAnthropicStreamMapper } from "../../src/providers/anthropic/stream.js";
import { restoreText } from "../../src/redaction/restore.js";
import { anthropicStreamEvents } from "../helpers/anthropic-mock.js";
import { namedSseWire } from "../helpers/fixtures.js";
import { interestingCuts, mapWire, wireEvents } from "../helpers/sse-split.js";
import { splitAtCodePoints, streamDeltas, streamIndex as index } from "../helpers/stream-property.js";

/** Text and tool JSON per block index, as a client assembles them. */
async function assemble(wire: string): Promise<Map<number, string>> {
  const blocks = new Map<number, string>();
  const stopped = new Set<number>();
  for (const e of await wireEvents(wire)) {
    const data = JSON.parse(e.data) as {
      type: string;
      index?: number;
      content_block?: { text?: string };
      delta?: { text?: string; partial_json?: string };
    };
    expect(e.event).toBe(data.type);
    const i = data.index ?? -1;
    if (data.type === "content_block_start")
      blocks.set(i, (blocks.get(i) ?? "") + (data.content_block?.text ?? ""));
    if (data.type === "content_block_stop") stopped.add(i);
    // Nothing of a block may arrive after its stop.
    if (data.type === "content_block_delta") expect(stopped.has(i)).toBe(false);
    if (data.type === "content_block_delta")
      blocks.set(i, (blocks.get(i) ?? "") + (data.delta?.text ?? data.delta?.partial_json ?? ""));
  }
  return blocks;
}

describe("anthropic stream restoration", () => {
  it("any byte split of the upstream stream gives the client the same output, fully restored", async () => {
    await fc.assert(
      fc.asyncProperty(
        streamDeltas,
        streamDeltas,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (textParts, noteParts, jsonCuts, startText, cuts, picks) => {
          const text = textParts.join("");
          const json = JSON.stringify({ note: noteParts.join(""), n: 1 });
          const events = anthropicStreamEvents({
            text,
            textParts,
            startText,
            tool: { name: "save_note", input: {} },
            jsonParts: splitAtCodePoints(json, jsonCuts),
          });
          const bytes = Buffer.from(namedSseWire(events));
          const interesting = interestingCuts(bytes);
          const all = [...cuts, ...picks.map((p) => interesting[p % interesting.length] ?? 0)];
          const whole = await mapWire(createAnthropicStreamMapper(index), bytes, []);
          expect(await mapWire(createAnthropicStreamMapper(index), bytes, all)).toBe(whole);
          const blocks = await assemble(whole);
          expect(blocks.get(0)).toBe(restoreText(text, index).text);
          expect(blocks.get(1)).toBe(restoreText(json, index, { json: true }).text);
          expect(() => JSON.parse(blocks.get(1) ?? "") as unknown).not.toThrow();
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
