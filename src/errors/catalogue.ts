/**
 * The one catalogue of errors (`PRX_<AREA>_<WHAT>`). Each has an HTTP status, an OpenAI-style `type` and a
 * fixed message. Client-facing messages come from here only, never from a payload or an exception message;
 * the original error travels as `cause` for logs (which print its class and code, never its message).
 */

export interface ErrorSpec {
  readonly status: number;
  /** OpenAI error `type` (the Anthropic family maps the status instead, src/providers/anthropic/errors.ts). */
  readonly type: string;
  readonly message: string;
}

export const ERRORS = {
  PRX_REQ_INVALID_JSON: {
    status: 400,
    type: "invalid_request_error",
    message: "The request body is not valid JSON.",
  },
  PRX_REQ_INVALID_BODY: {
    status: 400,
    type: "invalid_request_error",
    message: "The request body does not match the expected schema.",
  },
  PRX_REQ_TOO_LARGE: {
    status: 413,
    type: "invalid_request_error",
    message: "The request body is larger than the configured limit.",
  },
  PRX_REQ_TOO_DEEP: {
    status: 400,
    type: "invalid_request_error",
    message: "The request body is nested too deeply or has too many elements.",
  },
  PRX_REQ_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    type: "invalid_request_error",
    message: "The request content type must be application/json.",
  },
  PRX_REQ_UNSUPPORTED_ENCODING: {
    status: 415,
    type: "invalid_request_error",
    message: "The request Content-Encoding must be gzip, deflate, br or identity.",
  },
  PRX_REQ_BAD_ENCODING: {
    status: 400,
    type: "invalid_request_error",
    message: "The request body could not be decompressed as its Content-Encoding says.",
  },
  PRX_REQ_BAD_HEADER: {
    status: 400,
    type: "invalid_request_error",
    message: "A request header has an invalid value.",
  },
  PRX_REQ_BAD_HOST: {
    status: 421,
    type: "invalid_request_error",
    message: "This Host is not served here (add it to allowedHosts to accept it).",
  },
  PRX_REQ_FOREIGN_ORIGIN: {
    status: 403,
    type: "permission_error",
    message:
      "Requests from other web origins are refused (add the origin to allowedOrigins, MEMPRIVACY_ALLOWED_ORIGINS, to accept it).",
  },
  PRX_REQ_BAD_TARGET: {
    status: 400,
    type: "invalid_request_error",
    message: "The request target is not a valid path for this server.",
  },
  PRX_REQ_CLIENT_CLOSED: {
    status: 499,
    type: "invalid_request_error",
    message: "The client closed the request.",
  },
  PRX_AUTH_MISSING_TOKEN: {
    status: 401,
    type: "authentication_error",
    message: "A valid proxy token is required (header x-memprivacy-token or Authorization).",
  },
  PRX_ROUTE_NOT_FOUND: { status: 404, type: "invalid_request_error", message: "Unknown route." },
  PRX_ROUTE_NOT_REDACTED: {
    status: 403,
    type: "invalid_request_error",
    message:
      "The proxy does not redact this route, so it does not forward its request body. If your client meant a model API, check its base URL: OpenAI clients use http://HOST:PORT/v1 (OPENAI_BASE_URL), Anthropic clients http://HOST:PORT (ANTHROPIC_BASE_URL), with the proxy's address; `memprivacy env` prints both.",
  },
  PRX_ROUTE_METHOD_NOT_ALLOWED: {
    status: 405,
    type: "invalid_request_error",
    message: "Method not allowed.",
  },
  PRX_DETECT_FAILED: {
    status: 503,
    type: "server_error",
    message: "Private-data detection failed; the request was not forwarded.",
  },
  PRX_DETECT_TIMEOUT: {
    status: 503,
    type: "server_error",
    message: "Private-data detection timed out; the request was not forwarded.",
  },
  PRX_DETECT_OVERLOADED: {
    status: 503,
    type: "server_error",
    message: "The detector queue is full; the request was not forwarded. Retry later.",
  },
  PRX_DETECT_ABORTED: {
    status: 499,
    type: "server_error",
    message: "The client went away during detection.",
  },
  PRX_DETECT_WORK_LIMIT: {
    status: 413,
    type: "invalid_request_error",
    message:
      "The texts of this request need more model work than one request may use (modelMaxRequestTokens, MEMPRIVACY_MODEL_MAX_REQUEST_TOKENS); the request was not forwarded. Raise the limit or send fewer roles to the model (modelRoles).",
  },
  PRX_VAULT_FAILED: {
    status: 503,
    type: "server_error",
    message: "The placeholder vault is unavailable; the request was not forwarded.",
  },
  PRX_VAULT_BAD_KEY: {
    status: 500,
    type: "server_error",
    message: "The vault key does not open this vault (wrong MEMPRIVACY_VAULT_KEY or key file).",
  },
  PRX_VAULT_KEY_PERMISSIONS: {
    status: 500,
    type: "server_error",
    message: "The vault key file is readable by other users; run chmod 600 on it.",
  },
  PRX_VAULT_UNSAFE_PATH: {
    status: 500,
    type: "server_error",
    message:
      "The data directory, vault key file or database is not safe: each must belong to the user running the proxy and not be a symbolic link, the directory not writable by group or others (chmod 700), the key file and database not readable or writable by them (chmod 600).",
  },
  PRX_VAULT_KEY_INVALID: {
    status: 500,
    type: "server_error",
    message: "The vault key must be 32 bytes given as 64 hex characters or base64.",
  },
  PRX_VAULT_EXPORT_FAILED: {
    status: 500,
    type: "server_error",
    message: "The vault export could not be written.",
  },
  PRX_UPSTREAM_UNREACHABLE: {
    status: 502,
    type: "server_error",
    message: "The upstream API could not be reached.",
  },
  PRX_UPSTREAM_BAD_RESPONSE: {
    status: 502,
    type: "server_error",
    message: "The upstream API sent a response the proxy could not read.",
  },
  PRX_UPSTREAM_UNAVAILABLE: {
    status: 503,
    type: "server_error",
    message: "The upstream API is unavailable.",
  },
  PRX_UPSTREAM_TIMEOUT: { status: 504, type: "server_error", message: "The upstream API timed out." },
  PRX_STREAM_EVENT_TOO_LARGE: {
    status: 502,
    type: "server_error",
    message: "The upstream stream sent an event larger than the configured limit.",
  },
  PRX_STREAM_INTERRUPTED: {
    status: 502,
    type: "server_error",
    message: "The upstream stream ended unexpectedly.",
  },
  PRX_CONFIG_INVALID: { status: 500, type: "server_error", message: "The configuration is invalid." },
  PRX_CLI_ADDRESS_IN_USE: {
    status: 500,
    type: "server_error",
    message:
      "The configured address is in use by something that is not a MemPrivacy proxy; choose another --port.",
  },
  PRX_CLI_COMMAND_FAILED: {
    status: 500,
    type: "server_error",
    message: "The command could not be started.",
  },
  PRX_MODEL_NOT_FOUND: { status: 500, type: "server_error", message: "The model file was not found." },
  PRX_MODEL_LOAD_FAILED: { status: 500, type: "server_error", message: "The model could not be loaded." },
  PRX_MODEL_DOWNLOAD_FAILED: { status: 500, type: "server_error", message: "The model download failed." },
  PRX_MODEL_CHECKSUM_MISMATCH: {
    status: 500,
    type: "server_error",
    message: "A downloaded file does not match its expected size or checksum.",
  },
  PRX_MODEL_CONVERT_FAILED: {
    status: 500,
    type: "server_error",
    message: "The model could not be converted to GGUF.",
  },
  PRX_MODEL_ROPE_SCALING_UNSUPPORTED: {
    status: 500,
    type: "server_error",
    message:
      "The checkpoint's config.json sets rope_scaling, which the GGUF converter does not implement; the model was not converted.",
  },
  PRX_INTERNAL: { status: 500, type: "server_error", message: "Internal error." },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** An error from the catalogue. `message` is always the catalogue's; `detail` is for logs and is value-free. */
export class ProxyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  /** A value-free detail for logs and the CLI (for example a config key path); never a payload. */
  readonly detail: string | undefined;

  constructor(code: ErrorCode, options?: { cause?: unknown; detail?: string }) {
    const spec: ErrorSpec = ERRORS[code];
    super(spec.message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProxyError";
    this.code = code;
    this.status = spec.status;
    this.type = spec.type;
    this.detail = options?.detail;
  }
}

/** Creates a catalogue error. */
export function proxyError(code: ErrorCode, options?: { cause?: unknown; detail?: string }): ProxyError {
  return new ProxyError(code, options);
}

/** True when `err` is a catalogue error, optionally with the given code. */
export function isProxyError(err: unknown, code?: ErrorCode): err is ProxyError {
  return err instanceof ProxyError && (code === undefined || err.code === code);
}
