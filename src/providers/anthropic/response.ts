/**
 * Restoration of a non-streamed Anthropic Messages response: `text` blocks (and their citations' quoted
 * text) and `tool_use.input` (an object: every string leaf, restored as plain text since it is already
 * parsed). `thinking` blocks are signed and stay as they are; `usage` and unknown fields are untouched.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreData, restoreField } from "../shared/restore-field.js";
import { isRecord, records } from "../shared/slots.js";

/** Restores every string leaf and key of a JSON object or array in place; returns the count restored. */
export function restoreLeaves(root: unknown, index: ScopeIndex): number {
  return restoreData(root, index);
}

/** Restores one content block (complete, as in a response or a `content_block_start`) in place. */
export function restoreAnthropicBlock(block: Record<string, unknown>, index: ScopeIndex): number {
  switch (block.type) {
    case "text": {
      let n = restoreField(block, "text", index, "auto");
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
