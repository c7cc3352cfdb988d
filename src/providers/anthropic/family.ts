/**
 * The Anthropic API family: everything under `/v1/messages` (Messages, token counting, message batches),
 * sent to `anthropicUpstream` with `anthropicApiKey` as `x-api-key` when one is configured (the caller's
 * `Authorization` then stays here, so two credentials never reach the API).
 */
import { anthropicBatchesAdapter } from "../anthropic-batches/index.js";
import type { ApiFamily } from "../shared/family.js";
import { anthropicErrorBody } from "./errors.js";
import { anthropicCountTokensAdapter, anthropicMessagesAdapter } from "./index.js";

export const anthropicFamily: ApiFamily = {
  id: "anthropic",
  paths: ["/v1/messages"],
  endpoints: [
    { path: "/v1/messages", adapter: anthropicMessagesAdapter },
    { path: "/v1/messages/count_tokens", adapter: anthropicCountTokensAdapter },
    { path: "/v1/messages/batches", adapter: anthropicBatchesAdapter },
  ],
  baseUrl: (config) => config.anthropicUpstream,
  injectsCredential: (config) => config.anthropicApiKey !== undefined,
  injectCredential(headers, config) {
    if (config.anthropicApiKey === undefined) return;
    headers["x-api-key"] = config.anthropicApiKey;
    delete headers.authorization;
  },
  errorBody: anthropicErrorBody,
};
