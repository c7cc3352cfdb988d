/**
 * The browser boundary (README "Browser and network boundary", SECURITY.md): every web page the user opens
 * can send requests to the proxy, so before anything else a request must
 * 1. name a Host nobody else can point at us (host-check.ts: DNS rebinding) → else 421;
 * 2. come from no page at all (an SDK, curl: no `Origin`, no `Sec-Fetch-Site: cross-site`), from the proxy's
 *    own page (`Origin` equal to `http://<Host>`, where Host already passed step 1, so a rebinding page
 *    cannot be "same-origin"), or from an origin listed in `allowedOrigins` → else 403.
 * `OPTIONS` is always answered here and never reaches an upstream; CORS headers come only from here (for
 * allowed origins), never from an upstream, and no upstream `Set-Cookie` reaches the client.
 *
 * Requests that pass are marked (`passedBoundary`): injected upstream keys are only ever added to those.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Config } from "../config/schema.js";
import { proxyError } from "../errors/catalogue.js";
import { isAllowedHost } from "./host-check.js";
import type { AppReply, AppRequest } from "./types.js";

/**
 * Requests that passed the Host and Origin checks, with the CORS headers this module chose for them (a
 * WeakMap keyed by the raw request: nothing is added to fastify's objects, nothing outlives the request).
 */
const passed = new WeakMap<object, Record<string, string>>();

/** True when `request` went through {@link checkBoundary} and was admitted. */
export function passedBoundary(request: { raw: object }): boolean {
  return passed.has(request.raw);
}

/** Methods an allowed origin may use, and the headers it may send, in answers to its preflights. */
const CORS_METHODS = "GET, POST, DELETE, OPTIONS";
const CORS_HEADERS = [
  "authorization",
  "x-api-key",
  "content-type",
  "accept",
  "anthropic-version",
  "anthropic-beta",
  "openai-beta",
  "openai-organization",
  "openai-project",
  "idempotency-key",
  "x-memprivacy-token",
  "x-memprivacy-session",
  "x-memprivacy-user-name",
].join(", ");
/** Response headers an allowed origin's script may read (beyond the CORS-safelisted ones). */
const CORS_EXPOSE = "x-memprivacy-redacted, x-request-id, request-id, retry-after";

