/** Request redaction for image generation: the prompt. */
import { fieldSlot, type TextSlot } from "../shared/slots.js";

/** Every text slot of an image generation request. */
export function collectImagesSlots(body: Record<string, unknown>): TextSlot[] {
  return fieldSlot(body, "prompt", "user");
}
