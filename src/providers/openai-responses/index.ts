/**
 * The OpenAI Responses adapters: `POST /v1/responses` (JSON or SSE) and `POST /v1/responses/input_tokens`
 * (redacted the same way; its answer holds only a token count, so there is nothing to restore).
 */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { idOf, isJsonFormat, isRecord } from "../shared/slots.js";
import { collectResponsesSlots } from "./request.js";
import { restoreResponsesResponse } from "./response.js";
import { OpenAIResponsesRequest } from "./schema.js";
import { createResponsesStreamMapper } from "./stream.js";

function parseResponsesRequest(body: unknown): Record<string, unknown> {
  return parseWireRequest(OpenAIResponsesRequest, body);
}

/** The conversation a request continues: `previous_response_id` and `conversation`. */
function continuesResponses(body: Record<string, unknown>): string[] {
  return [idOf(body.previous_response_id), idOf(body.conversation)].filter((id) => id !== undefined);
}

/** Whether a Responses request asked for JSON text (`text.format`). */
function wantsJsonResponses(body: Record<string, unknown>): boolean {
  return isRecord(body.text) && isJsonFormat(body.text.format);
}

/** `POST /v1/responses`. */
export const openAIResponsesAdapter: ProtocolAdapter = {
  parseRequest: parseResponsesRequest,
  collectSlots: collectResponsesSlots,
  wantsJson: wantsJsonResponses,
  continues: continuesResponses,
  // A response id (continued by `previous_response_id`) and the conversation it was added to.
  issues: (response, body) =>
    isRecord(response)
      ? [idOf(response.id), idOf(response.conversation) ?? idOf(body.conversation)].filter(
          (id) => id !== undefined,
        )
      : [],
  restoreResponse: restoreResponsesResponse,
  createStreamMapper: createResponsesStreamMapper,
};

/** `POST /v1/responses/input_tokens`: redacted, then forwarded; the count comes back as it is. */
export const openAIResponsesInputTokensAdapter: ProtocolAdapter = {
  parseRequest: parseResponsesRequest,
  collectSlots: collectResponsesSlots,
  restoreResponse: () => 0,
  createStreamMapper: () => undefined,
};
