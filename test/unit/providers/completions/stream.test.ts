import { describe, expect, it } from "vitest";
import { proxyError } from "../../../../src/errors/catalogue.js";
import { createCompletionsStreamMapper } from "../../../../src/providers/completions/stream.js";
import type { SseEvent } from "../../../../src/sse/events.js";
import { indexOf } from "../../../helpers/index-of.js";

const index = indexOf({ "<Email_2>": 'q"uote@x.io' });
const meta = { id: "cmpl-1", object: "text_completion", created: 1, model: "m" };

function chunk(text: string, i = 0, finish: string | null = null): SseEvent {
  return {
    data: JSON.stringify({ ...meta, choices: [{ text, index: i, logprobs: null, finish_reason: finish }] }),
  };
}

const textsOf = (events: SseEvent[]): string[] =>
  events
    .filter((e) => e.data !== "[DONE]")
    .flatMap((e) => (JSON.parse(e.data) as { choices: { text: string }[] }).choices.map((c) => c.text));

describe("createCompletionsStreamMapper", () => {
  it("restores a placeholder split across chunks and appends held text to the finishing chunk", () => {
    const mapper = createCompletionsStreamMapper(index);
    const out = [chunk("to <Em"), chunk("ail_2> and <Email_2"), chunk(">", 0, "stop")].flatMap((e) =>
      mapper.map(e),
    );
    expect(textsOf(out)).toEqual(["to ", 'q"uote@x.io and ', 'q"uote@x.io']);
    expect(mapper.restored).toBe(2);
  });

  it("keeps one channel per choice and flushes the rest in one chunk before [DONE]", () => {
    const mapper = createCompletionsStreamMapper(index);
    mapper.map(chunk("a <Email_2", 0));
    mapper.map(chunk("b <Email", 1));
    const out = mapper.map({ data: "[DONE]" });
    expect(out.at(-1)).toEqual({ data: "[DONE]" });
    expect(JSON.parse(out[0]?.data ?? "")).toEqual({
      ...meta,
      choices: [
        { index: 0, text: "<Email_2", logprobs: null, finish_reason: null },
        { index: 1, text: "<Email", logprobs: null, finish_reason: null },
      ],
    });
    expect(mapper.end()).toEqual([]);
  });

  it("passes non-JSON and non-completion events through, and reports failures OpenAI-shaped", () => {
    const mapper = createCompletionsStreamMapper(index);
    const odd: SseEvent = { data: "garbage" };
    expect(mapper.map(odd)).toEqual([odd]);
    const usage: SseEvent = { data: '{"usage":{"total_tokens":3}}' };
    expect(mapper.map(usage)).toEqual([usage]);
    const err = JSON.parse(mapper.error(proxyError("PRX_UPSTREAM_TIMEOUT")).data) as {
      error: { code: string };
    };
    expect(err.error.code).toBe("PRX_UPSTREAM_TIMEOUT");
  });
});
