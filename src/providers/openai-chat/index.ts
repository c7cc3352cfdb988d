/** The OpenAI Chat Completions adapter: `POST /v1/chat/completions`. */
import { proxyError } from "../../errors/catalogue.js";
import type { ProtocolAdapter } from "../shared/adapter.js";
import { collectChatSlots } from "./request.js";
import { restoreChatResponse } from "./response.js";
import { OpenAIChatRequest } from "./schema.js";
import { createChatStreamMapper } from "./stream.js";

export const openAIChatAdapter: ProtocolAdapter = {
  name: "openai-chat",
  flavour: "openai",
  parseRequest(body) {
    const result = OpenAIChatRequest.safeParse(body);
    if (!result.success) {
      throw proxyError("PRX_REQ_INVALID_BODY", { detail: result.error.issues[0]?.path.join(".") ?? "body" });
    }
    return result.data;
  },
  collectSlots: collectChatSlots,
  isStream: (body) => body.stream === true,
  restoreResponse: restoreChatResponse,
  createStreamMapper: createChatStreamMapper,
  upstreamBase: (config) => config.upstream,
};
