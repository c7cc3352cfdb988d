/**
 * The Anthropic Messages adapters: `POST /v1/messages` (JSON or SSE) and `POST /v1/messages/count_tokens`
 * (redacted the same way; its answer holds only token counts, so there is nothing to restore).
 */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { collectAnthropicSlots } from "./request.js";
import { restoreAnthropicResponse } from "./response.js";
import { AnthropicMessagesRequest } from "./schema.js";
import { createAnthropicStreamMapper } from "./stream.js";

function parseAnthropicRequest(body: unknown): AnthropicMessagesRequest {
  return parseWireRequest(AnthropicMessagesRequest, body);
}

/** `POST /v1/messages`. */
export const anthropicMessagesAdapter: ProtocolAdapter<AnthropicMessagesRequest> = {
  parseRequest: parseAnthropicRequest,
  collectSlots: collectAnthropicSlots,
  restoreResponse: restoreAnthropicResponse,
  createStreamMapper: createAnthropicStreamMapper,
};

/** `POST /v1/messages/count_tokens`: redacted, then forwarded; the token count comes back as it is. */
export const anthropicCountTokensAdapter: ProtocolAdapter<AnthropicMessagesRequest> = {
  parseRequest: parseAnthropicRequest,
  collectSlots: collectAnthropicSlots,
  restoreResponse: () => 0,
  createStreamMapper: () => undefined,
};
