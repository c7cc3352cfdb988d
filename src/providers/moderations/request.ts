/**
 * Request redaction for moderations: the input string, each string of an input array, and the `text` of
 * each `text` part; image parts are left as they are (like image parts in chat messages).
 */
import { fieldSlot, isRecord, type TextSlot } from "../shared/slots.js";

/** Every text slot of a moderations request, in input order. */
export function collectModerationsSlots(body: Record<string, unknown>): TextSlot[] {
  const input = body.input;
  if (typeof input === "string") return fieldSlot(body, "input", "user");
  if (!Array.isArray(input)) return [];
  const list = input as unknown[];
  const slots: TextSlot[] = [];
  list.forEach((entry, i) => {
    if (typeof entry === "string") {
      if (entry.length > 0)
        slots.push({ text: entry, role: "user", detect: true, set: (text) => (list[i] = text) });
    } else if (isRecord(entry) && entry.type === "text") {
      slots.push(...fieldSlot(entry, "text", "user"));
    }
  });
  return slots;
}
