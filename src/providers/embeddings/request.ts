/**
 * Request coverage for embeddings (`input`): every string of the body is redacted except the declared opaque
 * fields; token-id arrays carry no text. Placeholders are stable per scope, so the same value always embeds
 * as the same typed placeholder and vectors still group by type.
 */
import { collectCoverage, type NodeSpec } from "../shared/coverage.js";
import type { TextSlot } from "../shared/slots.js";
import { ENUM, METADATA, MODEL } from "../shared/specs.js";
import type { OpenAIEmbeddingsRequest } from "./schema.js";

/** The whole embeddings request. */
export const EMBEDDINGS_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: { model: MODEL, encoding_format: ENUM, metadata: METADATA },
};

/** Every text slot of an embeddings request. */
export function collectEmbeddingsSlots(body: OpenAIEmbeddingsRequest): TextSlot[] {
  return collectCoverage(body, EMBEDDINGS_REQUEST);
}
