/**
 * Request redaction for embeddings (`input`) and legacy completions (`prompt`, `suffix`): a string or each
 * string of an array; token-id arrays carry no text and are left alone. Placeholders are stable per scope,
 * so the same value always embeds as the same typed placeholder and vectors still group by type.
 */
import { fieldSlot, type TextSlot } from "../shared/slots.js";

/** Slots for `obj[key]` as a string or as each non-empty string of an array. */
function textOrArraySlots(obj: Record<string, unknown>, key: string): TextSlot[] {
  const value = obj[key];
  if (typeof value === "string") return fieldSlot(obj, key, "user");
  if (!Array.isArray(value)) return [];
  const list = value as unknown[];
  const slots: TextSlot[] = [];
  list.forEach((entry, i) => {
    if (typeof entry === "string" && entry.length > 0)
      slots.push({ text: entry, role: "user", detect: true, set: (text) => (list[i] = text) });
  });
  return slots;
}

/** Every text slot of an embeddings request. */
export function collectEmbeddingsSlots(body: Record<string, unknown>): TextSlot[] {
  return textOrArraySlots(body, "input");
}

/** Every text slot of a legacy completions request: the prompt(s), then the suffix. */
export function collectCompletionsSlots(body: Record<string, unknown>): TextSlot[] {
  return [...textOrArraySlots(body, "prompt"), ...fieldSlot(body, "suffix", "user")];
}
