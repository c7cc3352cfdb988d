/**
 * Header hygiene for forwarding, both ways.
 *
 * Requests go upstream with headers from an allow-list only (README "Headers sent upstream"): credentials,
 * content negotiation, API versions and betas, idempotency keys, organisation/project, `user-agent`. Anything
 * else — `Cookie` (other local apps set cookies for `localhost`), custom headers, the SDKs' `x-stainless-*`
 * telemetry (runtime, OS and architecture: fingerprinting, nothing the API needs), the proxy's own
 * `x-memprivacy-*` headers — stays here. Hop-by-hop headers (RFC 9110 §7.6.1: Connection and every header it
 * names, Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade; Proxy-Authenticate and
 * Proxy-Authorization per RFC 9110 §11.7) are never forwarded in either direction.
 *
 * Responses come back with the upstream's headers minus hop-by-hop ones and those that would act on the
 * proxy's own origin in a browser: `Set-Cookie`, `access-control-*` (CORS is decided by the proxy alone),
 * `Strict-Transport-Security`, `Alt-Svc`, `Clear-Site-Data`.
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

/** Request headers that may go upstream, by purpose (README "Headers sent upstream"). */
export const UPSTREAM_REQUEST_HEADERS: Readonly<Record<string, readonly string[]>> = {
  credentials: ["authorization", "x-api-key"],
  "content negotiation": [
    "accept",
    // The redacting routes replace it with `identity` (they must read the body); passthrough keeps it.
    "accept-encoding",
    "accept-language",
    "range",
    "if-match",
    "if-none-match",
    "if-modified-since",
    "if-unmodified-since",
    "if-range",
  ],
  "API versions and betas": ["anthropic-version", "anthropic-beta", "openai-beta"],
  "idempotency keys": ["idempotency-key"],
  "organisation and project": ["openai-organization", "openai-project"],
  client: ["user-agent"],
};

const ALLOWED_REQUEST: ReadonlySet<string> = new Set(Object.values(UPSTREAM_REQUEST_HEADERS).flat());
const BEARER_RE = /^bearer\s+/i;

/** Headers describing a request body: forwarded only where the body itself is (passthrough bodies). */
export const BODY_HEADERS: readonly string[] = ["content-type", "content-length", "content-encoding"];

/** Response headers never copied to the client (besides hop-by-hop ones). */
const BLOCKED_RESPONSE = new Set([
  "set-cookie",
  "set-cookie2",
  "strict-transport-security",
  "alt-svc",
  "clear-site-data",
]);

export type HeaderMap = Record<string, string | string[]>;

type AnyHeaders = IncomingHttpHeaders | Record<string, string | string[] | undefined>;

/** Names listed in `Connection` (lower-case), which are hop-by-hop for this message. */
function connectionNamed(headers: AnyHeaders): Set<string> | undefined {
  const connection = headers.connection;
  if (connection === undefined) return undefined;
  const listed = Array.isArray(connection) ? connection.join(",") : connection;
  let named: Set<string> | undefined;
  for (const token of listed.split(",")) {
    const name = token.trim().toLowerCase();
    // `keep-alive` and `close` are the usual values: they name no header worth tracking.
    if (name === "" || name === "keep-alive" || name === "close") continue;
    (named ??= new Set()).add(name);
  }
  return named;
}

/**
 * Copies `headers` with lower-case names, without hop-by-hop ones, those named in `Connection`, those in
 * `omit`, and those `blocked` refuses: the one filter both directions share.
 */
function copyHeaders(
  headers: AnyHeaders,
  omit: readonly string[],
  blocked: (name: string) => boolean,
): HeaderMap {
  const named = connectionNamed(headers);
  const omitted = omit.length === 0 ? undefined : omit.map((h) => h.toLowerCase());
  const out: HeaderMap = {};
  for (const rawName of Object.keys(headers)) {
    const value = headers[rawName];
    if (value === undefined) continue;
    const name = rawName.toLowerCase();
    if (HOP_BY_HOP.has(name) || named?.has(name) === true || blocked(name)) continue;
    if (omitted?.includes(name) === true) continue;
    out[name] = value;
  }
  return out;
}

/** The proxy's own headers: they configure this hop and never leave it. */
const isProxyOwn = (name: string): boolean => name.startsWith("x-memprivacy-");

/** Response headers the client never gets: the proxy's own, and those acting on its origin in a browser. */
const isWithheldResponse = (name: string): boolean =>
  BLOCKED_RESPONSE.has(name) || isProxyOwn(name) || name.startsWith("access-control-");

/** Copies headers without hop-by-hop ones, those named in `Connection`, `omit`, and `x-memprivacy-*`. */
export function forwardableHeaders(headers: AnyHeaders, omit: readonly string[] = []): HeaderMap {
  return copyHeaders(headers, omit, isProxyOwn);
}

/**
 * The request headers that may go upstream: those of the allow-list (plus `extra`, such as
 * {@link BODY_HEADERS} where a body is forwarded), never hop-by-hop ones, never a header named in
 * `Connection`, and never a credential header holding `proxyToken` (as `Bearer <token>` or bare).
 * `headers` and `extra` must have lower-case names, as Node gives them.
 */
export function upstreamHeaders(
  headers: AnyHeaders,
  options: { readonly extra?: readonly string[]; readonly proxyToken?: string | undefined } = {},
): HeaderMap {
  const named = connectionNamed(headers);
  const extra = options.extra;
  const out: HeaderMap = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined || !(ALLOWED_REQUEST.has(name) || extra?.includes(name) === true)) continue;
    if (named?.has(name) !== true) out[name] = value;
  }
  if (options.proxyToken !== undefined) dropProxyToken(out, options.proxyToken);
  return out;
}

/**
 * Removes `authorization` / `x-api-key` when a line of them carries the proxy's own token, bare or as
 * `Bearer <token>` (in either header: a client that mixes the forms up must not leak it): it is never
 * forwarded. A longer credential that merely contains the token is the caller's own.
 */
export function dropProxyToken(headers: HeaderMap, token: string): void {
  const holds = (value: string | string[] | undefined): boolean => {
    if (value === undefined) return false;
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => {
      if (!v.includes(token)) return false;
      const text = v.trim();
      return text === token || (BEARER_RE.test(text) && text.replace(BEARER_RE, "") === token);
    });
  };
  if (holds(headers.authorization)) delete headers.authorization;
  if (holds(headers["x-api-key"])) delete headers["x-api-key"];
}

/**
 * The upstream's response headers that may reach the client: without hop-by-hop ones, those named in
 * `Connection`, `omit`, `access-control-*` and the browser-state headers listed above.
 */
export function clientHeaders(headers: AnyHeaders, omit: readonly string[] = []): HeaderMap {
  return copyHeaders(headers, omit, isWithheldResponse);
}
