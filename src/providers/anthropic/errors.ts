/**
 * Anthropic's error shape for a catalogue error: `{ type: "error", error: { type, message, code } }`, the
 * same for a JSON answer and for the data of a stream's `error` event, so a client parses both one way.
 */
import type { ProxyError } from "../../errors/catalogue.js";

/** Anthropic error types by HTTP status (their documented `error.type` values). */
function anthropicType(status: number): string {
  if (status === 413) return "request_too_large";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status === 503 || status === 529) return "overloaded_error";
  if (status >= 400 && status < 500) return "invalid_request_error";
  return "api_error";
}

/** Anthropic's error object, as its API sends it (plus the catalogue `code`). */
export interface AnthropicErrorBody {
  readonly type: "error";
  readonly error: { readonly type: string; readonly message: string; readonly code: string };
}

/** The Anthropic error body of a catalogue error (`error.type` mapped from its status, `code` kept). */
export function anthropicErrorBody(err: ProxyError): AnthropicErrorBody {
  return { type: "error", error: { type: anthropicType(err.status), message: err.message, code: err.code } };
}