/** A comma list of header names (RFC 9110 tokens), as `Access-Control-Request-Headers` carries it. */
const HEADER_LIST_RE = /^[!#$%&'*+.^_`|~0-9a-z-]+(?:\s*,\s*[!#$%&'*+.^_`|~0-9a-z-]+)*$/i;

/**
 * The headers a listed origin's preflight asks for, when well-formed: SDKs running in a browser add their
 * own (`x-stainless-*`, `anthropic-dangerous-direct-browser-access`). Granting them lets the browser send
 * them; the upstream allow-list still drops them.
 */
function requestedHeaders(headers: IncomingHttpHeaders): string | undefined {
  const asked = single(headers["access-control-request-headers"])?.trim();
  return asked !== undefined && asked.length <= 2048 && HEADER_LIST_RE.test(asked) ? asked : undefined;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `scheme://host[:port]` of an Origin value in its serialised form, or undefined when it is not one. */
export function normaliseOrigin(value: string): string | undefined {
  if (value === "null" || !/^https?:\/\/[^/?#\s@]+$/i.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.origin;
  } catch {
    return undefined;
  }
}

/** The origin a same-origin page of the proxy has: the scheme the client used and the Host it sent. */
export function ownOrigin(protocol: string, host: string): string | undefined {
  return normaliseOrigin(`${protocol}://${host}`);
}

/** Whether an Origin is listed in `allowedOrigins` (exact origins, compared in serialised form). */
export function isListedOrigin(origin: string, allowed: readonly string[]): boolean {
  const normal = normaliseOrigin(origin);
  return normal !== undefined && allowed.some((a) => normaliseOrigin(a.trim()) === normal);
}

/** How a request relates to the browser: no page, the proxy's own page, a listed origin, or refused. */
export type OriginVerdict = "no-page" | "same-origin" | "listed" | "refused";

/**
 * Classifies a request by its `Origin` and `Sec-Fetch-Site` headers. A listed origin is admitted even
 * though its requests say `cross-site` (that is what listing it is for); any other request that a browser
 * marks `cross-site` or `same-site` is refused even without an Origin (a `<script src>` or `<img>` GET); an
 * Origin that is neither ours nor listed — `null` included — is refused.
 */
export function classifyOrigin(
  headers: IncomingHttpHeaders,
  protocol: string,
  allowed: readonly string[],
): OriginVerdict {
  const origin = single(headers.origin);
  const site = single(headers["sec-fetch-site"])?.trim().toLowerCase();
  if (origin !== undefined && isListedOrigin(origin, allowed)) return "listed";
  // Only the proxy's own page (`same-origin`) and the user's own navigation (`none`) are not another page;
  // `same-site` is another origin on this host (a dev server on another port of localhost).
  if (site !== undefined && site !== "same-origin" && site !== "none") return "refused";
  if (origin === undefined) return "no-page";
  const host = single(headers.host);
  const own = host === undefined ? undefined : ownOrigin(protocol, host);
  return own !== undefined && normaliseOrigin(origin) === own ? "same-origin" : "refused";
}

/**
 * True for an origin-form request target (RFC 9112 §3.2.1): `/path[?query]`. Absolute-form
 * (`http://host/path`, meant for forward proxies), asterisk-form (`OPTIONS *`), a target that starts with
 * `//` (read as a network path by URL parsers) or holds a `#` are refused with 400.
 */
export function isOriginFormTarget(url: string | undefined): boolean {
  return url !== undefined && url.startsWith("/") && !url.startsWith("//") && !url.includes("#");
}

/** True when the raw request holds exactly one Host header (Node keeps the first of several silently). */
function hasOneHost(rawHeaders: readonly string[]): boolean {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]?.toLowerCase() === "host") count++;
  return count <= 1;
}

/** Verdicts on Host values already seen, per configuration (clients send the same few over and over). */
const hostVerdicts = new WeakMap<Config, Map<string, boolean>>();
const MAX_HOST_VERDICTS = 256;

function hostAllowed(config: Config, host: string | undefined): boolean {
  if (host === undefined) return false;
  let seen = hostVerdicts.get(config);
  if (seen === undefined) hostVerdicts.set(config, (seen = new Map<string, boolean>()));
  const known = seen.get(host);
  if (known !== undefined) return known;
  const verdict = isAllowedHost(config.host, host, config.allowedHosts);
  // Bounded: a client cycling through made-up Hosts only ever costs the parse.
  if (seen.size < MAX_HOST_VERDICTS) seen.set(host, verdict);
  return verdict;
}

/**
 * The onRequest check: Host (421), then Origin (403). Marks admitted requests, and answers `OPTIONS` itself
 * (returns true when it replied: the caller stops there). Throws catalogue errors.
 */
export function checkBoundary(config: Config, request: AppRequest, reply: AppReply): boolean {
  const headers = request.headers;
  if (!hasOneHost(request.raw.rawHeaders) || !hostAllowed(config, headers.host))
    throw proxyError("PRX_REQ_BAD_HOST");
  const verdict = classifyOrigin(headers, request.protocol, config.allowedOrigins);
  if (verdict === "refused") throw proxyError("PRX_REQ_FOREIGN_ORIGIN");
  const origin = single(headers.origin);
  const cors: Record<string, string> = {};
  if (verdict === "listed" && origin !== undefined) {
    cors["access-control-allow-origin"] = normaliseOrigin(origin) ?? "null";
    cors["access-control-expose-headers"] = CORS_EXPOSE;
    if (request.method === "OPTIONS") {
      cors["access-control-allow-methods"] = CORS_METHODS;
      cors["access-control-allow-headers"] = requestedHeaders(headers) ?? CORS_HEADERS;
      cors["access-control-max-age"] = "600";
    }
  }
  passed.set(request.raw, cors);
  if (request.method !== "OPTIONS") return false;
  reply.header("allow", CORS_METHODS);
  void reply.code(204).send();
  return true;
}

/**
 * The onSend guard: whatever a route copied from an upstream, no `Set-Cookie` and no `access-control-*`
 * header reaches the client, except the CORS headers {@link checkBoundary} chose for a listed origin.
 */
export function guardResponseHeaders(
  request: { raw: object; headers: IncomingHttpHeaders },
  reply: AppReply,
): void {
  reply.removeHeader("set-cookie");
  for (const name of Object.keys(reply.getHeaders())) {
    if (name.toLowerCase().startsWith("access-control-")) reply.removeHeader(name);
  }
  const cors = passed.get(request.raw);
  if (cors !== undefined) for (const [name, value] of Object.entries(cors)) reply.header(name, value);
  // Caches must not serve one origin's answer to another (kept beside whatever Vary the upstream sent).
  if (request.headers.origin !== undefined) {
    const vary = reply.getHeader("vary");
    const list = Array.isArray(vary) ? vary.join(", ") : vary === undefined ? "" : String(vary);
    if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(list))
      reply.header("vary", list === "" ? "Origin" : `${list}, Origin`);
  }
}
