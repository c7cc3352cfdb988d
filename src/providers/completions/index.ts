/** The legacy OpenAI completions adapter: `POST /v1/completions` (redacted; `choices[].text` restored, streamed or not). */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { collectCompletionsSlots } from "./request.js";
import { restoreCompletionsResponse } from "./response.js";
import { OpenAICompletionsRequest } from "./schema.js";
import { createCompletionsStreamMapper } from "./stream.js";

/** `POST /v1/completions` (legacy). */
export const openAICompletionsAdapter: ProtocolAdapter<OpenAICompletionsRequest> = {
  parseRequest: (body) => parseWireRequest(OpenAICompletionsRequest, body),
  collectSlots: collectCompletionsSlots,
  restoreResponse: restoreCompletionsResponse,
  createStreamMapper: createCompletionsStreamMapper,
};
