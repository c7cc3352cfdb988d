/**
 * Request redaction for OpenAI Responses (DESIGN §8): `instructions`, `input` as a string or as items —
 * message items (content string or `input_text` / `output_text` / `refusal` parts), `function_call`
 * arguments (a JSON string: its string leaves) and `function_call_output` output (a string, often JSON
 * text, or text parts). Assistant messages and function calls are echoes of earlier responses: only the
 * light (rule) detector runs on them, plus masking of every known value. Reasoning items are opaque and
 * left as they are.
 */
import type { TextRole } from "../../detection/span.js";
import type { TextItem } from "../../redaction/pipeline.js";
import { fieldSlot, jsonTextSlots, records, type TextSlot } from "../shared/slots.js";

type Detect = TextItem["detect"];

function roleOf(value: unknown): TextRole {
  switch (value) {
    case "system":
    case "developer":
    case "assistant":
      return value;
    default:
      return "user";
  }
}

/** Slots of content parts: text parts and refusals. */
function partSlots(parts: unknown, role: TextRole, detect: Detect): TextSlot[] {
  return records(parts).flatMap((part) => {
    if (part.type === "input_text" || part.type === "output_text")
      return fieldSlot(part, "text", role, detect);
    if (part.type === "refusal") return fieldSlot(part, "refusal", role, detect);
    return [];
  });
}

/** Slots of one input item. */
function itemSlots(item: Record<string, unknown>): TextSlot[] {
  // Easy input messages (`{role, content}`) carry no type.
  const type = item.type ?? (typeof item.role === "string" ? "message" : undefined);
  switch (type) {
    case "message": {
      const role = roleOf(item.role);
      const detect: Detect = role === "assistant" ? "light" : true;
      if (typeof item.content === "string") return fieldSlot(item, "content", role, detect);
      return partSlots(item.content, role, detect);
    }
    case "function_call":
      return jsonTextSlots(item, "arguments", "assistant", "light");
    case "function_call_output":
      if (typeof item.output === "string") return jsonTextSlots(item, "output", "tool", true);
      return partSlots(item.output, "tool", true);
    default:
      return [];
  }
}

/** Every text slot of a Responses request: instructions first, then input in order. */
export function collectResponsesSlots(body: Record<string, unknown>): TextSlot[] {
  const slots = fieldSlot(body, "instructions", "system");
  if (typeof body.input === "string") slots.push(...fieldSlot(body, "input", "user"));
  else for (const item of records(body.input)) slots.push(...itemSlots(item));
  return slots;
}
