/** The OpenAI Responses adapter: `POST /v1/responses`. */
import { proxyError } from "../../errors/catalogue.js";
import type { ProtocolAdapter } from "../shared/adapter.js";
import { collectResponsesSlots } from "./request.js";
import { restoreResponsesResponse } from "./response.js";
import { OpenAIResponsesRequest } from "./schema.js";
import { createResponsesStreamMapper } from "./stream.js";

export const openAIResponsesAdapter: ProtocolAdapter = {
  name: "openai-responses",
  flavour: "openai",
  parseRequest(body) {
    const result = OpenAIResponsesRequest.safeParse(body);
    if (!result.success) {
      throw proxyError("PRX_REQ_INVALID_BODY", { detail: result.error.issues[0]?.path.join(".") ?? "body" });
    }
    return result.data;
  },
  collectSlots: collectResponsesSlots,
  isStream: (body) => body.stream === true,
  restoreResponse: restoreResponsesResponse,
  createStreamMapper: createResponsesStreamMapper,
  upstreamBase: (config) => config.upstream,
};
