/**
 * `POST /v1/moderations`: the input is redacted before it leaves; the verdicts (categories and scores)
 * carry no text, so the response comes back as it is.
 */
import { proxyError } from "../../errors/catalogue.js";
import type { ProtocolAdapter } from "../shared/adapter.js";
import { collectModerationsSlots } from "./request.js";
import { OpenAIModerationsRequest } from "./schema.js";

/** `POST /v1/moderations`. */
export const openAIModerationsAdapter: ProtocolAdapter = {
  name: "openai-moderations",
  flavour: "openai",
  parseRequest(body) {
    const result = OpenAIModerationsRequest.safeParse(body);
    if (result.success) return result.data;
    throw proxyError("PRX_REQ_INVALID_BODY", {
      detail: result.error.issues[0]?.path.map(String).join(".") ?? "body",
    });
  },
  collectSlots: collectModerationsSlots,
  isStream: () => false,
  restoreResponse: () => 0,
  createStreamMapper: () => undefined,
  upstreamBase: (config) => config.upstream,
};
