/**
 * The OpenAI API family: Chat Completions, Responses, embeddings, legacy completions, moderations and image
 * generation, sent to `upstream` with `upstreamApiKey` as a bearer token when one is configured. It is the
 * default family: every path no other family claims (`/v1/models`, files, …) is answered as OpenAI's.
 */
import { openAICompletionsAdapter } from "../completions/index.js";
import { openAIEmbeddingsAdapter } from "../embeddings/index.js";
import { openAIImagesAdapter } from "../images/index.js";
import { openAIModerationsAdapter } from "../moderations/index.js";
import { openAIChatAdapter } from "../openai-chat/index.js";
import { openAIResponsesAdapter, openAIResponsesInputTokensAdapter } from "../openai-responses/index.js";
import type { ApiFamily } from "../shared/family.js";
import { openAIErrorBody } from "./errors.js";

export const openAIFamily: ApiFamily = {
  id: "openai",
  paths: [],
  endpoints: [
    { path: "/v1/chat/completions", adapter: openAIChatAdapter },
    { path: "/v1/responses", adapter: openAIResponsesAdapter },
    { path: "/v1/responses/input_tokens", adapter: openAIResponsesInputTokensAdapter },
    { path: "/v1/embeddings", adapter: openAIEmbeddingsAdapter },
    { path: "/v1/completions", adapter: openAICompletionsAdapter },
    { path: "/v1/moderations", adapter: openAIModerationsAdapter },
    { path: "/v1/images/generations", adapter: openAIImagesAdapter },
  ],
  baseUrl: (config) => config.upstream,
  injectsCredential: (config) => config.upstreamApiKey !== undefined,
  injectCredential(headers, config) {
    if (config.upstreamApiKey !== undefined) headers.authorization = `Bearer ${config.upstreamApiKey}`;
  },
  errorBody: openAIErrorBody,
};
