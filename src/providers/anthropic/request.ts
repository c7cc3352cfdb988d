/**
 * Request redaction for Anthropic Messages (DESIGN §8): `system` (string or text blocks), every message's
 * content (string or blocks): `text` blocks, `tool_use.input` (an object: its string leaves), `tool_result`
 * content (string or text blocks) and plain-text `document` sources. Assistant turns are echoes of earlier
 * responses: only the light (rule) detector runs on them, plus masking of every known value. `thinking` and
 * `redacted_thinking` blocks are signed by the API and never changed (the response never restores them).
 */
import type { TextRole } from "../../detection/span.js";
import type { TextItem } from "../../redaction/pipeline.js";
import { fieldSlot, isRecord, leafSlots, records, type TextSlot } from "../shared/slots.js";

type Detect = TextItem["detect"];

/** Slots of a `document` block whose source is plain text (`text`) or content blocks (`content`). */
function documentSlots(block: Record<string, unknown>, role: TextRole, detect: Detect): TextSlot[] {
  const source = block.source;
  if (!isRecord(source)) return [];
  if (source.type === "text") return fieldSlot(source, "data", role, detect);
  if (source.type !== "content") return [];
  if (typeof source.content === "string") return fieldSlot(source, "content", role, detect);
  return records(source.content).flatMap((b) =>
    b.type === "text" ? fieldSlot(b, "text", role, detect) : [],
  );
}

/** Slots of one content block. */
function blockSlots(block: Record<string, unknown>, role: TextRole, detect: Detect): TextSlot[] {
  switch (block.type) {
    case "text":
      return fieldSlot(block, "text", role, detect);
    case "tool_use":
    case "server_tool_use":
      return leafSlots(block.input, role, detect);
    case "tool_result": {
      // Tool output is new data from the caller's side: full detection.
      if (typeof block.content === "string") return fieldSlot(block, "content", "tool", true);
      return records(block.content).flatMap((b) => blockSlots(b, "tool", true));
    }
    case "document":
      return documentSlots(block, role, detect);
    default:
      return [];
  }
}

/** Every text slot of a Messages (or count_tokens) request: system first, then messages in order. */
export function collectAnthropicSlots(body: Record<string, unknown>): TextSlot[] {
  const slots: TextSlot[] = [];
  if (typeof body.system === "string") slots.push(...fieldSlot(body, "system", "system"));
  else for (const block of records(body.system)) slots.push(...blockSlots(block, "system", true));
  for (const message of records(body.messages)) {
    const role: TextRole = message.role === "assistant" ? "assistant" : "user";
    const detect: Detect = role === "assistant" ? "light" : true;
    if (typeof message.content === "string") slots.push(...fieldSlot(message, "content", role, detect));
    else for (const block of records(message.content)) slots.push(...blockSlots(block, role, detect));
  }
  return slots;
}
