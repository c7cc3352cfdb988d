import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StreamMapper } from "../../src/providers/shared/adapter.js";
import { createAnthropicStreamMapper } from "../../src/providers/anthropic/stream.js";
import { createChatStreamMapper } from "../../src/providers/openai-chat/stream.js";
import { createResponsesStreamMapper } from "../../src/providers/openai-responses/stream.js";
import type { ScopeIndex } from "../../src/redaction/scope-index.js";
import type { SseEvent } from "../../src/sse/events.js";
import { indexOf } from "../helpers/index-of.js";

// Mapping an event through its template (cut out the text, restore, splice back) must give exactly what
// the full parse / restore / re-serialise gives, for any sequence of events.

const index = indexOf({
  "<Phone_Number_1>": "13800138000",
  "<Real_Name_1>": "张三",
  "<Email_2>": 'q"uote@x.io',
});

/** Fragments that split, mangle and escape placeholders, and ordinary text. */
const fragment = fc
  .array(
    fc.constantFrom(
      "<Phone_Number_1>",
      "<Real_",
      "Name_1>",
      "[email 2]",
      "**Real Name 1**",
      "<",
      "_1",
      ">",
      "Email",
      "{",
      '"',
      "\\",
      "\n",
      "你好",
      "a",
      " ",
      "plain words",
    ),
    { maxLength: 6 },
  )
  .map((p) => p.join(""));

/** Upstream data as written: `JSON.stringify`, or with `<` / `>` as `\u003c` / `\u003e` (as Go encoders write). */
function wire(value: unknown, escape: boolean): string {
  const json = JSON.stringify(value);
  return escape ? json.replace(/</g, "\\u003c").replace(/>/g, "\\u003E") : json;
}

/** An event as a client reads it: its name and its data parsed (a spliced event keeps the upstream's own escapes). */
function read(e: SseEvent): unknown {
  try {
    return { event: e.event, data: JSON.parse(e.data) as unknown };
  } catch {
    return { event: e.event, raw: e.data };
  }
}

/**
 * Expects the template path's output to be the full mapping's: byte for byte where the upstream wrote canonical
 * JSON, and as the same parsed events where it escaped `<` (the splice keeps untouched text as it came).
 */
function expectSame(fast: SseEvent[], full: SseEvent[], escaped: boolean): void {
  if (escaped) expect(fast.map(read)).toEqual(full.map(read));
  else expect(fast).toEqual(full);
}

/**
 * Runs `events` through a mapper with and without the template path and expects the same output (read back as
 * JSON when the events were escaped) and the same count restored; returns the template path's output.
 */
function expectSameMapping(
  create: (index: ScopeIndex, options: { passThrough: boolean }) => StreamMapper,
  events: readonly SseEvent[],
  escaped: boolean,
): SseEvent[] {
  const fast = create(index, { passThrough: true });
  const full = create(index, { passThrough: false });
  const a = [...events.flatMap((e) => fast.map(e)), ...fast.end()];
  const b = [...events.flatMap((e) => full.map(e)), ...full.end()];
  expectSame(a, b, escaped);
  expect(fast.restored).toBe(full.restored);
  return a;
}

const chatEvent = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("content" as const),
      text: fragment,
      choice: fc.constantFrom(0, 0, 0, 1),
      obf: fc.option(fc.stringMatching(/^[A-Za-z0-9]{0,6}$/), { nil: undefined }),
      escape: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("refusal" as const),
      text: fragment,
      choice: fc.constant(0),
      obf: fc.constant(undefined),
      escape: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("tool" as const),
      text: fragment,
      choice: fc.constant(0),
      obf: fc.constant(undefined),
      escape: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("finish" as const),
      text: fragment,
      choice: fc.constantFrom(0, 1),
      obf: fc.constant(undefined),
      escape: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("other" as const),
      text: fc.constantFrom("[DONE]", "not json", '{"choices":[]}'),
      choice: fc.constant(0),
      obf: fc.constant(undefined),
      escape: fc.constant(false),
    }),
  },
);

interface ChatSpec {
  readonly kind: "content" | "refusal" | "tool" | "finish" | "other";
  readonly text: string;
  readonly choice: number;
  readonly obf: string | undefined;
  readonly escape: boolean;
}

function chatWire(e: ChatSpec): SseEvent {
  if (e.kind === "other") return { data: e.text };
  const delta =
    e.kind === "content"
      ? { content: e.text }
      : e.kind === "refusal"
        ? { refusal: e.text }
        : e.kind === "tool"
          ? { tool_calls: [{ index: 0, function: { arguments: JSON.stringify({ q: e.text }) } }] }
          : { content: e.text };
  const chunk = {
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: e.choice, delta, finish_reason: e.kind === "finish" ? "stop" : null }],
    ...(e.obf === undefined ? {} : { obfuscation: e.obf }),
  };
  return { data: wire(chunk, e.escape) };
}

