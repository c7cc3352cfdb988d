/**
 * An Anthropic-shaped mock model for the mock upstream, built from the recorded-shape fixtures: it echoes
 * the last user message and calls a tool with the placeholders it saw, as one message or as a stream of
 * small deltas (so placeholders are split across events). count_tokens answers a count.
 */
import type http from "node:http";
import { fixture, namedSseWire } from "./fixtures.js";
import { sendJson, sendSse, type Recorded } from "./mock-upstream.js";
import { pieces } from "./openai-mock.js";

interface MessagesBody {
  model?: string;
  stream?: boolean;
  tools?: { name: string }[];
  messages: { role: string; content: unknown }[];
}

/** Text of the last user message (string content or its text blocks). */
export function lastAnthropicUserText(body: MessagesBody): string {
  const user = [...body.messages].reverse().find((m) => m.role === "user");
  const content = user?.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return (content as { type?: string; text?: string }[])
    .filter((b) => b.type === "text")
    .map((b) => b.text ?? "")
    .join(" ");
}

/** What the mock model answers: text, and a tool input when a tool is offered. */
export function anthropicAnswer(said: string): { text: string; input: Record<string, unknown> } {
  return {
    text: `You said: ${said}`,
    input: { note: said, quoted: `"${said}"`, list: [said, 42] },
  };
}

export interface AnthropicStreamOptions {
  readonly model?: string;
  readonly text: string;
  /** A tool_use block follows the text when set. */
  readonly tool?: { readonly name: string; readonly input: unknown };
  /** Characters per text delta (default 3) and per JSON delta (default 5). */
  readonly textPiece?: number;
  readonly jsonPiece?: number;
  /** Exact text deltas (joined they must equal `text`) and tool JSON deltas, instead of fixed sizes. */
  readonly textParts?: readonly string[];
  readonly jsonParts?: readonly string[];
  /** The first text part rides in `content_block_start` (the API may send initial content there). */
  readonly startText?: boolean;
}

/** The data of every event of a streamed message, in API order. */
export function anthropicStreamEvents(options: AnthropicStreamOptions): Record<string, unknown>[] {
  const model = options.model ?? "claude-test";
  const parts = [...(options.textParts ?? pieces(options.text, options.textPiece ?? 3))];
  const first = options.startText === true ? (parts.shift() ?? "") : "";
  const events = [
    fixture("anthropic", "events/message_start", { model }),
    fixture("anthropic", "events/content_block_start.text", { index: 0, text: first }),
    fixture("anthropic", "events/ping"),
  ];
  for (const text of parts)
    events.push(fixture("anthropic", "events/content_block_delta.text_delta", { index: 0, text }));
  events.push(fixture("anthropic", "events/content_block_stop", { index: 0 }));
  if (options.tool !== undefined) {
    events.push(
      fixture("anthropic", "events/content_block_start.tool_use", {
        index: 1,
        tool: options.tool.name,
        input: {},
      }),
      fixture("anthropic", "events/content_block_delta.input_json_delta", { index: 1, partial_json: "" }),
    );
    for (const partial_json of options.jsonParts ??
      pieces(JSON.stringify(options.tool.input), options.jsonPiece ?? 5))
      events.push(
        fixture("anthropic", "events/content_block_delta.input_json_delta", { index: 1, partial_json }),
      );
    events.push(fixture("anthropic", "events/content_block_stop", { index: 1 }));
  }
  events.push(
    fixture("anthropic", "events/message_delta", {
      stop_reason: options.tool === undefined ? "end_turn" : "tool_use",
    }),
    fixture("anthropic", "events/message_stop"),
  );
  return events;
}

/** Handles `/v1/messages` and `/v1/messages/count_tokens` like a model that repeats what it saw. */
export async function anthropicEcho(req: Recorded, res: http.ServerResponse): Promise<void> {
  const body = JSON.parse(req.body) as MessagesBody;
  if (req.url.startsWith("/v1/messages/count_tokens")) {
    sendJson(res, 200, fixture("anthropic", "count_tokens", { input_tokens: req.body.length }));
    return;
  }
  const said = lastAnthropicUserText(body);
  const answer = anthropicAnswer(said);
  const toolName = body.tools?.[0]?.name ?? "save_note";
  const model = body.model ?? "claude-test";
  if (body.stream !== true) {
    sendJson(
      res,
      200,
      fixture("anthropic", "message", { model, text: answer.text, tool: toolName, input: answer.input }),
    );
    return;
  }
  const events = anthropicStreamEvents({
    model,
    text: answer.text,
    tool: { name: toolName, input: answer.input },
  });
  await sendSse(res, namedSseWire(events));
}
