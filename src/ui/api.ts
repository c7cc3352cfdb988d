/**
 * Calls from the page to the proxy: the playground's redact/restore in its own scope (session
 * `playground`, no Authorization, so never an agent's scope), the status, and the traffic stream.
 * The proxy token, when the page was opened with `?token=`, is sent as `x-memprivacy-token` on every call.
 */
import type { WireSpan } from "./segments.js";

/** Session header value of the playground scope (the server's `PLAYGROUND_SESSION`). */
export const PLAYGROUND_SESSION = "playground";

const TOKEN = new URLSearchParams(location.search).get("token");

/** Headers of every call the page makes. */
export function apiHeaders(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...(TOKEN === null || TOKEN === "" ? {} : { "x-memprivacy-token": TOKEN }), ...extra };
}

/** An error answered by the proxy: its HTTP status and the catalogue's message and code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, message: string, code: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

async function failure(res: Response): Promise<ApiError> {
  let message = `The proxy answered ${res.status}.`;
  let code = "";
  try {
    const body = (await res.json()) as { error?: { message?: unknown; code?: unknown } };
    if (typeof body.error?.message === "string") message = body.error.message;
    if (typeof body.error?.code === "string") code = body.error.code;
  } catch {
    // not JSON: keep the generic message
  }
  if (res.status === 401)
    message = "This proxy needs its token: open the page as /?token=<your proxy token>.";
  return new ApiError(res.status, message, code);
}

async function postJson<T>(path: string, body: unknown, signal: AbortSignal): Promise<T> {
  const res = await fetch(path, {
    method: "POST",
    headers: apiHeaders({ "content-type": "application/json", "x-memprivacy-session": PLAYGROUND_SESSION }),
    body: JSON.stringify(body),
    signal,
    cache: "no-store",
  });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export type Mode = "type_specific" | "generic" | "complete";

export interface RedactQuery {
  readonly text: string;
  readonly userName: string;
  readonly levels: readonly string[];
  readonly mode: Mode;
}

export interface RedactResult {
  readonly text: string;
  readonly spans: readonly WireSpan[];
}

/** `POST /v1/redact` in the playground scope. */
export function redact(query: RedactQuery, signal: AbortSignal): Promise<RedactResult> {
  return postJson<RedactResult>(
    "/v1/redact",
    {
      text: query.text,
      levels: query.levels.length === 0 ? "none" : query.levels.join(","),
      mode: query.mode,
      ...(query.userName.trim() === "" ? {} : { user_name: query.userName.trim() }),
    },
    signal,
  );
}

/** `POST /v1/restore` in the playground scope. */
export async function restore(text: string, signal: AbortSignal): Promise<string> {
  const result = await postJson<{ text: string }>("/v1/restore", { text }, signal);
  return result.text;
}

/** What `GET /v1/memprivacy/status` answers. */
export interface StatusWire {
  readonly version: string;
  readonly startedAt: string;
  readonly uptimeSeconds: number;
  readonly detector: {
    readonly kind: string;
    readonly id: string;
    readonly ready: boolean;
    readonly details: Readonly<Record<string, string | number | boolean>>;
  };
  readonly policy: { readonly levels: readonly string[]; readonly mode: string };
  readonly vault: {
    readonly kind: string;
    readonly scope: string;
    readonly entries: number;
    readonly genericEntries: number;
    readonly byLevel: Readonly<Record<string, number>>;
    readonly byType: Readonly<Record<string, number>>;
  };
}

/** `GET /v1/memprivacy/status`. */
export async function fetchStatus(signal: AbortSignal): Promise<StatusWire> {
  const res = await fetch("/v1/memprivacy/status", { headers: apiHeaders(), signal, cache: "no-store" });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as StatusWire;
}

/** One entry of the traffic stream (counts and timings only). */
export interface TrafficWire {
  readonly id: number;
  readonly time: string;
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly upstreamStatus: number | null;
  readonly spans: { readonly PL2: number; readonly PL3: number; readonly PL4: number };
  readonly redactionMs: number | null;
  readonly upstreamMs: number | null;
  readonly totalMs: number;
  readonly streamed: boolean;
}
