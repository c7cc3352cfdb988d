/**
 * The error body of each API family, for a catalogue error: one shape for JSON answers and for the final
 * error event of a stream, so a client parses both the same way.
 */
import type { ProxyError } from "./catalogue.js";

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

/** Error body in the shape of the API the route imitates (also the data of a stream's final error event). */
export function errorBody(err: ProxyError, flavour: "openai" | "anthropic"): Record<string, unknown> {
  if (flavour === "anthropic") {
    return {
      type: "error",
      error: { type: anthropicType(err.status), message: err.message, code: err.code },
    };
  }
  return { error: { message: err.message, type: err.type, code: err.code, param: null } };
}
