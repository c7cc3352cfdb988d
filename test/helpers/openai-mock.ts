/**
 * An OpenAI-shaped mock model for the mock upstream: it echoes the last user message and calls a tool with
 * the placeholders it saw, as JSON or as a stream of small chunks (so placeholders are split).
 */
import type http from "node:http";
import { sendJson, sendSse, sseWire, type Recorded } from "./mock-upstream.js";

interface ChatBody {
  stream?: boolean;
  messages: { role: string; content?: unknown }[];
}

function lastUserText(body: ChatBody): string {
  const user = [...body.messages].reverse().find((m) => m.role === "user");
  const content = user?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p: { text?: string }) => p.text ?? "").join(" ");
  return "";
}

/** Splits text into pieces of `size` characters. */
export function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** Handles `/v1/chat/completions` like a model that repeats what it saw. */
export async function openAIEcho(req: Recorded, res: http.ServerResponse): Promise<void> {
  const body = JSON.parse(req.body) as ChatBody;
  const said = lastUserText(body);
  const args = JSON.stringify({ note: said, quoted: `"${said.slice(0, 40)}"` });
  const base = { id: "chatcmpl-1", created: 1700000000, model: "gpt-test" };
  if (body.stream !== true) {
    sendJson(res, 200, {
      ...base,
      object: "chat.completion",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: `You said: ${said}`,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "save_note", arguments: args } },
            ],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
    });
    return;
  }
  const chunk = (delta: unknown, finish: string | null = null) => ({
    ...base,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const events: unknown[] = [chunk({ role: "assistant", content: "" })];
  for (const p of pieces(`You said: ${said}`, 3)) events.push(chunk({ content: p }));
  events.push(
    chunk({
      tool_calls: [
        { index: 0, id: "call_1", type: "function", function: { name: "save_note", arguments: "" } },
      ],
    }),
  );
  for (const p of pieces(args, 5))
    events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] }));
  events.push(chunk({}, "tool_calls"));
  events.push({ ...base, object: "chat.completion.chunk", choices: [], usage: { total_tokens: 30 } });
  await sendSse(res, sseWire(events));
}
