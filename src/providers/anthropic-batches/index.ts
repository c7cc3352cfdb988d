/**
 * `POST /v1/messages/batches`: every request's Messages `params` is redacted as on `POST /v1/messages`; the
 * batch object comes back with its `results_url` pointed at the proxy. Results and batch look-ups are
 * served by `src/server/routes/anthropic-batches.ts`.
 */
import { proxyError } from "../../errors/catalogue.js";
import type { ProtocolAdapter } from "../shared/adapter.js";
import { collectBatchSlots } from "./request.js";
import { rewriteResultsUrls } from "./response.js";
import { AnthropicBatchRequest } from "./schema.js";

/** `POST /v1/messages/batches`. */
export const anthropicBatchesAdapter: ProtocolAdapter = {
  name: "anthropic-batches",
  flavour: "anthropic",
  parseRequest(body) {
    const result = AnthropicBatchRequest.safeParse(body);
    if (result.success) return result.data;
    throw proxyError("PRX_REQ_INVALID_BODY", {
      detail: result.error.issues[0]?.path.map(String).join(".") ?? "body",
    });
  },
  collectSlots: collectBatchSlots,
  isStream: () => false,
  restoreResponse: () => 0,
  adjustResponse: (body, { config, origin }) => rewriteResultsUrls(body, config.anthropicUpstream, origin),
  createStreamMapper: () => undefined,
  upstreamBase: (config) => config.anthropicUpstream,
};
