/**
 * `POST /v1/moderations`: the input is redacted before it leaves; the verdicts (categories and scores)
 * carry no text, so the response comes back as it is.
 */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { collectModerationsSlots } from "./request.js";
import { OpenAIModerationsRequest } from "./schema.js";

/** `POST /v1/moderations`. */
export const openAIModerationsAdapter: ProtocolAdapter<OpenAIModerationsRequest> = {
  parseRequest: (body) => parseWireRequest(OpenAIModerationsRequest, body),
  collectSlots: collectModerationsSlots,
  restoreResponse: () => 0,
  createStreamMapper: () => undefined,
};
