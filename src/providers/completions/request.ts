/**
 * Request coverage for legacy completions (`prompt`, `suffix`, `stop`, `user`): every string of the body is
 * redacted except the declared opaque fields; token-id arrays carry no text.
 */
import { collectCoverage, opaque, type NodeSpec } from "../shared/coverage.js";
import type { TextSlot } from "../shared/slots.js";
import { METADATA, MODEL } from "../shared/specs.js";

/** The whole legacy completions request. */
export const COMPLETIONS_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: { model: MODEL, logit_bias: opaque("token ids and numeric biases"), metadata: METADATA },
};

/** Every text slot of a legacy completions request, in document order. */
export function collectCompletionsSlots(body: Record<string, unknown>): TextSlot[] {
  return collectCoverage(body, COMPLETIONS_REQUEST);
}
