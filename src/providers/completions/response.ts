/**
 * Restoration of a non-streamed legacy completion: each choice's `text` (it may echo the prompt). Unknown
 * fields are left as they are.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreText } from "../../redaction/restore.js";
import { isRecord, records } from "../shared/slots.js";

/** Restores every choice's `text` of a completion in place; returns the count restored. */
export function restoreCompletionsResponse(body: unknown, index: ScopeIndex): number {
  if (!isRecord(body)) return 0;
  let n = 0;
  for (const choice of records(body.choices)) {
    if (typeof choice.text !== "string") continue;
    const result = restoreText(choice.text, index);
    if (result.restored > 0) choice.text = result.text;
    n += result.restored;
  }
  return n;
}
