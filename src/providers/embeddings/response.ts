/**
 * Restoration of responses: embeddings hold only vectors (nothing to restore); a legacy completion's
 * `choices[].text` is restored (it may echo the prompt). Unknown fields are left as they are.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreText } from "../../redaction/restore.js";
import { isRecord, records } from "../shared/slots.js";

/** Embeddings carry no text: always 0. */
export function restoreEmbeddingsResponse(): number {
  return 0;
}

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
