/**
 * What every forwarding route (the redacting ones, the batch routes, the passthrough) sends upstream and
 * copies back: the allow-listed request headers plus the API family's injected credential, the origin the
 * client reached the proxy at, and the upstream response headers that still describe the body sent.
 */
import type { Config } from "../config/schema.js";
import type { ApiFamily } from "../providers/shared/family.js";
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
 * cookies or custom headers) plus `extra` (the body's own headers where a body is forwarded as it is), and
 * the family's injected credential — only for a request that passed the Origin check
 * (src/server/boundary.ts), so no foreign web page ever drives the user's key. `identity` asks for an
 * uncompressed answer, for the routes that read and restore it.
 */
export function upstreamRequestHeaders(
  request: AppRequest,
  config: Config,
  family: ApiFamily,
  options: { readonly identity: boolean; readonly extra?: readonly string[] },
): HeaderMap {
  const headers = upstreamHeaders(request.headers, {
    proxyToken: config.proxyToken,
    ...(options.extra === undefined ? {} : { extra: options.extra }),
  });
  if (options.identity) headers["accept-encoding"] = "identity";
  if (passedBoundary(request)) family.injectCredential(headers, config);
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
