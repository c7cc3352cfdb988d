/**
 * The OpenAI Responses adapters: `POST /v1/responses` (JSON or SSE) and `POST /v1/responses/input_tokens`
 * (redacted the same way; its answer holds only a token count, so there is nothing to restore).
 */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { isJsonFormatType } from "../shared/wire.js";
import { collectResponsesSlots } from "./request.js";
import { conversationId, issuedResponsesIds, restoreResponsesResponse } from "./response.js";
import { OpenAIResponsesRequest } from "./schema.js";
import { createResponsesStreamMapper } from "./stream.js";

function parseResponsesRequest(body: unknown): OpenAIResponsesRequest {
  return parseWireRequest(OpenAIResponsesRequest, body);
}

/** The conversation a request continues: `previous_response_id` and `conversation`. */
function continuesResponses(body: OpenAIResponsesRequest): string[] {
  const previous = body.previous_response_id;
  return [previous === "" ? undefined : previous, conversationId(body.conversation)].filter(
    (id) => typeof id === "string",
  );
}

/** `POST /v1/responses`. */
export const openAIResponsesAdapter: ProtocolAdapter<OpenAIResponsesRequest> = {
  parseRequest: parseResponsesRequest,
  collectSlots: collectResponsesSlots,
  wantsJson: (body) => isJsonFormatType(body.text?.format?.type),
  continues: continuesResponses,
  // A response id (continued by `previous_response_id`) and the conversation it was added to.
  issues: (response, body) => {
    const issued = issuedResponsesIds(response);
    if (issued === undefined) return [];
    return [issued.id, issued.conversation ?? conversationId(body.conversation)].filter(
      (id) => id !== undefined,
    );
  },
  restoreResponse: restoreResponsesResponse,
  createStreamMapper: createResponsesStreamMapper,
};

/** `POST /v1/responses/input_tokens`: redacted, then forwarded; the count comes back as it is. */
export const openAIResponsesInputTokensAdapter: ProtocolAdapter<OpenAIResponsesRequest> = {
  parseRequest: parseResponsesRequest,
  collectSlots: collectResponsesSlots,
  restoreResponse: () => 0,
  createStreamMapper: () => undefined,
};
