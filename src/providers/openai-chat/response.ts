/**
 * Restoration of a non-streamed Chat Completions response: content (string or parts), refusal, tool-call
 * arguments (inside the JSON string, escaping intact), legacy function_call. `usage` and unknown fields are
 * left as they are.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreText } from "../../redaction/restore.js";
import { isRecord, records } from "../shared/slots.js";

function restoreField(obj: Record<string, unknown>, key: string, index: ScopeIndex, json = false): number {
  const value = obj[key];
  if (typeof value !== "string") return 0;
  const result = restoreText(value, index, { json });
  if (result.restored > 0) obj[key] = result.text;
  return result.restored;
}

/** Restores a chat message (response `message` or a stream `delta`-shaped object) in place. */
export function restoreChatMessage(message: Record<string, unknown>, index: ScopeIndex): number {
  let n = restoreField(message, "content", index) + restoreField(message, "refusal", index);
  for (const part of records(message.content))
    n += restoreField(part, "text", index) + restoreField(part, "refusal", index);
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
