/** The OpenAI Chat Completions adapter: `POST /v1/chat/completions`. */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { isJsonFormat } from "../shared/slots.js";
import { collectChatSlots } from "./request.js";
import { restoreChatResponse } from "./response.js";
import { OpenAIChatRequest } from "./schema.js";
import { createChatStreamMapper } from "./stream.js";

export const openAIChatAdapter: ProtocolAdapter = {
  parseRequest: (body) => parseWireRequest(OpenAIChatRequest, body),
  collectSlots: collectChatSlots,
  wantsJson: (body) => isJsonFormat(body.response_format),
  restoreResponse: restoreChatResponse,
  createStreamMapper: createChatStreamMapper,
};
