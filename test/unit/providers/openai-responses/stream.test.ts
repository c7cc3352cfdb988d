import { describe, expect, it } from "vitest";
import { proxyError } from "../../../../src/errors/catalogue.js";
import { createResponsesStreamMapper } from "../../../../src/providers/openai-responses/stream.js";
import type { SseEvent } from "../../../../src/sse/events.js";
import { fixture, fixtureNames } from "../../../helpers/fixtures.js";
import { indexOf } from "../../../helpers/index-of.js";
import { functionCallItem, messageItem, responseObject } from "../../../helpers/responses-mock.js";

const index = indexOf({ "<Email_2>": 'q"uote@x.io', "<Phone_Number_1>": "13800138000" });

const part = { item_id: "msg_1", output_index: 0, content_index: 0 };
const call = { item_id: "fc_1", output_index: 1 };

/** An upstream event from a recorded-shape fixture. */
function ev(name: string, vars: Record<string, unknown>): SseEvent {
  const data = fixture("openai-responses", `events/${name}`, vars);
  return { event: String(data.type), data: JSON.stringify(data) };
}

const dataOf = (e: SseEvent | undefined): Record<string, unknown> =>
  JSON.parse(e?.data ?? "null") as Record<string, unknown>;

describe("createResponsesStreamMapper", () => {
  it("restores a placeholder split across output_text deltas", () => {
    const mapper = createResponsesStreamMapper(index);
    const a = mapper.map(
      ev("response.output_text.delta", { ...part, delta: "Mail <Em", sequence_number: 4 }),
    );
    const b = mapper.map(
      ev("response.output_text.delta", { ...part, delta: "ail_2> ok", sequence_number: 5 }),
    );
    expect([...a, ...b].map((e) => dataOf(e).delta).join("")).toBe('Mail q"uote@x.io ok');
    expect(dataOf(b[0]).sequence_number).toBe(5);
  });

  it("flushes held text as one extra delta before output_text.done, restores its text and renumbers after it", () => {
    const mapper = createResponsesStreamMapper(index);
    mapper.map(
      ev("response.output_text.delta", { ...part, delta: "call <Phone_Number_1", sequence_number: 4 }),
    );
    const out = mapper.map(
      ev("response.output_text.done", { ...part, text: "call <Phone_Number_1>", sequence_number: 5 }),
    );
    expect(out.map((e) => e.event)).toEqual(["response.output_text.delta", "response.output_text.done"]);
    expect(dataOf(out[0])).toEqual({
      type: "response.output_text.delta",
      ...part,
      // The delta was never closed: the held text goes out as it was; .done carries its own full text.
      delta: "<Phone_Number_1",
      logprobs: [],
      sequence_number: 5,
    });
    expect(dataOf(out[1])).toMatchObject({ text: "call 13800138000", sequence_number: 6 });
    // Every later event moves up by one, also those passed through.
    const later = mapper.map({
      event: "response.future",
      data: '{"type":"response.future","sequence_number":6}',
    });
    expect(dataOf(later[0])).toEqual({ type: "response.future", sequence_number: 7 });
  });

  it("restores function-call argument deltas inside JSON strings and agrees with .done", () => {
    const mapper = createResponsesStreamMapper(index);
    const deltas = ['{"to":"<Ema', 'il_2>","n":"[email 2'].flatMap((delta, i) =>
      mapper.map(ev("response.function_call_arguments.delta", { ...call, delta, sequence_number: 10 + i })),
    );
    const done = mapper.map(
      ev("response.function_call_arguments.done", {
        ...call,
        name: "f",
        arguments: '{"to":"<Email_2>","n":"[email 2"}',
        sequence_number: 12,
      }),
    );
    const streamed = [...deltas, ...done]
      .filter((e) => e.event === "response.function_call_arguments.delta")
      .map((e) => dataOf(e).delta)
      .join("");
    expect(dataOf(done.at(-1)).arguments).toBe(`${streamed}"}`);
    expect(JSON.parse(`${streamed}"}`)).toEqual({ to: 'q"uote@x.io', n: "[email 2" });
    expect(dataOf(done[0])).toEqual({
      type: "response.function_call_arguments.delta",
      ...call,
      delta: "[email 2",
      sequence_number: 12,
    });
  });

  it("restores refusals like output text", () => {
    const mapper = createResponsesStreamMapper(index);
    const a = mapper.map(ev("response.refusal.delta", { ...part, delta: "no <Email_2", sequence_number: 1 }));
    const b = mapper.map(
      ev("response.refusal.done", { ...part, refusal: "no <Email_2>", sequence_number: 2 }),
    );
    expect(dataOf(a[0]).delta).toBe("no ");
    expect(dataOf(b[0])).toMatchObject({
      type: "response.refusal.delta",
      delta: "<Email_2",
      sequence_number: 2,
    });
    expect(dataOf(b[1])).toMatchObject({ refusal: 'no q"uote@x.io', sequence_number: 3 });
  });

  it("restores items, parts and embedded responses like the non-streamed path", () => {
    const mapper = createResponsesStreamMapper(index);
    const item = mapper.map(
      ev("response.output_item.done", {
        output_index: 0,
        item: messageItem("<Email_2>"),
        sequence_number: 1,
      }),
    );
    expect(dataOf(item[0])).toMatchObject({ item: { content: [{ text: 'q"uote@x.io' }] } });
    const p = mapper.map(
      ev("response.content_part.done", { ...part, text: "<Email_2>", sequence_number: 2 }),
    );
    expect(dataOf(p[0])).toMatchObject({ part: { text: 'q"uote@x.io' } });
    const completed = mapper.map(
      ev("response.completed", {
        response: responseObject([messageItem("<Email_2>"), functionCallItem("f", '{"a":"<Email_2>"}')]),
        sequence_number: 3,
      }),
    );
    const response = dataOf(completed[0]).response as {
      output: { content?: { text: string }[]; arguments?: string }[];
    };
    expect(response.output[0]?.content?.[0]?.text).toBe('q"uote@x.io');
    expect(response.output[1]?.arguments).toBe('{"a":"q\\"uote@x.io"}');
  });

  it("flushes what an item still holds at output_item.done and everything at response.completed", () => {
    const mapper = createResponsesStreamMapper(index);
    mapper.map(ev("response.output_text.delta", { ...part, delta: "a <Email_2", sequence_number: 1 }));
    mapper.map(
      ev("response.function_call_arguments.delta", { ...call, delta: '{"a":"<Email_2', sequence_number: 2 }),
    );
    const itemDone = mapper.map(
      ev("response.output_item.done", {
        output_index: 0,
        item: messageItem("a <Email_2>"),
        sequence_number: 3,
      }),
    );
    expect(itemDone.map((e) => [e.event, dataOf(e).sequence_number])).toEqual([
      ["response.output_text.delta", 3],
      ["response.output_item.done", 4],
    ]);
    const completed = mapper.map(
      ev("response.completed", { response: responseObject([]), sequence_number: 4 }),
    );
    expect(completed.map((e) => [e.event, dataOf(e).sequence_number])).toEqual([
      ["response.function_call_arguments.delta", 5],
      ["response.completed", 6],
    ]);
    expect(mapper.end()).toEqual([]);
  });

  it("restores an upstream error event; end() and error() continue the numbering", () => {
    const mapper = createResponsesStreamMapper(index);
    mapper.map(ev("response.output_text.delta", { ...part, delta: "x <Email_2", sequence_number: 7 }));
    const flushed = mapper.end();
    expect(flushed.map(dataOf)).toEqual([
      { type: "response.output_text.delta", ...part, delta: "<Email_2", logprobs: [], sequence_number: 8 },
    ]);
    const failure = mapper.error(proxyError("PRX_UPSTREAM_TIMEOUT"));
    expect(failure.event).toBe("error");
    expect(dataOf(failure)).toEqual({
      type: "error",
      code: "PRX_UPSTREAM_TIMEOUT",
      message: proxyError("PRX_UPSTREAM_TIMEOUT").message,
      param: null,
      sequence_number: 9,
    });
    const other = createResponsesStreamMapper(index);
    const out = other.map(ev("error", { message: "bad <Email_2>", sequence_number: 0 }));
    expect(dataOf(out[0])).toMatchObject({ type: "error", message: 'bad q"uote@x.io' });
    expect(mapper.restored).toBe(0);
    expect(other.restored).toBe(1);
  });

  it("passes unknown and non-JSON events through untouched while nothing was inserted", () => {
    const mapper = createResponsesStreamMapper(index);
    for (const e of [
      {
        event: "response.reasoning_summary_text.delta",
        data: '{"type":"response.reasoning_summary_text.delta","delta":"<Email_2>","sequence_number":1}',
      },
      { data: "[DONE]" },
      { event: "x", data: "not json" },
    ]) {
      expect(mapper.map(e)).toEqual([e]);
    }
  });

  it("handles every recorded event fixture, each restored where it carries text", () => {
    const names = fixtureNames("openai-responses").filter((n) => n.startsWith("events/"));
    expect(names.length).toBeGreaterThanOrEqual(14);
    const mapper = createResponsesStreamMapper(index);
    const vars = {
      ...part,
      sequence_number: 0,
      response: responseObject([messageItem("<Email_2>"), functionCallItem("f", '{"a":"<Email_2>"}')]),
      item: messageItem("<Email_2>"),
      text: "<Email_2>.",
      delta: "<Email_2>.",
      refusal: "<Email_2>.",
      name: "f",
      arguments: '{"a":"<Email_2>"}',
      message: "<Email_2>",
    };
    const wire = names
      .flatMap((n) => mapper.map(ev(n.slice("events/".length), vars)))
      .concat(mapper.end())
      .map((e) => e.data)
      .join("\n");
    expect(wire).not.toContain("Email_2");
    // Restored, not dropped: each fixture that carries the placeholder comes back with the value, alone.
    const carrying = names.filter((n) => ev(n.slice("events/".length), vars).data.includes("<Email_2>"));
    expect(carrying.length).toBeGreaterThanOrEqual(5);
    for (const n of carrying) {
      const event = ev(n.slice("events/".length), vars);
      const own = createResponsesStreamMapper(index);
      const out = [...own.map(event), ...own.end()].map((e) => e.data).join("\n");
      expect(out, n).toContain("uote@x.io");
      expect(out, n).not.toContain("Email_2");
    }
  });
});

