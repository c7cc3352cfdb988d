/**
 * Request coverage for a message batch: every request's `params` as on `POST /v1/messages`, and its
 * `custom_id` (restored in the results, so the client still matches them).
 */
import { ANTHROPIC_REQUEST } from "../anthropic/request.js";
import { collectCoverage, type NodeSpec } from "../shared/coverage.js";
import type { TextSlot } from "../shared/slots.js";
import type { AnthropicBatchRequest } from "./schema.js";

/** The whole batch creation request. */
export const BATCH_REQUEST: NodeSpec = {
  context: { role: "user", detect: "light" },
  fields: { requests: { items: { fields: { params: ANTHROPIC_REQUEST } } } },
};

/** Every text slot of every request of a batch, in request order. */
export function collectBatchSlots(body: AnthropicBatchRequest): TextSlot[] {
  return collectCoverage(body, BATCH_REQUEST);
}
