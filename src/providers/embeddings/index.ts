/**
 * The embeddings adapters: `POST /v1/embeddings` (redacted; vectors come back as they are) and the legacy
 * `POST /v1/completions` (redacted; `choices[].text` restored, streamed or not).
 */
import { proxyError } from "../../errors/catalogue.js";
import type { ProtocolAdapter } from "../shared/adapter.js";
import { collectCompletionsSlots, collectEmbeddingsSlots } from "./request.js";
import { restoreCompletionsResponse, restoreEmbeddingsResponse } from "./response.js";
import { OpenAICompletionsRequest, OpenAIEmbeddingsRequest } from "./schema.js";
import { createCompletionsStreamMapper } from "./stream.js";

function invalid(issues: readonly { readonly path: readonly PropertyKey[] }[]): never {
  throw proxyError("PRX_REQ_INVALID_BODY", { detail: issues[0]?.path.map(String).join(".") ?? "body" });
}

/** `POST /v1/embeddings`. */
export const openAIEmbeddingsAdapter: ProtocolAdapter = {
  name: "openai-embeddings",
  flavour: "openai",
  parseRequest(body) {
    const result = OpenAIEmbeddingsRequest.safeParse(body);
    return result.success ? result.data : invalid(result.error.issues);
  },
  collectSlots: collectEmbeddingsSlots,
  isStream: () => false,
  restoreResponse: restoreEmbeddingsResponse,
  createStreamMapper: () => undefined,
  upstreamBase: (config) => config.upstream,
};

/** `POST /v1/completions` (legacy). */
export const openAICompletionsAdapter: ProtocolAdapter = {
  name: "openai-completions",
  flavour: "openai",
  parseRequest(body) {
    const result = OpenAICompletionsRequest.safeParse(body);
    return result.success ? result.data : invalid(result.error.issues);
  },
  collectSlots: collectCompletionsSlots,
  isStream: (body) => body.stream === true,
  restoreResponse: restoreCompletionsResponse,
  createStreamMapper: createCompletionsStreamMapper,
  upstreamBase: (config) => config.upstream,
};