describe("createResponsesStreamMapper, deltas through the template", () => {
  const delta = (text: string, seq: number, content = 0): SseEvent => ({
    event: "response.output_text.delta",
    data: JSON.stringify({
      type: "response.output_text.delta",
      item_id: "msg_1",
      output_index: 0,
      content_index: content,
      delta: text,
      logprobs: [],
      obfuscation: `o${seq}`,
      sequence_number: seq,
    }),
  });
  const partDone = (seq: number): SseEvent => ({
    event: "response.content_part.done",
    data: JSON.stringify({
      type: "response.content_part.done",
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      part: { type: "output_text", text: "" },
      sequence_number: seq,
    }),
  });

  it("renumbers template-shaped deltas in place after an inserted event, as the full mapping does", () => {
    const upstream = [
      delta("Mail ", 0),
      delta("<Email", 1),
      partDone(2),
      delta("then ", 3, 1),
      delta("<Email_2> ok", 4, 1),
    ];
    const fast = createResponsesStreamMapper(index);
    const full = createResponsesStreamMapper(index, { passThrough: false });
    const out = [...upstream.flatMap((e) => fast.map(e)), ...fast.end()];
    expect(out).toEqual([...upstream.flatMap((e) => full.map(e)), ...full.end()]);
    expect(out.map((e) => dataOf(e).sequence_number)).toEqual([0, 1, 2, 3, 4, 5]);
    const text = out.map((e) => {
      const d = dataOf(e).delta;
      return typeof d === "string" ? d : "";
    });
    expect(text.join("")).toBe('Mail <Emailthen q"uote@x.io ok');
    expect(dataOf(out.at(-1)).obfuscation).toBe("o4");
    expect(fast.restored).toBe(1);
  });
});
