import { describe, expect, it } from "vitest";
import { proxyError } from "../../../../src/errors/catalogue.js";
import { createAnthropicStreamMapper } from "../../../../src/providers/anthropic/stream.js";
import type { SseEvent } from "../../../../src/sse/events.js";
import { fixture, fixtureNames } from "../../../helpers/fixtures.js";
import { indexOf } from "../../../helpers/index-of.js";

const index = indexOf({ "<Email_2>": 'q"uote@x.io', "<Phone_Number_1>": "13800138000" });

/** An upstream event from a recorded-shape fixture. */
function ev(name: string, vars: Record<string, unknown> = {}): SseEvent {
  const data = fixture("anthropic", `events/${name}`, vars);
  return { event: String(data.type), data: JSON.stringify(data) };
}

const dataOf = (e: SseEvent | undefined): Record<string, unknown> =>
  JSON.parse(e?.data ?? "null") as Record<string, unknown>;

function run(events: SseEvent[]): SseEvent[] {
  const mapper = createAnthropicStreamMapper(index);
  return [...events.flatMap((e) => mapper.map(e)), ...mapper.end()];
}

/** Text per block as a client assembles it from start and delta events. */
function assemble(events: SseEvent[]): Record<number, string> {
  const out: Record<number, string> = {};
  for (const e of events) {
    const d = dataOf(e) as {
      type: string;
      index: number;
      content_block?: { text?: string };
      delta?: { text?: string; partial_json?: string };
    };
    if (d.type === "content_block_start") out[d.index] = (out[d.index] ?? "") + (d.content_block?.text ?? "");
    if (d.type === "content_block_delta")
      out[d.index] = (out[d.index] ?? "") + (d.delta?.text ?? d.delta?.partial_json ?? "");
  }
  return out;
}

