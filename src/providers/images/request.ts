/** Request coverage for image generation: the prompt, `user` and every other string but the declared enums. */
import { collectCoverage, type NodeSpec } from "../shared/coverage.js";
import type { TextSlot } from "../shared/slots.js";
import { ENUM, MODEL } from "../shared/specs.js";
import type { OpenAIImagesRequest } from "./schema.js";

/** The whole image generation request. */
export const IMAGES_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: {
    model: MODEL,
    size: ENUM,
    quality: ENUM,
    style: ENUM,
    response_format: ENUM,
    background: ENUM,
    moderation: ENUM,
    output_format: ENUM,
  },
};

/** Every text slot of an image generation request. */
export function collectImagesSlots(body: OpenAIImagesRequest): TextSlot[] {
  return collectCoverage(body, IMAGES_REQUEST);
}
