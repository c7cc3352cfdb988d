/**
 * Restoration of a non-streamed Anthropic Messages response: `text` blocks (and their citations' quoted
 * text) and `tool_use.input` (an object: every string leaf, restored as plain text since it is already
 * parsed). `thinking` blocks are signed and stay as they are; `usage` and unknown fields are untouched.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreText } from "../../redaction/restore.js";
import { isRecord, leafSlots, records } from "../shared/slots.js";

function restoreField(obj: Record<string, unknown>, key: string, index: ScopeIndex): number {
  const value = obj[key];
  if (typeof value !== "string") return 0;
  const result = restoreText(value, index);
  if (result.restored > 0) obj[key] = result.text;
  return result.restored;
}

/** Restores every string leaf of a JSON object or array in place; returns the count restored. */
export function restoreLeaves(root: unknown, index: ScopeIndex): number {
  let n = 0;
  for (const slot of leafSlots(root, undefined, false)) {
    const result = restoreText(slot.text, index);
    if (result.restored > 0) slot.set(result.text);
    n += result.restored;
  }
  return n;
}

/** Restores one content block (complete, as in a response or a `content_block_start`) in place. */
export function restoreAnthropicBlock(block: Record<string, unknown>, index: ScopeIndex): number {
  switch (block.type) {
    case "text": {
      let n = restoreField(block, "text", index);
      for (const citation of records(block.citations)) n += restoreField(citation, "cited_text", index);
      return n;
    }
    case "tool_use":
    case "server_tool_use":
      return restoreLeaves(block.input, index);
    default:
      return 0;
  }
}

/** Restores a Messages response (or the `message` of a `message_start` event) in place; returns the count. */
export function restoreAnthropicResponse(body: unknown, index: ScopeIndex): number {
  if (!isRecord(body)) return 0;
  let n = 0;
  for (const block of records(body.content)) n += restoreAnthropicBlock(block, index);
  return n;
}
