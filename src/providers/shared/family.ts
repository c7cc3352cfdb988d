/**
 * The contract of an API family (OpenAI, Anthropic): one object that owns what every endpoint of one vendor
 * API shares — the paths it answers, its redacting endpoints, the upstream base URL, how an injected
 * credential is written, and the shape of its errors (the JSON body, also inside a stream's error event). The
 * server turns each family into one encapsulated fastify plugin (src/server/plugins/api-family.ts); see
 * docs/architecture.md, "How to add an API family".
 */
import type { Config } from "../../config/schema.js";
import type { ProxyError } from "../../errors/catalogue.js";
import type { HeaderMap } from "../../upstream/headers.js";
import type { ProtocolAdapter } from "./adapter.js";

/** A redacting endpoint: `POST path` (a `/v1/…` path; its unversioned form is served too). */
export interface Endpoint {
  readonly path: string;
  readonly adapter: ProtocolAdapter;
}

export interface ApiFamily {
  /** Stable lower-case id (`openai`, `anthropic`): log fields and metric labels, never a path. */
  readonly id: string;
  /**
   * The `/v1/…` path prefixes this family answers, each with everything below it (`/v1/messages` covers
   * `/v1/messages/batches/x`), and their unversioned forms (`/messages…`). Empty for the default family,
   * which answers every path no other family claims.
   */
  readonly paths: readonly string[];
  /** The redacting endpoints, each under one of `paths` (or anywhere, for the default family). */
  readonly endpoints: readonly Endpoint[];
  /** The upstream base URL (no trailing slash); a request goes to it plus its `/v1/…` path and query. */
  baseUrl(config: Config): string;
  /** Whether the configuration holds a credential this family injects into upstream requests. */
  injectsCredential(config: Config): boolean;
  /**
   * Writes the configured credential into upstream request headers, replacing the caller's; a no-op when
   * none is configured. Called only for a request the boundary admitted (src/server/boundary.ts).
   */
  injectCredential(headers: HeaderMap, config: Config): void;
  /**
   * The JSON error body of a catalogue error, in this API's shape (message, type and code from it); the
   * endpoints' stream mappers carry the same shape in a failed stream's final event.
   */
  errorBody(err: ProxyError): { readonly error: object };
}

/** Whether `path` is `prefix` itself or lies below it. */
function isAtOrBelow(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The path part of a request URL (no query, no fragment). */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** `/v1/chat/completions` → `/chat/completions`: where an SDK whose base URL lacks `/v1` sends it. */
export function unversionedPath(path: string): string {
  if (!path.startsWith("/v1/")) throw new TypeError("expected a /v1/ path");
  return path.slice(3);
}

/** Whether the family claims `url`'s path, with or without the `/v1` prefix (never for the default family). */
export function claimsPath(family: ApiFamily, url: string): boolean {
  const path = pathOf(url);
  return family.paths.some((p) => isAtOrBelow(path, p) || isAtOrBelow(path, unversionedPath(p)));
}
