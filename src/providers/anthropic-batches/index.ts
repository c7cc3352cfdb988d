/**
 * `POST /v1/messages/batches`: every request's Messages `params` is redacted as on `POST /v1/messages`; the
 * batch object comes back with its `results_url` pointed at the proxy. Results and batch look-ups are
 * served by `src/server/routes/anthropic-batches.ts`.
 */
import { parseWireRequest, type ProtocolAdapter } from "../shared/adapter.js";
import { collectBatchSlots } from "./request.js";
import { issuedBatchIds, rewriteResultsUrls } from "./response.js";
import { AnthropicBatchRequest } from "./schema.js";

/** `POST /v1/messages/batches`. */
export const anthropicBatchesAdapter: ProtocolAdapter<AnthropicBatchRequest> = {
  parseRequest: (body) => parseWireRequest(AnthropicBatchRequest, body),
  collectSlots: collectBatchSlots,
  restoreResponse: () => 0,
  // The batch id: its results, fetched later, restore with what the batch requests carried.
  issues: issuedBatchIds,
  adjustResponse: (body, { baseUrl, origin }) => rewriteResultsUrls(body, baseUrl, origin),
  createStreamMapper: () => undefined,
};
