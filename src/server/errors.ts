/**
 * Maps every error to an API-shaped response from the catalogue (DESIGN §8): OpenAI shape by default,
 * Anthropic shape on Anthropic routes. Framework errors are translated to catalogue codes; nothing from an
 * exception message or a payload reaches the client.
 */
import { isProxyError, proxyError, type ProxyError } from "../errors/catalogue.js";

/** Translates fastify/undici/unknown errors to a catalogue error. */
export function toProxyError(err: unknown): ProxyError {
  if (isProxyError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return proxyError("PRX_REQ_TOO_LARGE", { cause: err });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return proxyError(
        code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? "PRX_REQ_UNSUPPORTED_MEDIA_TYPE" : "PRX_REQ_INVALID_BODY",
        { cause: err },
      );
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return proxyError("PRX_REQ_INVALID_JSON", { cause: err });
    default:
      break;
  }
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return proxyError(
      status === 415
        ? "PRX_REQ_UNSUPPORTED_MEDIA_TYPE"
        : status === 413
          ? "PRX_REQ_TOO_LARGE"
          : "PRX_REQ_INVALID_BODY",
      { cause: err },
    );
  }
  return proxyError("PRX_INTERNAL", { cause: err });
}

/** Anthropic error types by HTTP status (their documented `error.type` values). */
function anthropicType(status: number): string {
  if (status === 400 || status === 413 || status === 415)
    return status === 413 ? "request_too_large" : "invalid_request_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status === 503 || status === 529) return "overloaded_error";
  return "api_error";
}

/** Error body in the shape of the API the route imitates. */
export function errorBody(err: ProxyError, flavour: "openai" | "anthropic"): Record<string, unknown> {
  if (flavour === "anthropic") {
    return {
      type: "error",
      error: { type: anthropicType(err.status), message: err.message, code: err.code },
    };
  }
  return { error: { message: err.message, type: err.type, code: err.code, param: null } };
}
