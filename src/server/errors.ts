/**
 * Maps every error to an API-shaped response from the catalogue (README "Bad input"), in the shape of the
 * API family that answers the path (src/providers/shared/family.ts). Framework errors are translated to
 * catalogue codes; nothing from an exception message or a payload reaches the client.
 */
import { isProxyError, proxyError, type ErrorCode, type ProxyError } from "../errors/catalogue.js";
import { DEFAULT_FAMILY } from "../providers/families.js";
import type { ApiFamily } from "../providers/shared/family.js";
import type { Metrics } from "./metrics.js";
import type { AppReply, AppRequest } from "./types.js";

/**
 * A fastify error handler: the catalogue error logged (its code and class, never a message of the cause)
 * and sent as the family's error body; detector failures counted.
 */
export function errorHandler(
  familyOf: (url: string) => ApiFamily,
  metrics: Metrics,
): (err: unknown, request: AppRequest, reply: AppReply) => AppReply {
  return (err, request, reply) => {
    const perr = toProxyError(err);
    const level = perr.status >= 500 ? "error" : "info";
    request.log[level]({ err: perr }, "request failed");
    if (perr.code.startsWith("PRX_DETECT_")) metrics.detectorFailures.inc({ code: perr.code });
    return reply.code(perr.status).send(familyOf(request.url).errorBody(perr));
  };
}

/** Translates fastify/undici/unknown errors to a catalogue error. */
export function toProxyError(err: unknown): ProxyError {
  if (isProxyError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case "FST_ERR_BAD_URL":
    case "FST_ERR_MAX_PARAM_LENGTH":
      return proxyError("PRX_REQ_BAD_TARGET", { cause: err });
    case "FST_ERR_NOT_FOUND":
      return proxyError("PRX_ROUTE_NOT_FOUND", { cause: err });
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
    return proxyError(CLIENT_STATUS_CODES[status] ?? "PRX_REQ_INVALID_BODY", { cause: err });
  }
  return proxyError("PRX_INTERNAL", { cause: err });
}

/** Catalogue codes for the 4xx statuses the framework and Node's parser use. */
const CLIENT_STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  404: "PRX_ROUTE_NOT_FOUND",
  405: "PRX_ROUTE_METHOD_NOT_ALLOWED",
  413: "PRX_REQ_TOO_LARGE",
  414: "PRX_REQ_BAD_TARGET",
  415: "PRX_REQ_UNSUPPORTED_MEDIA_TYPE",
  431: "PRX_REQ_BAD_HEADER",
};

/**
 * The catalogue error for a fastify framework error (`frameworkErrors`: a URL that does not decode, a
 * parameter over the length limit, a failing route constraint). Never echoes the URL.
 */
export function frameworkError(err: unknown): ProxyError {
  const perr = toProxyError(err);
  // A framework error before routing is about the target, never the body.
  return perr.code === "PRX_REQ_INVALID_BODY" ? proxyError("PRX_REQ_BAD_TARGET", { cause: err }) : perr;
}

/**
 * A complete HTTP/1.1 response for a request Node could not parse (`clientErrorHandler`): 400, 413/431
 * for oversized heads, 408 for a timeout; a catalogue body in the default family's shape (no path was
 * parsed to choose another), `Connection: close`.
 */
export function rawErrorResponse(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  const perr =
    code === "HPE_HEADER_OVERFLOW"
      ? proxyError("PRX_REQ_BAD_HEADER", { cause: err })
      : proxyError("PRX_REQ_BAD_TARGET", { cause: err });
  const status = code === "HPE_HEADER_OVERFLOW" ? 431 : code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const reason =
    status === 431 ? "Request Header Fields Too Large" : status === 408 ? "Request Timeout" : "Bad Request";
  const body = JSON.stringify(DEFAULT_FAMILY.errorBody(perr));
  return (
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}
