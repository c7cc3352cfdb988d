/** The OpenAI Chat Completions adapter: `POST /v1/chat/completions`. */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { isJsonFormatType } from "../shared/wire.js";
import { collectChatSlots } from "./request.js";
import { restoreChatResponse } from "./response.js";
import { OpenAIChatRequest } from "./schema.js";
import { createChatStreamMapper } from "./stream.js";

export const openAIChatAdapter: ProtocolAdapter<OpenAIChatRequest> = {
  parseRequest: (body) => parseWireRequest(OpenAIChatRequest, body),
  collectSlots: collectChatSlots,
  wantsJson: (body) => isJsonFormatType(body.response_format?.type),
  restoreResponse: restoreChatResponse,
  createStreamMapper: createChatStreamMapper,
};
