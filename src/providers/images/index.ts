/**
 * `POST /v1/images/generations`: the prompt is redacted before it leaves; `revised_prompt` is restored in
 * JSON responses and stream events; images pass back as they are.
 */
import { proxyError } from "../../errors/catalogue.js";
import type { ProtocolAdapter } from "../shared/adapter.js";
import { collectImagesSlots } from "./request.js";
import { restoreImagesResponse } from "./response.js";
import { OpenAIImagesRequest } from "./schema.js";
import { createImagesStreamMapper } from "./stream.js";

/** `POST /v1/images/generations`. */
export const openAIImagesAdapter: ProtocolAdapter = {
  name: "openai-images",
  flavour: "openai",
  parseRequest(body) {
    const result = OpenAIImagesRequest.safeParse(body);
    if (result.success) return result.data;
    throw proxyError("PRX_REQ_INVALID_BODY", {
      detail: result.error.issues[0]?.path.map(String).join(".") ?? "body",
    });
  },
  collectSlots: collectImagesSlots,
  isStream: (body) => body.stream === true,
  restoreResponse: restoreImagesResponse,
  createStreamMapper: createImagesStreamMapper,
  upstreamBase: (config) => config.upstream,
};
