/**
 * The OpenAI Responses adapters: `POST /v1/responses` (JSON or SSE) and `POST /v1/responses/input_tokens`
 * (redacted the same way; its answer holds only a token count, so there is nothing to restore).
 */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { collectResponsesSlots } from "./request.js";
import { restoreResponsesResponse } from "./response.js";
import { OpenAIResponsesRequest } from "./schema.js";
import { createResponsesStreamMapper } from "./stream.js";

function parseResponsesRequest(body: unknown): Record<string, unknown> {
  return parseWireRequest(OpenAIResponsesRequest, body);
}

/** `POST /v1/responses`. */
export const openAIResponsesAdapter: ProtocolAdapter = {
  name: "openai-responses",
  flavour: "openai",
  parseRequest: parseResponsesRequest,
  collectSlots: collectResponsesSlots,
  isStream: (body) => body.stream === true,
  restoreResponse: restoreResponsesResponse,
  createStreamMapper: createResponsesStreamMapper,
  upstreamBase: (config) => config.upstream,
};

/** `POST /v1/responses/input_tokens`: redacted, then forwarded; the count comes back as it is. */
export const openAIResponsesInputTokensAdapter: ProtocolAdapter = {
  name: "openai-responses-input-tokens",
  flavour: "openai",
  parseRequest: parseResponsesRequest,
  collectSlots: collectResponsesSlots,
  isStream: () => false,
  restoreResponse: () => 0,
  createStreamMapper: () => undefined,
  upstreamBase: (config) => config.upstream,
};
