/**
 * Restoration of a non-streamed OpenAI Responses response (also the `response` embedded in stream events):
 * output items — message `output_text` text and refusals, `function_call` arguments (inside the JSON
 * string, escaping intact) — and the `output_text` convenience field when present. Reasoning items, `usage`
 * and unknown fields are left as they are.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreField } from "../shared/restore-field.js";
import { isRecord, records } from "../shared/slots.js";

/** Restores one content part (`output_text` text, `refusal`) in place. */
export function restoreResponsesPart(part: Record<string, unknown>, index: ScopeIndex): number {
  if (part.type === "output_text") return restoreField(part, "text", index, "auto");
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
  if (item.type === "function_call" || item.type === "mcp_call")
    return restoreField(item, "arguments", index, true);
  if (item.type === "custom_tool_call") return restoreField(item, "input", index);
  return 0;
}

/** Restores a response object in place; returns the count restored. */
export function restoreResponsesResponse(body: unknown, index: ScopeIndex): number {
  if (!isRecord(body)) return 0;
  let n = restoreField(body, "output_text", index, "auto");
  for (const item of records(body.output)) n += restoreResponsesItem(item, index);
  return n;
}
