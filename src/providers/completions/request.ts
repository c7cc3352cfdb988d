/**
 * Request coverage for legacy completions (`prompt`, `suffix`, `stop`, `user`): every string of the body is
 * redacted except the declared opaque fields; token-id arrays carry no text.
 */
import { collectCoverage, type NodeSpec } from "../shared/coverage.js";
import type { TextSlot } from "../shared/slots.js";
import { LOGIT_BIAS, METADATA, MODEL } from "../shared/specs.js";
import type { OpenAICompletionsRequest } from "./schema.js";

/** The whole legacy completions request. */
export const COMPLETIONS_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: { model: MODEL, logit_bias: LOGIT_BIAS, metadata: METADATA },
};

/** Every text slot of a legacy completions request, in document order. */
export function collectCompletionsSlots(body: OpenAICompletionsRequest): TextSlot[] {
  return collectCoverage(body, COMPLETIONS_REQUEST);
}
