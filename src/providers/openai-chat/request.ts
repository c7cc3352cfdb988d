/**
 * Request redaction for Chat Completions (DESIGN §8): every message's content (string or text parts),
 * `name`, assistant `tool_calls[].function.arguments` and legacy `function_call.arguments` (JSON string:
 * its string leaves), `role: tool` content, system and developer prompts. Assistant turns are echoes of
 * earlier responses: only the light (rule) detector runs on them, plus masking of every known value.
 */
import type { TextRole } from "../../detection/span.js";
import { fieldSlot, isRecord, jsonTextSlots, records, type TextSlot } from "../shared/slots.js";

function roleOf(value: unknown): TextRole | undefined {
  switch (value) {
    case "system":
    case "developer":
    case "user":
    case "assistant":
    case "tool":
      return value;
    case "function":
      return "tool";
    default:
      return undefined;
  }
}

/** Every text slot of a chat request, in message order. */
export function collectChatSlots(body: Record<string, unknown>): TextSlot[] {
  const slots: TextSlot[] = [];
  for (const message of records(body.messages)) {
    const role = roleOf(message.role);
    const detect = role === "assistant" ? "light" : true;
    slots.push(...fieldSlot(message, "name", role, detect));
    if (typeof message.content === "string") {
      slots.push(...fieldSlot(message, "content", role, detect));
    } else {
      for (const part of records(message.content)) {
        if (part.type === "text") slots.push(...fieldSlot(part, "text", role, detect));
        else if (part.type === "refusal") slots.push(...fieldSlot(part, "refusal", role, detect));
      }
    }
    for (const call of records(message.tool_calls)) {
      if (isRecord(call.function)) slots.push(...jsonTextSlots(call.function, "arguments", role, detect));
    }
    if (isRecord(message.function_call))
      slots.push(...jsonTextSlots(message.function_call, "arguments", role, detect));
  }
  return slots;
}
