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
 * Decodes an SSE byte stream into batches: the events completed by each chunk of bytes, together (a proxy
 * writes one batch at a time instead of paying a stream write per event). An event left without its
 * terminating blank line at the end of the stream is still delivered (lenient, like the official clients),
 * so no content is silently dropped.
 */
export async function* decodeSseBatches(
  source: AsyncIterable<Uint8Array>,
  maxEventChars: number,
): AsyncGenerator<SseEvent[]> {
  const lines = new LineDecoder(maxEventChars);
  const events = new EventDecoder(maxEventChars);
  const collect = (decoded: string[], batch: SseEvent[]): SseEvent[] => {
    for (const line of decoded) {
      const event = events.line(line);
      if (event !== undefined) batch.push(event);
    }
    return batch;
  };
  for await (const chunk of source) {
    const batch = collect(lines.push(chunk), []);
    if (batch.length > 0) yield batch;
  }
  const last = collect(lines.end(), []);
  const pending = events.flush();
  if (pending !== undefined) last.push(pending);
  if (last.length > 0) yield last;
}

/** Decodes an SSE byte stream into events, one at a time (see {@link decodeSseBatches}). */
export async function* decodeSse(
  source: AsyncIterable<Uint8Array>,
  maxEventChars: number,
): AsyncGenerator<SseEvent> {
  for await (const batch of decodeSseBatches(source, maxEventChars)) yield* batch;
}
