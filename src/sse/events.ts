/**
 * Layer 2 of SSE decoding: lines → events (the WHATWG event-stream rules: `data` lines joined by LF,
 * `event`, `id`, `retry`, comments skipped, a blank line dispatches). The size of one event is capped.
 */
import { proxyError } from "../errors/catalogue.js";
import { LineDecoder } from "./lines.js";

/** One server-sent event. `data` is the joined data lines. */
export interface SseEvent {
  readonly event?: string;
  readonly data: string;
  readonly id?: string;
  readonly retry?: number;
}

/** Assembles events from lines. */
export class EventDecoder {
  readonly #max: number;
  #data: string[] = [];
  #size = 0;
  #event: string | undefined;
  #id: string | undefined;
  #retry: number | undefined;
  #fields = false;

  constructor(maxEventChars: number) {
    this.#max = maxEventChars;
  }

  /** Feeds one line; returns an event when the line is blank and an event was pending. */
  line(line: string): SseEvent | undefined {
    if (line === "") return this.flush();
    if (line.startsWith(":")) return undefined;
    // Almost every line of an API's stream is `data: …`: read it without the general field split.
    if (line.startsWith("data:")) {
      this.#size += line.length;
      if (this.#size > this.#max) throw proxyError("PRX_STREAM_EVENT_TOO_LARGE");
      this.#data.push(line.charCodeAt(5) === 0x20 ? line.slice(6) : line.slice(5));
      this.#fields = true;
      return undefined;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    this.#size += line.length;
    if (this.#size > this.#max) throw proxyError("PRX_STREAM_EVENT_TOO_LARGE");
    switch (field) {
      case "data":
        this.#data.push(value);
        this.#fields = true;
        break;
      case "event":
        this.#event = value;
        this.#fields = true;
        break;
      case "id":
        if (!value.includes("\0")) this.#id = value;
        this.#fields = true;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        this.#fields = true;
        break;
      default:
        break;
    }
    return undefined;
  }

  /** Dispatches the pending event, if any (also used at end of stream). */
  flush(): SseEvent | undefined {
    if (!this.#fields) return undefined;
    const data = this.#data.length === 1 ? (this.#data[0] as string) : this.#data.join("\n");
    const event: { data: string; event?: string; id?: string; retry?: number } = { data };
    if (this.#event !== undefined) event.event = this.#event;
    if (this.#id !== undefined) event.id = this.#id;
    if (this.#retry !== undefined) event.retry = this.#retry;
    this.#data = [];
    this.#size = 0;
    this.#event = undefined;
    this.#id = undefined;
    this.#retry = undefined;
    this.#fields = false;
    return event;
  }
}

/**
 * Bytes → events, synchronously: each chunk of bytes gives the events it completes, together (a proxy writes
 * one batch at a time instead of paying a stream write per event). At the end, an event left without its
 * terminating blank line is still delivered (lenient, like the official clients), so no content is silently
 * dropped.
 */
export class SseDecoder {
  readonly #lines: LineDecoder;
  readonly #events: EventDecoder;

  constructor(maxEventChars: number) {
    this.#lines = new LineDecoder(maxEventChars);
    this.#events = new EventDecoder(maxEventChars);
  }

  /** The events completed by `bytes` (often none). */
  push(bytes: Uint8Array): SseEvent[] {
    return this.#collect(this.#lines.push(bytes));
  }

  /** The events the end of the stream completes. */
  end(): SseEvent[] {
    const last = this.#collect(this.#lines.end());
    const pending = this.#events.flush();
    if (pending !== undefined) last.push(pending);
    return last;
  }

  #collect(lines: readonly string[]): SseEvent[] {
    const batch: SseEvent[] = [];
    for (const line of lines) {
      const event = this.#events.line(line);
      if (event !== undefined) batch.push(event);
    }
    return batch;
  }
}

/** Decodes an SSE byte stream into events, one at a time (see {@link SseDecoder}). */
export async function* decodeSse(
  source: AsyncIterable<Uint8Array>,
  maxEventChars: number,
): AsyncGenerator<SseEvent> {
  const decoder = new SseDecoder(maxEventChars);
  for await (const chunk of source) yield* decoder.push(chunk);
  yield* decoder.end();
}
