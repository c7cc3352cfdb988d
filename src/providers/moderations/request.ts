/**
 * Request coverage for moderations: the input string, each string of an input array, and the `text` of each
 * `text` part; image parts keep inline media as it is.
 */
import { collectCoverage, type NodeSpec } from "../shared/coverage.js";
import type { TextSlot } from "../shared/slots.js";
import { ENUM, MEDIA_URL, MODEL } from "../shared/specs.js";
import type { OpenAIModerationsRequest } from "./schema.js";

/** The whole moderations request. */
export const MODERATIONS_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: {
    model: MODEL,
    input: { items: { fields: { type: ENUM, image_url: { fields: { url: MEDIA_URL } } } } },
  },
};

/** Every text slot of a moderations request, in input order. */
export function collectModerationsSlots(body: OpenAIModerationsRequest): TextSlot[] {
  return collectCoverage(body, MODERATIONS_REQUEST);
}
