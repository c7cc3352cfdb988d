import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createResponsesStreamMapper } from "../../src/providers/openai-responses/stream.js";
import { restoreText } from "../../src/redaction/restore.js";
import { namedSseWire } from "../helpers/fixtures.js";
import { responsesStreamEvents } from "../helpers/responses-mock.js";
import { interestingCuts, mapWire, wireEvents } from "../helpers/sse-split.js";
import { splitAtCodePoints, streamDeltas, streamIndex as index } from "../helpers/stream-property.js";

interface Seen {
  text: string;
  args: string;
  done: Record<string, string>;
  seqs: number[];
  /** Deltas that arrived after their channel's .done event. */
  late: number;
}

async function view(wire: string): Promise<Seen> {
  const seen: Seen = { text: "", args: "", done: {}, seqs: [], late: 0 };
  for (const e of await wireEvents(wire)) {
    const d = JSON.parse(e.data) as Record<string, unknown>;
    expect(e.event).toBe(d.type);
    seen.seqs.push(d.sequence_number as number);
    if (d.type === "response.output_text.delta") {
      seen.text += d.delta as string;
      if (seen.done.text !== undefined) seen.late++;
    }
    if (d.type === "response.function_call_arguments.delta") {
      seen.args += d.delta as string;
      if (seen.done.args !== undefined) seen.late++;
    }
    if (d.type === "response.output_text.done") seen.done.text = d.text as string;
    if (d.type === "response.function_call_arguments.done") seen.done.args = d.arguments as string;
    if (d.type === "response.content_part.done") seen.done.part = (d.part as { text: string }).text;
    if (d.type === "response.completed") {
      const output = (d.response as { output: { content?: { text: string }[]; arguments?: string }[] })
        .output;
      seen.done.completedText = output[0]?.content?.[0]?.text ?? "";
      seen.done.completedArgs = output[1]?.arguments ?? "";
    }
  }
  return seen;
}

describe("responses stream restoration", () => {
  it("any byte split of the upstream stream gives the client the same output, consistent with .done", async () => {
    await fc.assert(
      fc.asyncProperty(
        streamDeltas,
        streamDeltas,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (textParts, noteParts, jsonCuts, cuts, picks) => {
          const text = textParts.join("");
          const args = JSON.stringify({ note: noteParts.join("") });
          const events = responsesStreamEvents({
            text,
            textParts,
            call: { name: "save_note", arguments: args },
            jsonParts: splitAtCodePoints(args, jsonCuts),
          });
          const bytes = Buffer.from(namedSseWire(events));
          const interesting = interestingCuts(bytes);
          const all = [...cuts, ...picks.map((p) => interesting[p % interesting.length] ?? 0)];
          const whole = await mapWire(createResponsesStreamMapper(index), bytes, []);
          expect(await mapWire(createResponsesStreamMapper(index), bytes, all)).toBe(whole);
          const seen = await view(whole);
          expect(seen.text).toBe(restoreText(text, index).text);
          expect(seen.args).toBe(restoreText(args, index, { json: true }).text);
          expect(seen.done).toEqual({
            text: seen.text,
            part: seen.text,
            args: seen.args,
            completedText: seen.text,
            completedArgs: seen.args,
          });
          expect(seen.seqs).toEqual(seen.seqs.map((_s, i) => i));
          expect(seen.late).toBe(0);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
