/**
 * The embeddings adapters: `POST /v1/embeddings` (redacted; vectors come back as they are) and the legacy
 * `POST /v1/completions` (redacted; `choices[].text` restored, streamed or not).
 */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { collectCompletionsSlots, collectEmbeddingsSlots } from "./request.js";
import { restoreCompletionsResponse, restoreEmbeddingsResponse } from "./response.js";
import { OpenAICompletionsRequest, OpenAIEmbeddingsRequest } from "./schema.js";
import { createCompletionsStreamMapper } from "../completions/stream.js";

/** `POST /v1/embeddings`. */
export const openAIEmbeddingsAdapter: ProtocolAdapter = {
  parseRequest: (body) => parseWireRequest(OpenAIEmbeddingsRequest, body),
  collectSlots: collectEmbeddingsSlots,
  restoreResponse: restoreEmbeddingsResponse,
  createStreamMapper: () => undefined,
};

/** `POST /v1/completions` (legacy). */
export const openAICompletionsAdapter: ProtocolAdapter = {
  parseRequest: (body) => parseWireRequest(OpenAICompletionsRequest, body),
  collectSlots: collectCompletionsSlots,
  restoreResponse: restoreCompletionsResponse,
  createStreamMapper: createCompletionsStreamMapper,
};