describe("createAnthropicStreamMapper", () => {
  it("restores a placeholder split across text deltas", () => {
    const out = run([
      ev("content_block_start.text", { index: 0, text: "" }),
      ev("content_block_delta.text_delta", { index: 0, text: "Mail <Em" }),
      ev("content_block_delta.text_delta", { index: 0, text: "ail_2> now" }),
      ev("content_block_stop", { index: 0 }),
    ]);
    expect(assemble(out)).toEqual({ 0: 'Mail q"uote@x.io now' });
    expect(dataOf(out[1])).toMatchObject({ delta: { type: "text_delta", text: "Mail " } });
  });

  it("sends held text as one content_block_delta just before content_block_stop", () => {
    const out = run([
      ev("content_block_start.text", { index: 0, text: "" }),
      ev("content_block_delta.text_delta", { index: 0, text: "call <Phone_Number_1" }),
      ev("content_block_stop", { index: 0 }),
      ev("message_stop"),
    ]);
    expect(out.map((e) => e.event)).toEqual([
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_stop",
    ]);
    expect(dataOf(out[2])).toEqual({
      type: "content_block_delta",
      index: 0,
      // Never closed: the held text goes out as it was.
      delta: { type: "text_delta", text: "<Phone_Number_1" },
    });
  });

  it("restores partial tool JSON inside strings with escaping intact, flushed as input_json_delta", () => {
    const out = run([
      ev("content_block_start.tool_use", { index: 1, tool: "f", input: {} }),
      ev("content_block_delta.input_json_delta", { index: 1, partial_json: "" }),
      ev("content_block_delta.input_json_delta", { index: 1, partial_json: '{"to": "<Ema' }),
      ev("content_block_delta.input_json_delta", { index: 1, partial_json: 'il_2>", "n": "[Phone_Number_1' }),
      ev("content_block_delta.input_json_delta", { index: 1, partial_json: ']"}' }),
      ev("content_block_stop", { index: 1 }),
    ]);
    const json = assemble(out)[1] ?? "";
    expect(JSON.parse(json)).toEqual({ to: 'q"uote@x.io', n: "13800138000" });
    expect(json).toContain('q\\"uote@x.io');
  });

  it("routes held tool JSON to an input_json_delta before its stop", () => {
    const out = run([
      ev("content_block_start.tool_use", { index: 2, tool: "f", input: {} }),
      ev("content_block_delta.input_json_delta", { index: 2, partial_json: '{"a": "[email 2' }),
      ev("content_block_stop", { index: 2 }),
    ]);
    expect(dataOf(out.at(-2))).toEqual({
      type: "content_block_delta",
      index: 2,
      delta: { type: "input_json_delta", partial_json: "[email 2" },
    });
  });

  it("restores initial content in content_block_start through the block's channel", () => {
    const out = run([
      ev("content_block_start.text", { index: 0, text: "Hi <Phone_" }),
      ev("content_block_delta.text_delta", { index: 0, text: "Number_1>!" }),
      ev("content_block_stop", { index: 0 }),
      ev("content_block_start.tool_use", { index: 1, tool: "f", input: { to: "<Email_2>" } }),
      ev("content_block_stop", { index: 1 }),
    ]);
    expect(assemble(out)[0]).toBe("Hi 13800138000!");
    expect(dataOf(out[3])).toMatchObject({ content_block: { input: { to: 'q"uote@x.io' } } });
  });

  it("restores message_start content and citations_delta quoted text", () => {
    const start = fixture("anthropic", "events/message_start", { model: "m" });
    (start.message as { content: unknown[] }).content.push({ type: "text", text: "<Email_2>" });
    const out = run([
      { event: "message_start", data: JSON.stringify(start) },
      ev("content_block_delta.citations_delta", { index: 0, cited_text: "from <Email_2>" }),
    ]);
    expect(dataOf(out[0])).toMatchObject({ message: { content: [{ type: "text", text: 'q"uote@x.io' }] } });
    expect(dataOf(out[1])).toMatchObject({ delta: { citation: { cited_text: 'from q"uote@x.io' } } });
  });

  it("passes ping, message_delta, thinking deltas and unknown or non-JSON events through untouched", () => {
    const mapper = createAnthropicStreamMapper(index);
    const untouched: SseEvent[] = [
      ev("ping"),
      ev("message_delta", { stop_reason: "end_turn" }),
      {
        event: "content_block_delta",
        data: '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"<Email_2>"}}',
      },
      { event: "future_event", data: '{"type":"future_event","x":"<Email_2>"}' },
      { event: "weird", data: "not json" },
    ];
    for (const e of untouched) {
      const out = mapper.map(e);
      expect(out).toHaveLength(1);
      if (e.event === "content_block_delta") expect(dataOf(out[0])).toEqual(dataOf(e));
      else expect(out[0]).toBe(e);
    }
  });

  it("flushes every open block before message_stop, an upstream error, and at the end", () => {
    for (const last of [ev("message_stop"), ev("error", { message: "Overloaded for <Email_2>" })]) {
      const mapper = createAnthropicStreamMapper(index);
      mapper.map(ev("content_block_start.text", { index: 0, text: "" }));
      mapper.map(ev("content_block_delta.text_delta", { index: 0, text: "a <Email_" }));
      const out = mapper.map(last);
      expect(out.map((e) => e.event)).toEqual(["content_block_delta", last.event]);
      expect(dataOf(out[0])).toMatchObject({ delta: { text: "<Email_" } });
      if (last.event === "error")
        expect(dataOf(out[1])).toEqual({
          type: "error",
          error: { type: "overloaded_error", message: 'Overloaded for q"uote@x.io' },
        });
    }
    const mapper = createAnthropicStreamMapper(index);
    mapper.map(ev("content_block_delta.text_delta", { index: 3, text: "<Email_2> <Email_2" }));
    expect(mapper.end().map(dataOf)).toEqual([
      { type: "content_block_delta", index: 3, delta: { type: "text_delta", text: "<Email_2" } },
    ]);
    expect(mapper.end()).toEqual([]);
    expect(mapper.restored).toBe(1);
  });

  it("reports a failure as one Anthropic error event shaped like the JSON error answer, without details", () => {
    const mapper = createAnthropicStreamMapper(index);
    for (const code of ["PRX_UPSTREAM_UNREACHABLE", "PRX_UPSTREAM_TIMEOUT", "PRX_DETECT_TIMEOUT"] as const) {
      const out = mapper.error(proxyError(code));
      expect(out.event).toBe("error");
      expect(dataOf(out)).toEqual({
        type: "error",
        error: { type: expect.any(String) as unknown, message: proxyError(code).message, code },
      });
    }
    expect(dataOf(mapper.error(proxyError("PRX_UPSTREAM_UNREACHABLE")))).toEqual({
      type: "error",
      error: {
        type: "api_error",
        message: proxyError("PRX_UPSTREAM_UNREACHABLE").message,
        code: "PRX_UPSTREAM_UNREACHABLE",
      },
    });
  });

  it("handles every recorded event fixture, each restored where it carries text", () => {
    const names = fixtureNames("anthropic").filter((n) => n.startsWith("events/"));
    expect(names.length).toBeGreaterThanOrEqual(11);
    const mapper = createAnthropicStreamMapper(index);
    const vars = {
      index: 0,
      model: "m",
      text: "<Email_2>.",
      tool: "f",
      input: { a: "<Email_2>" },
      partial_json: '{"a":"<Email_2>"}',
      cited_text: "<Email_2>",
      stop_reason: "end_turn",
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
      const own = createAnthropicStreamMapper(index);
      const out = [...own.map(event), ...own.end()].map((e) => e.data).join("\n");
      expect(out, n).toContain("uote@x.io");
      expect(out, n).not.toContain("Email_2");
    }
  });
});
