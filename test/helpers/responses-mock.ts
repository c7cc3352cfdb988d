/**
 * An OpenAI Responses-shaped mock model for the mock upstream, built from the recorded-shape fixtures: it
 * echoes the last user input and calls a function with the placeholders it saw, as one response object or
 * as the documented event sequence with small deltas (so placeholders are split across events).
 */
import type http from "node:http";
import { fixture, namedSseWire } from "./fixtures.js";
import { sendJson, sendSse, type Recorded } from "./mock-upstream.js";
import { pieces } from "./openai-mock.js";

interface ResponsesBody {
  model?: string;
  stream?: boolean;
  tools?: { name?: string }[];
  input?: unknown;
}

const MESSAGE_ID = "msg_67ccd2bf17f0819081ff3bb2cf6508e6";
const CALL_ID = "fc_67ccd2bf17f0819081ff3bb2cf6508e7";

/** Text of the request's last user input (a string input, or the last user message's text parts). */
export function lastResponsesUserText(body: ResponsesBody): string {
  if (typeof body.input === "string") return body.input;
  if (!Array.isArray(body.input)) return "";
  const items = body.input as { type?: string; role?: string; content?: unknown }[];
  const user = [...items].reverse().find((i) => i.role === "user" && (i.type ?? "message") === "message");
  const content = user?.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return (content as { type?: string; text?: string }[])
    .filter((p) => p.type === "input_text")
    .map((p) => p.text ?? "")
    .join(" ");
}

/** A message output item. */
export function messageItem(text: string, status = "completed"): Record<string, unknown> {
  const content = status === "completed" ? [{ type: "output_text", text, annotations: [] }] : [];
  return fixture("openai-responses", "item.message", { id: MESSAGE_ID, status, content });
}

/** A function_call output item. */
export function functionCallItem(name: string, args: string, status = "completed"): Record<string, unknown> {
  return fixture("openai-responses", "item.function_call", { id: CALL_ID, name, arguments: args, status });
}

/** A response object holding `output`. */
export function responseObject(
  output: unknown[],
  status = "completed",
  model = "gpt-test",
): Record<string, unknown> {
  return fixture("openai-responses", "response", { output, status, model });
}

export interface ResponsesStreamOptions {
  readonly model?: string;
  readonly text: string;
  /** A function_call item follows the message when set. */
  readonly call?: { readonly name: string; readonly arguments: string };
  readonly textPiece?: number;
  readonly jsonPiece?: number;
  /** Exact text deltas (joined they must equal `text`) and argument deltas, instead of fixed sizes. */
  readonly textParts?: readonly string[];
  readonly jsonParts?: readonly string[];
}

/** The data of every event of a streamed response, in API order, numbered from 0. */
export function responsesStreamEvents(options: ResponsesStreamOptions): Record<string, unknown>[] {
  const model = options.model ?? "gpt-test";
  const events: Record<string, unknown>[] = [];
  const add = (name: string, vars: Record<string, unknown>): void => {
    events.push(fixture("openai-responses", `events/${name}`, { ...vars, sequence_number: events.length }));
  };
  const part = { item_id: MESSAGE_ID, output_index: 0, content_index: 0 };
  add("response.created", { response: responseObject([], "in_progress", model) });
  add("response.in_progress", { response: responseObject([], "in_progress", model) });
  add("response.output_item.added", { output_index: 0, item: messageItem("", "in_progress") });
  add("response.content_part.added", part);
  for (const delta of options.textParts ?? pieces(options.text, options.textPiece ?? 3))
    add("response.output_text.delta", { ...part, delta });
  add("response.output_text.done", { ...part, text: options.text });
  add("response.content_part.done", { ...part, text: options.text });
  add("response.output_item.done", { output_index: 0, item: messageItem(options.text) });
  const output = [messageItem(options.text)];
  if (options.call !== undefined) {
    const { name, arguments: args } = options.call;
    const call = { item_id: CALL_ID, output_index: 1 };
    add("response.output_item.added", { output_index: 1, item: functionCallItem(name, "", "in_progress") });
    for (const delta of options.jsonParts ?? pieces(args, options.jsonPiece ?? 5))
      add("response.function_call_arguments.delta", { ...call, delta });
    add("response.function_call_arguments.done", { ...call, name, arguments: args });
    add("response.output_item.done", { output_index: 1, item: functionCallItem(name, args) });
    output.push(functionCallItem(name, args));
  }
  add("response.completed", { response: responseObject(output, "completed", model) });
  return events;
}

/** Handles `/v1/responses` like a model that repeats what it saw; `/v1/responses/input_tokens` counts. */
export async function responsesEcho(req: Recorded, res: http.ServerResponse): Promise<void> {
  const body = JSON.parse(req.body) as ResponsesBody;
  if (req.url.startsWith("/v1/responses/input_tokens")) {
    sendJson(res, 200, { object: "response.input_tokens", input_tokens: req.body.length });
    return;
  }
  const said = lastResponsesUserText(body);
  const text = `You said: ${said}`;
  const name = body.tools?.[0]?.name ?? "save_note";
  const args = JSON.stringify({ note: said, quoted: `"${said}"` });
  const model = body.model ?? "gpt-test";
  if (body.stream !== true) {
    sendJson(res, 200, responseObject([messageItem(text), functionCallItem(name, args)], "completed", model));
    return;
  }
  await sendSse(res, namedSseWire(responsesStreamEvents({ model, text, call: { name, arguments: args } })));
}

/** A model that remembers: it always answers with the placeholder the first turn carried. */
export async function rememberingModel(req: Recorded, res: http.ServerResponse): Promise<void> {
  const body = JSON.parse(req.body) as { stream?: boolean };
  const text = "I will write to <Email_1>.";
  if (body.stream === true) {
    const events = responsesStreamEvents({ text });
    // The stream's response carries the id the next request continues.
    await sendSse(res, namedSseWire(events.map((e) => (isResponseEvent(e) ? withId(e, "resp_stream") : e))));
    return;
  }
  sendJson(res, 200, { ...responseObject([messageItem(text)]), id: "resp_json" });
}

function isResponseEvent(e: Record<string, unknown>): boolean {
  return typeof e.response === "object" && e.response !== null;
}

function withId(e: Record<string, unknown>, id: string): Record<string, unknown> {
  return { ...e, response: { ...(e.response as Record<string, unknown>), id } };
}
