/**
 * Header hygiene for forwarding. Hop-by-hop headers (RFC 9110 §7.6.1: Connection and every header it names,
 * Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade; Proxy-Authenticate and
 * Proxy-Authorization per RFC 9110 §11.7) are never forwarded, nor the proxy's own `x-memprivacy-*` headers.
 */
import type { IncomingHttpHeaders } from "node:http";

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

export type HeaderMap = Record<string, string | string[]>;

/** Copies headers without hop-by-hop ones, those named in `Connection`, `omit`, and `x-memprivacy-*`. */
export function forwardableHeaders(
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>,
  omit: readonly string[] = [],
): HeaderMap {
  const named = new Set<string>(omit.map((h) => h.toLowerCase()));
  const connection = headers.connection;
  const listed = Array.isArray(connection) ? connection.join(",") : (connection ?? "");
  for (const token of listed.split(",")) {
    const name = token.trim().toLowerCase();
    if (name !== "") named.add(name);
  }
  const out: HeaderMap = {};
  for (const [rawName, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name) || name.startsWith("x-memprivacy-")) continue;
    out[name] = value;
  }
  return out;
}
