/**
 * Restoration of a non-streamed Chat Completions response: content (string or parts), refusal, tool-call
 * arguments (inside the JSON string, escaping intact), legacy function_call. `usage` and unknown fields are
 * left as they are.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreField } from "../shared/restore-field.js";
import { isRecord, records } from "../shared/slots.js";

/** Restores a chat message (response `message` or a stream `delta`-shaped object) in place. */
export function restoreChatMessage(message: Record<string, unknown>, index: ScopeIndex): number {
  let n = restoreField(message, "content", index, "auto") + restoreField(message, "refusal", index);
  for (const part of records(message.content))
    n += restoreField(part, "text", index, "auto") + restoreField(part, "refusal", index);
  for (const call of records(message.tool_calls)) {
    if (isRecord(call.function)) n += restoreField(call.function, "arguments", index, true);
  }
  if (isRecord(message.function_call)) n += restoreField(message.function_call, "arguments", index, true);
  return n;
}

/** Restores every choice of a chat completion in place; returns the count restored. */
export function restoreChatResponse(body: unknown, index: ScopeIndex): number {
  if (!isRecord(body)) return 0;
  let n = 0;
  for (const choice of records(body.choices)) {
    if (isRecord(choice.message)) n += restoreChatMessage(choice.message, index);
  }
  return n;
}
