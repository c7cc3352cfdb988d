/** The embeddings adapter: `POST /v1/embeddings` (redacted; vectors come back as they are, never streamed). */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { collectEmbeddingsSlots } from "./request.js";
import { OpenAIEmbeddingsRequest } from "./schema.js";

/** `POST /v1/embeddings`. */
export const openAIEmbeddingsAdapter: ProtocolAdapter<OpenAIEmbeddingsRequest> = {
  parseRequest: (body) => parseWireRequest(OpenAIEmbeddingsRequest, body),
  collectSlots: collectEmbeddingsSlots,
  // Vectors only: nothing to restore.
  restoreResponse: () => 0,
  createStreamMapper: () => undefined,
};
