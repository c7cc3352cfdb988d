/**
 * Server-sent events read with `fetch` (so the proxy token travels in a header, which `EventSource` cannot
 * send): a line parser per the HTML standard's event-stream rules, and a connection that reconnects with
 * back-off, resumes after the last event id and gives up on a silent server after a watchdog interval.
 */

export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/** Incremental event-stream parser: push decoded text, get complete events. */
export class SseParser {
  #buffer = "";
  #data: string[] = [];
  #event = "";
  #id: string | undefined;

  /** Feeds text; returns the events it completed. */
  push(text: string): SseEvent[] {
    this.#buffer += text;
    const out: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      // A lone CR at the end may be the first half of CRLF: wait for more.
      if (match === null || (match[0] === "\r" && match.index === this.#buffer.length - 1)) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      const event = this.#line(line);
      if (event !== undefined) out.push(event);
    }
    return out;
  }

  #line(line: string): SseEvent | undefined {
    if (line === "") {
      if (this.#data.length === 0) {
        this.#event = "";
        return undefined;
      }
      const event = {
        event: this.#event === "" ? "message" : this.#event,
        data: this.#data.join("\n"),
        id: this.#id,
      };
      this.#data = [];
      this.#event = "";
      return event;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.#data.push(value);
    else if (field === "event") this.#event = value;
    else if (field === "id" && !value.includes("\0")) this.#id = value;
    return undefined;
  }
}

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
