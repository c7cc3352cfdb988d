/**
 * What every forwarding route (the redacting ones, the batch results route) sends upstream and copies back:
 * the allow-listed request headers plus the API family's injected credential, the origin the client reached
 * the proxy at, and the upstream response headers that still describe the body the proxy sends.
 */
import type { Config } from "../config/schema.js";
import { clientHeaders, upstreamHeaders, type HeaderMap } from "../upstream/headers.js";
import type { UpstreamResponse } from "../upstream/client.js";
import { passedBoundary } from "./boundary.js";
import type { AppRequest } from "./types.js";

/** Response headers that no longer describe the body the proxy sends. */
const STALE_RESPONSE_HEADERS = [
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "connection",
  "keep-alive",
];

/**
 * Upstream request headers: the caller's allow-listed ones (src/upstream/headers.ts; never the proxy token,
 * cookies or custom headers), plus the injected credential of the API family — only for a request that
 * passed the Origin check (src/server/boundary.ts), so no foreign web page ever drives the user's key.
 */
export function upstreamRequestHeaders(
  request: AppRequest,
  config: Config,
  flavour: "openai" | "anthropic",
): HeaderMap {
  const headers = upstreamHeaders(request.headers, { proxyToken: config.proxyToken });
  headers["accept-encoding"] = "identity";
  if (!passedBoundary(request)) return headers;
  if (flavour === "openai" && config.upstreamApiKey !== undefined)
    headers.authorization = `Bearer ${config.upstreamApiKey}`;
  if (flavour === "anthropic" && config.anthropicApiKey !== undefined) {
    headers["x-api-key"] = config.anthropicApiKey;
    delete headers.authorization;
  }
  return headers;
}

/** The origin the client reached the proxy at (the Host it sent passed the host check). */
export function proxyOrigin(request: AppRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Response headers to copy to the client: no stale, hop-by-hop, cookie or CORS header of the upstream. */
export function clientResponseHeaders(res: UpstreamResponse): HeaderMap {
  return clientHeaders(res.headers, STALE_RESPONSE_HEADERS);
}
