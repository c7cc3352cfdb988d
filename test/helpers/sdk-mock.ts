/**
 * A mock model for the SDK matrix (test/integration/sdk-matrix.test.ts): it answers OpenAI Chat
 * Completions, OpenAI Responses and Anthropic Messages, streamed or not, with plain text only — "You said: "
 * and the last user text it received — so an SDK gets a complete, valid answer and no tool call it would
 * try to run. Streams come in small deltas, so placeholders are split across events.
 */
import type http from "node:http";
import { anthropicStreamEvents, lastAnthropicUserText } from "./anthropic-mock.js";
import { fixture, namedSseWire } from "./fixtures.js";
import { sendJson, sendSse, sseWire, type Recorded } from "./mock-upstream.js";
import { pieces } from "./openai-mock.js";
import {
  lastResponsesUserText,
  messageItem,
  responseObject,
  responsesStreamEvents,
} from "./responses-mock.js";

interface AnyBody {
  model?: string;
  stream?: boolean;
  messages?: { role: string; content: unknown }[];
  input?: unknown;
}

function lastChatUserText(body: AnyBody): string {
  const user = [...(body.messages ?? [])].reverse().find((m) => m.role === "user");
  const content = user?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return (content as { text?: string }[]).map((p) => p.text ?? "").join("");
  return "";
}

async function chat(body: AnyBody, res: http.ServerResponse): Promise<void> {
  const text = `You said: ${lastChatUserText(body)}`;
  const base = { id: "chatcmpl-sdk", created: 1700000000, model: body.model ?? "gpt-test" };
  const usage = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
  if (body.stream !== true) {
    sendJson(res, 200, {
      ...base,
      object: "chat.completion",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: text, refusal: null },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage,
    });
    return;
  }
  const chunk = (delta: unknown, finish: string | null = null): Record<string, unknown> => ({
    ...base,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const events: unknown[] = [chunk({ role: "assistant", content: "" })];
  for (const p of pieces(text, 3)) events.push(chunk({ content: p }));
  events.push(chunk({}, "stop"));
  events.push({ ...base, object: "chat.completion.chunk", choices: [], usage });
  await sendSse(res, sseWire(events));
}

async function responses(body: AnyBody, res: http.ServerResponse): Promise<void> {
  const text = `You said: ${lastResponsesUserText(body)}`;
  const model = body.model ?? "gpt-test";
  if (body.stream !== true) {
    sendJson(res, 200, responseObject([messageItem(text)], "completed", model));
    return;
  }
  await sendSse(res, namedSseWire(responsesStreamEvents({ model, text })));
}

async function messages(body: AnyBody, res: http.ServerResponse): Promise<void> {
  const text = `You said: ${lastAnthropicUserText({ messages: body.messages ?? [] })}`;
  const model = body.model ?? "claude-test";
  if (body.stream !== true) {
    sendJson(res, 200, {
      ...fixture("anthropic", "message", { model, text, tool: "unused", input: {} }),
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
    });
    return;
  }
  await sendSse(res, namedSseWire(anthropicStreamEvents({ model, text })));
}

/** Answers `/v1/chat/completions`, `/v1/responses` and `/v1/messages`; anything else is a 404. */
export async function sdkEcho(req: Recorded, res: http.ServerResponse): Promise<void> {
  const path = req.url.split("?", 1)[0];
  const body = (req.body === "" ? {} : JSON.parse(req.body)) as AnyBody;
  if (req.method === "POST" && path === "/v1/chat/completions") return chat(body, res);
  if (req.method === "POST" && path === "/v1/responses") return responses(body, res);
  if (req.method === "POST" && path === "/v1/messages") return messages(body, res);
  sendJson(res, 404, { error: { message: "not in the mock", type: "invalid_request_error" } });
}
