/**
 * The page's event-stream parser: the HTML standard's line and field rules, bounded like the proxy's own
 * decoders (src/sse). The page does not bundle src/sse itself: that would bring the server's whole error
 * catalogue into it.
 */

export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/** Longest line or event the page accepts (a traffic entry is well under 1 KiB). */
export const MAX_EVENT_CHARS = 64 * 1024;

/**
 * Incremental event-stream parser: push decoded text, get complete events. A line or an event longer than
 * `maxChars` throws (the connection is then dropped and opened again), so a misbehaving server cannot make
 * the tab buffer without bound.
 */
export class SseParser {
  readonly #max: number;
  #buffer = "";
  #data: string[] = [];
  #size = 0;
  #event = "";
  #id: string | undefined;

  constructor(maxChars: number = MAX_EVENT_CHARS) {
    this.#max = maxChars;
  }

  /** Feeds text; returns the events it completed. Throws when a line or an event grows past the cap. */
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
    if (this.#buffer.length > this.#max) throw new RangeError("event stream line over the limit");
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
      this.#size = 0;
      this.#event = "";
      return event;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") {
      this.#size += value.length + 1;
      if (this.#size > this.#max) throw new RangeError("event stream event over the limit");
      this.#data.push(value);
    } else if (field === "event") this.#event = value;
    else if (field === "id" && !value.includes("\0")) this.#id = value;
    return undefined;
  }
}
