/**
 * Which API a request path belongs to, in both the forms SDKs use: with the `/v1` prefix
 * (`/v1/messages`, as the Anthropic SDK sends it) and without it (`/messages`, as the Vercel AI SDK's
 * Anthropic provider sends it when ANTHROPIC_BASE_URL has no `/v1`; `/chat/completions` when an OpenAI
 * client's base URL lacks `/v1`). Errors on Anthropic paths are Anthropic-shaped in both forms.
 */
import type { ProtocolAdapter } from "../providers/shared/adapter.js";

export type ApiFlavour = "openai" | "anthropic";

/** The path part of a request URL (no query, no fragment). */
function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** Whether `path` is `prefix` itself or lies below it. */
function isAtOrBelow(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** `anthropic` for Anthropic Messages paths (`/v1/messages…` or `/messages…`), else `openai`. */
export function apiFlavourOf(url: string): ApiFlavour {
  const path = pathOf(url);
  return isAtOrBelow(path, "/v1/messages") || isAtOrBelow(path, "/messages") ? "anthropic" : "openai";
}

/** `/v1/chat/completions` → `/chat/completions`: where an SDK whose base URL lacks `/v1` sends it. */
export function unversionedPath(path: string): string {
  if (!path.startsWith("/v1/")) throw new TypeError("expected a /v1/ path");
  return path.slice(3);
}

/**
 * The same adapter for the unversioned path: the request still goes to the upstream's `/v1/…` route
 * (the redacting route forwards `upstreamBase + request.url`).
 */
export function forUnversionedPath(adapter: ProtocolAdapter): ProtocolAdapter {
  return { ...adapter, upstreamBase: (config) => `${adapter.upstreamBase(config)}/v1` };
}
