/**
 * Restoration of image generation responses: images carry no text, but a model may return the prompt it
 * actually used (`data[].revised_prompt`), which holds placeholders. Unknown fields are left as they are.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreText } from "../../redaction/restore.js";
import { isRecord, records } from "../shared/slots.js";

/** Restores `revised_prompt` in one image record in place; returns the count restored. */
export function restoreImageRecord(image: Record<string, unknown>, index: ScopeIndex): number {
  if (typeof image.revised_prompt !== "string") return 0;
  const result = restoreText(image.revised_prompt, index);
  if (result.restored > 0) image.revised_prompt = result.text;
  return result.restored;
}

/** Restores every `data[].revised_prompt` in place; returns the count restored. */
export function restoreImagesResponse(body: unknown, index: ScopeIndex): number {
  if (!isRecord(body)) return 0;
  let n = 0;
  for (const image of records(body.data)) n += restoreImageRecord(image, index);
  return n;
}
