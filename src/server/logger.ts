/**
 * The logger: pino with redaction paths fixed at start-up (never taken from input). Request logging is our
 * own (one line per request with route, status, timings and span counts) so that no URL query, header or
 * body can reach a log line by default.
 */
import { pino, type DestinationStream, type Logger } from "pino";

/** Paths censored wherever they appear in a logged object, whatever the caller passes. */
export const REDACT_PATHS: readonly string[] = [
  "headers.authorization",
  "headers['x-api-key']",
  "headers.cookie",
  "headers['x-memprivacy-token']",
  "req.headers.authorization",
  "req.headers['x-api-key']",
  "req.headers.cookie",
  "authorization",
  "apiKey",
  "token",
  "password",
  "body",
  "text",
  "value",
  "values",
];

/** Creates the process logger; `destination` lets tests read every line. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "memprivacy" },
    redact: { paths: [...REDACT_PATHS], censor: "[censored]" },
    serializers: { err: serializeError },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** What a log line holds of an error: its class, code, value-free detail and the classes of its causes. */
export interface LoggedError {
  type: string;
  code?: string;
  detail?: string;
  cause?: string[];
}

/** Errors are logged by class, code and value-free detail only: messages of foreign errors may hold data. */
export function serializeError(err: unknown): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err };
  const out: LoggedError = { type: err.name };
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") out.code = code;
  const detail = (err as { detail?: unknown }).detail;
  if (typeof detail === "string") out.detail = detail;
  let cause: unknown = err.cause;
  const chain: string[] = [];
  while (cause instanceof Error && chain.length < 4) {
    const causeCode = (cause as { code?: unknown }).code;
    chain.push(typeof causeCode === "string" ? `${cause.name}:${causeCode}` : cause.name);
    cause = cause.cause;
  }
  if (chain.length > 0) out.cause = chain;
  return out;
}
