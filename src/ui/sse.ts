/**
 * Server-sent events read with `fetch` (so the proxy token travels in a header, which `EventSource` cannot
 * send), parsed by `SseParser` (./sse-parser.ts), with a connection that reconnects with back-off, resumes
 * after the last event id and gives up on a silent server after a watchdog interval.
 */
import { SseParser, type SseEvent } from "./sse-parser.js";

export type StreamState = "connecting" | "live" | "retrying" | "closed";

export interface StreamOptions {
  readonly url: string;
  readonly headers: () => Record<string, string>;
  readonly onEvent: (event: SseEvent) => void;
  readonly onState: (state: StreamState, detail?: string) => void;
  /** Reconnect when nothing (not even a heartbeat) arrived for this long; default 45 s. */
  readonly watchdogMs?: number;
}

/** Opens the stream and keeps it open until the returned function is called. */
export function openEventStream(options: StreamOptions): () => void {
  let stopped = false;
  let lastId: string | undefined;
  let failures = 0;
  let controller: AbortController | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const watchdogMs = options.watchdogMs ?? 45_000;

  const connect = async (): Promise<void> => {
    controller = new AbortController();
    const ctl = controller;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const feed = (): void => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => ctl.abort(), watchdogMs);
    };
    options.onState("connecting");
    try {
      const headers = options.headers();
      if (lastId !== undefined) headers["last-event-id"] = lastId;
      const res = await fetch(options.url, { headers, signal: ctl.signal, cache: "no-store" });
      if (!res.ok || res.body === null) throw new Error(res.status === 401 ? "token" : `HTTP ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      feed();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        feed();
        for (const event of parser.push(value)) {
          if (event.id !== undefined) lastId = event.id;
          if (event.event === "ready") {
            failures = 0;
            options.onState("live");
          } else {
            options.onEvent(event);
          }
        }
      }
    } catch (err) {
      if (stopped) return;
      if (err instanceof Error && err.message === "token") {
        options.onState("closed", "token");
        return;
      }
    } finally {
      clearTimeout(watchdog);
    }
    if (stopped) return;
    failures++;
    const delay = Math.min(10_000, 500 * 2 ** Math.min(failures, 5));
    options.onState("retrying");
    retryTimer = setTimeout(() => void connect(), delay);
  };

  void connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    controller?.abort();
    options.onState("closed");
  };
}
