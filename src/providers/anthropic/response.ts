/**
 * Restoration of a non-streamed Anthropic Messages response: `text` blocks (and their citations' quoted
 * text) and `tool_use.input` (an object: every string leaf, restored as plain text since it is already
 * parsed). `thinking` blocks are signed and stay as they are; `usage` and unknown fields are untouched.
 * Each part is read through its wire schema (./schema.ts); an element of another shape is skipped.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreData, restoreField } from "../shared/restore-field.js";
import { wireView, wireViews } from "../shared/wire.js";
import {
  AnthropicBlock,
  AnthropicCitation,
  AnthropicMessagesResponse,
  AnthropicTextBlock,
  AnthropicToolUseBlock,
} from "./schema.js";

/** Restores every string leaf and key of a JSON object or array in place; returns the count restored. */
export function restoreLeaves(root: unknown, index: ScopeIndex): number {
  return restoreData(root, index);
}

/** Restores one content block (complete, as in a response or a `content_block_start`) in place. */
export function restoreAnthropicBlock(value: unknown, index: ScopeIndex): number {
  switch (wireView(AnthropicBlock, value)?.type) {
    case "text": {
      const block = wireView(AnthropicTextBlock, value);
      if (block === undefined) return 0;
      let n = restoreField(block, "text", index, "auto");
      for (const citation of wireViews(AnthropicCitation, block.citations))
        n += restoreField(citation, "cited_text", index);
      return n;
    }
    case "tool_use":
    case "server_tool_use":
      return restoreLeaves(wireView(AnthropicToolUseBlock, value)?.input, index);
    default:
      return 0;
  }
}

/** Restores a Messages response (or the `message` of a `message_start` event) in place; returns the count. */
export function restoreAnthropicResponse(body: unknown, index: ScopeIndex): number {
  // Nothing to restore: no view is taken (most exchanges carry no placeholder).
  if (index.isEmpty) return 0;
  let n = 0;
  for (const block of wireView(AnthropicMessagesResponse, body)?.content ?? [])
    n += restoreAnthropicBlock(block, index);
  return n;
}
