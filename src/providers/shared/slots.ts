/**
 * Text slots: every text field of a request, with its role and a setter that writes the redacted text back
 * (collected by coverage.ts), and small helpers over parsed JSON.
 */
import type { TextRole } from "../../detection/span.js";
import type { TextItem } from "../../redaction/pipeline.js";

export interface TextSlot extends TextItem {
  readonly text: string;
  set(text: string): void;
}

/**
 * Slots for every string leaf of a JSON value (object keys are left as they are), at any depth: the walk
 * keeps its own stack, so a deep value can neither overflow the call stack nor hide a leaf from redaction.
 */
export function leafSlots(
  root: unknown,
  role: TextRole | undefined,
  detect: TextItem["detect"],
  onChange: () => void = () => undefined,
): TextSlot[] {
  const out: TextSlot[] = [];
  if (root === null || typeof root !== "object") return out;
  // Pre-order, keys in insertion order: the same order as a recursive walk.
  const stack: { record: Record<string, unknown>; keys: string[]; at: number }[] = [];
  const enter = (node: object): void => {
    const record = node as Record<string, unknown>;
    stack.push({ record, keys: Object.keys(record), at: 0 });
  };
  enter(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as (typeof stack)[number];
    if (top.at >= top.keys.length) {
      stack.pop();
      continue;
    }
    const record = top.record;
    const key = top.keys[top.at++] as string;
    const value = record[key];
    if (typeof value === "string") {
      if (value.length > 0) {
        out.push({
          text: value,
          role,
          detect,
          set: (text) => {
            if (text === record[key]) return;
            record[key] = text;
            onChange();
          },
        });
      }
    } else if (value !== null && typeof value === "object") enter(value);
  }
  return out;
}

/** Applies redacted texts to their slots (same order as collected). */
export function applySlots(slots: readonly TextSlot[], texts: readonly string[]): void {
  slots.forEach((slot, i) => {
    const text = texts[i];
    if (text !== undefined && text !== slot.text) slot.set(text);
  });
}

/** True for plain JSON objects. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The value as an array of records (other elements skipped), or empty. */
export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
