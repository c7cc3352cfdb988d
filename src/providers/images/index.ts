/**
 * `POST /v1/images/generations`: the prompt is redacted before it leaves; `revised_prompt` is restored in
 * JSON responses and stream events; images pass back as they are.
 */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { collectImagesSlots } from "./request.js";
import { restoreImagesResponse } from "./response.js";
import { OpenAIImagesRequest } from "./schema.js";
import { createImagesStreamMapper } from "./stream.js";

/** `POST /v1/images/generations`. */
export const openAIImagesAdapter: ProtocolAdapter<OpenAIImagesRequest> = {
  parseRequest: (body) => parseWireRequest(OpenAIImagesRequest, body),
  collectSlots: collectImagesSlots,
  restoreResponse: restoreImagesResponse,
  createStreamMapper: createImagesStreamMapper,
};