describe("stream mapping through event templates", () => {
  it("chat: any event sequence maps as the full mapping maps it", () => {
    fc.assert(
      fc.property(fc.array(chatEvent, { maxLength: 24 }), (spec) => {
        expectSameMapping(
          createChatStreamMapper,
          spec.map(chatWire),
          spec.some((e) => e.escape),
        );
      }),
      { seed: 1313, numRuns: 500 },
    );
  });

  it("anthropic: any event sequence maps as the full mapping maps it", () => {
    const anthropicEvent = fc.record({
      kind: fc.constantFrom("text", "text", "text", "json", "start", "stop", "ping", "message_stop", "error"),
      text: fragment,
      block: fc.constantFrom(0, 0, 1),
      escape: fc.boolean(),
    });
    const toWire = (e: { kind: string; text: string; block: number; escape: boolean }): SseEvent => {
      const of = (type: string, body: object): SseEvent => ({
        event: type,
        data: wire({ type, ...body }, e.escape),
      });
      switch (e.kind) {
        case "text":
          return of("content_block_delta", { index: e.block, delta: { type: "text_delta", text: e.text } });
        case "json":
          return of("content_block_delta", {
            index: e.block,
            delta: { type: "input_json_delta", partial_json: JSON.stringify({ q: e.text }).slice(0, -2) },
          });
        case "start":
          return of("content_block_start", { index: e.block, content_block: { type: "text", text: e.text } });
        case "stop":
          return of("content_block_stop", { index: e.block });
        case "error":
          return of("error", { error: { type: "overloaded_error", message: e.text } });
        default:
          return of(e.kind, {});
      }
    };
    fc.assert(
      fc.property(fc.array(anthropicEvent, { maxLength: 24 }), (spec) => {
        expectSameMapping(
          createAnthropicStreamMapper,
          spec.map(toWire),
          spec.some((e) => e.escape),
        );
      }),
      { seed: 1414, numRuns: 500 },
    );
  });

  it("responses: any event sequence maps as the full mapping maps it, numbers unique and increasing", () => {
    const responsesEvent = fc.record({
      kind: fc.constantFrom(
        "text",
        "text",
        "text",
        "refusal",
        "arguments",
        "text_done",
        "part_done",
        "item_done",
        "completed",
        "error",
      ),
      text: fragment,
      content: fc.constantFrom(0, 0, 1),
      obf: fc.option(fc.stringMatching(/^[A-Za-z0-9]{0,6}$/), { nil: undefined }),
      escape: fc.boolean(),
    });
    type Spec = typeof responsesEvent extends fc.Arbitrary<infer T> ? T : never;
    const toWire = (e: Spec, seq: number): SseEvent => {
      const of = (type: string, body: object): SseEvent => ({
        event: type,
        data: wire(
          { type, ...body, sequence_number: seq, ...(e.obf === undefined ? {} : { obfuscation: e.obf }) },
          e.escape,
        ),
      });
      const part = { item_id: "msg_1", output_index: 0, content_index: e.content };
      switch (e.kind) {
        case "text":
          return of("response.output_text.delta", { ...part, delta: e.text, logprobs: [] });
        case "refusal":
          return of("response.refusal.delta", { ...part, delta: e.text });
        case "arguments":
          return of("response.function_call_arguments.delta", {
            item_id: "fc_1",
            output_index: 1,
            delta: JSON.stringify({ q: e.text }).slice(0, -2),
          });
        case "text_done":
          return of("response.output_text.done", { ...part, text: e.text });
        case "part_done":
          return of("response.content_part.done", { ...part, part: { type: "output_text", text: e.text } });
        case "item_done":
          return of("response.output_item.done", { output_index: 0, item: { type: "message", id: "msg_1" } });
        case "completed":
          return of("response.completed", { response: { id: "resp_1", output: [] } });
        default:
          return of("error", { code: "server_error", message: e.text, param: null });
      }
    };
    fc.assert(
      fc.property(fc.array(responsesEvent, { maxLength: 24 }), (spec) => {
        const fast = expectSameMapping(
          createResponsesStreamMapper,
          spec.map((e, i) => toWire(e, i)),
          spec.some((e) => e.escape),
        );
        const numbers = fast.map((e) => (JSON.parse(e.data) as { sequence_number?: number }).sequence_number);
        numbers.forEach((x, i) => expect(x).toBe(i));
      }),
      { seed: 1515, numRuns: 500 },
    );
  });
});
