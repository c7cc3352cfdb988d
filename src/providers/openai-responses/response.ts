/**
 * Restoration of a non-streamed OpenAI Responses response (also the `response` embedded in stream events):
 * output items — message `output_text` text and refusals, `function_call` arguments (inside the JSON
 * string, escaping intact) — and the `output_text` convenience field when present. Reasoning items, `usage`
 * and unknown fields are left as they are. Each part is read through its wire schema (./schema.ts); an
 * element of another shape is skipped.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreField } from "../shared/restore-field.js";
import { elements, wireView } from "../shared/wire.js";
import {
  OpenAIResponsesCall,
  OpenAIResponsesIssued,
  OpenAIResponsesItem,
  OpenAIResponsesMessage,
  OpenAIResponsesPart,
  OpenAIResponsesResponse,
} from "./schema.js";

/** Restores one content part (`output_text` text, `refusal`) in place. */
export function restoreResponsesPart(value: unknown, index: ScopeIndex): number {
  const part = wireView(OpenAIResponsesPart, value);
  if (part?.type === "output_text") return restoreField(part, "text", index, "auto");
  if (part?.type === "refusal") return restoreField(part, "refusal", index);
  return 0;
}

/** Restores one output item (message or tool call) in place. */
export function restoreResponsesItem(value: unknown, index: ScopeIndex): number {
  switch (wireView(OpenAIResponsesItem, value)?.type) {
    case "message": {
      let n = 0;
      for (const part of wireView(OpenAIResponsesMessage, value)?.content ?? [])
        n += restoreResponsesPart(part, index);
      return n;
    }
    case "function_call":
    case "mcp_call": {
      const call = wireView(OpenAIResponsesCall, value);
      return call === undefined ? 0 : restoreField(call, "arguments", index, true);
    }
    case "custom_tool_call": {
      const call = wireView(OpenAIResponsesCall, value);
      return call === undefined ? 0 : restoreField(call, "input", index);
    }
    default:
      return 0;
  }
}

/** Restores a response object in place; returns the count restored. */
export function restoreResponsesResponse(body: unknown, index: ScopeIndex): number {
  // Nothing to restore: no view is taken (most exchanges carry no placeholder).
  if (index.isEmpty) return 0;
  const response = wireView(OpenAIResponsesResponse, body);
  if (response === undefined) return 0;
  let n = restoreField(response, "output_text", index, "auto");
  for (const item of elements(response.output)) n += restoreResponsesItem(item, index);
  return n;
}

/**
 * The ids a response issues: its own (continued by `previous_response_id`) and its conversation's;
 * undefined for a body that is no response object (nothing is bound to it then).
 */
export function issuedResponsesIds(body: unknown): { id?: string; conversation?: string } | undefined {
  const response = wireView(OpenAIResponsesIssued, body);
  if (response === undefined) return undefined;
  const id = response.id;
  const conversation = conversationId(response.conversation);
  return {
    ...(typeof id === "string" && id !== "" ? { id } : {}),
    ...(conversation === undefined ? {} : { conversation }),
  };
}

/** The id of a conversation given as a string or as `{ id }`. */
export function conversationId(ref: OpenAIResponsesIssued["conversation"]): string | undefined {
  const id = typeof ref === "string" ? ref : ref?.id;
  return id === undefined || id === null || id === "" ? undefined : id;
}
