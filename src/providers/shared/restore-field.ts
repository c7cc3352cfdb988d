/** Restores one string field of a response object in place: the helper every adapter's response.ts uses. */
import { restoreText, type RestoreOptions } from "../../redaction/restore.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { collectCoverage } from "./coverage.js";
import { TOOL_DATA } from "./specs.js";

/** `<Name_N>` alone (the whole string): a placeholder that may stand for a number. */
const WHOLE_PLACEHOLDER = /^<([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)_(\d{1,9})>$/;

/**
 * Restores `obj[key]` when it is a string; returns the count restored. `json`: `true` for JSON text (tool
 * arguments), `"auto"` for model text that may hold JSON (structured outputs), `false` for plain text.
 */
export function restoreField<K extends string>(
  obj: { [P in K]?: unknown },
  key: K,
  index: ScopeIndex,
  json: RestoreOptions["json"] = false,
): number {
  const value = obj[key];
  if (typeof value !== "string") return 0;
  const result = restoreText(value, index, { json });
  if (result.restored > 0) obj[key] = result.text;
  return result.restored;
}

/**
 * Restores structured tool data given as parsed JSON (Anthropic `tool_use.input`) in place: every string and
 * key; a string that is exactly a placeholder whose value the client sent as a number becomes that number.
 */
export function restoreData(root: unknown, index: ScopeIndex): number {
  if (index.isEmpty || root === null || typeof root !== "object") return 0;
  let n = 0;
  for (const slot of collectCoverage(root, TOOL_DATA)) {
    if (slot.kind === "number") continue;
    const whole = WHOLE_PLACEHOLDER.exec(slot.text);
    if (whole !== null && slot.kind === "string") {
      const entry = index.lookup(whole[1] as string, whole[2] as string);
      if (entry !== undefined && index.numeric.has(entry.key.toLowerCase())) {
        const value = Number(entry.value);
        if (Number.isFinite(value) && String(value) === entry.value) {
          slot.put(value);
          n++;
          continue;
        }
      }
    }
    const result = restoreText(slot.text, index);
    if (result.restored > 0) {
      slot.put(result.text);
      n += result.restored;
    }
  }
  return n;
}
