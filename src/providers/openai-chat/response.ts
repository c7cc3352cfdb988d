/**
 * Restoration of a non-streamed Chat Completions response: content (string or parts), refusal, tool-call
 * arguments (inside the JSON string, escaping intact), legacy function_call. `usage` and unknown fields are
 * left as they are. Each part is read through its wire schema (src/providers/openai-chat/schema.ts);
 * an element of another shape is skipped.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreField } from "../shared/restore-field.js";
import { wireView, wireViews } from "../shared/wire.js";
import {
  OpenAIChatArguments,
  OpenAIChatChoice,
  OpenAIChatMessage,
  OpenAIChatPart,
  OpenAIChatResponse,
  OpenAIChatToolCall,
} from "./schema.js";

/** Restores a chat message (response `message` or a stream `delta`-shaped object) in place. */
export function restoreChatMessage(value: unknown, index: ScopeIndex): number {
  const message = wireView(OpenAIChatMessage, value);
  if (message === undefined) return 0;
  let n = restoreField(message, "content", index, "auto") + restoreField(message, "refusal", index);
  for (const part of wireViews(OpenAIChatPart, message.content))
    n += restoreField(part, "text", index, "auto") + restoreField(part, "refusal", index);
  for (const call of wireViews(OpenAIChatToolCall, message.tool_calls)) {
    const fn = wireView(OpenAIChatArguments, call.function);
    if (fn !== undefined) n += restoreField(fn, "arguments", index, true);
  }
  const legacy = wireView(OpenAIChatArguments, message.function_call);
  if (legacy !== undefined) n += restoreField(legacy, "arguments", index, true);
  return n;
}

/** Restores every choice of a chat completion in place; returns the count restored. */
export function restoreChatResponse(body: unknown, index: ScopeIndex): number {
  // Nothing to restore: no view is taken (most exchanges carry no placeholder).
  if (index.isEmpty) return 0;
  let n = 0;
  for (const choice of wireViews(OpenAIChatChoice, wireView(OpenAIChatResponse, body)?.choices))
    n += restoreChatMessage(choice.message, index);
  return n;
}
