/**
 * Restoration of image generation responses: images carry no text, but a model may return the prompt it
 * actually used (`data[].revised_prompt`), which holds placeholders. Unknown fields are left as they are.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreField } from "../shared/restore-field.js";
import { wireView, wireViews } from "../shared/wire.js";
import { OpenAIImageRecord, OpenAIImagesResponse } from "./schema.js";

/** Restores `revised_prompt` in one image record in place; returns the count restored. */
export function restoreImageRecord(value: unknown, index: ScopeIndex): number {
  const image = wireView(OpenAIImageRecord, value);
  return image === undefined ? 0 : restoreField(image, "revised_prompt", index);
}

/** Restores every `data[].revised_prompt` in place; returns the count restored. */
export function restoreImagesResponse(body: unknown, index: ScopeIndex): number {
  // Nothing to restore: no view is taken (most exchanges carry no placeholder).
  if (index.isEmpty) return 0;
  let n = 0;
  for (const image of wireViews(OpenAIImageRecord, wireView(OpenAIImagesResponse, body)?.data))
    n += restoreField(image, "revised_prompt", index);
  return n;
}
