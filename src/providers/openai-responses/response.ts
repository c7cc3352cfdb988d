/**
 * Restoration of a non-streamed OpenAI Responses response (also the `response` embedded in stream events):
 * output items — message `output_text` text and refusals, `function_call` arguments (inside the JSON
 * string, escaping intact) — and the `output_text` convenience field when present. Reasoning items, `usage`
 * and unknown fields are left as they are.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreText } from "../../redaction/restore.js";
import { isRecord, records } from "../shared/slots.js";

/** Restores `obj[key]` when it is a string; returns the count restored. */
export function restoreField(
  obj: Record<string, unknown>,
  key: string,
  index: ScopeIndex,
  json = false,
): number {
  const value = obj[key];
  if (typeof value !== "string") return 0;
  const result = restoreText(value, index, { json });
  if (result.restored > 0) obj[key] = result.text;
  return result.restored;
}

/** Restores one content part (`output_text` text, `refusal`) in place. */
export function restoreResponsesPart(part: Record<string, unknown>, index: ScopeIndex): number {
  if (part.type === "output_text") return restoreField(part, "text", index);
  if (part.type === "refusal") return restoreField(part, "refusal", index);
  return 0;
}

/** Restores one output item (message or function call) in place. */
export function restoreResponsesItem(item: Record<string, unknown>, index: ScopeIndex): number {
  if (item.type === "message") {
    let n = 0;
    for (const part of records(item.content)) n += restoreResponsesPart(part, index);
    return n;
  }
  if (item.type === "function_call") return restoreField(item, "arguments", index, true);
  return 0;
}

/** Restores a response object in place; returns the count restored. */
export function restoreResponsesResponse(body: unknown, index: ScopeIndex): number {
  if (!isRecord(body)) return 0;
  let n = restoreField(body, "output_text", index);
  for (const item of records(body.output)) n += restoreResponsesItem(item, index);
  return n;
}
