/**
 * Layer 1 of SSE decoding: bytes → text lines. UTF-8 is decoded in streaming mode (a character split across
 * chunks is kept whole); CR, LF and CRLF end lines, also when the CR and LF arrive in different chunks.
 * A line longer than the cap throws: an upstream cannot make the proxy buffer without bound.
 */
import { proxyError } from "../errors/catalogue.js";

/** Splits a byte stream into lines. */
export class LineDecoder {
  readonly #decoder = new TextDecoder("utf-8");
  readonly #maxLine: number;
  #partial = "";
  #skipLf = false;

  constructor(maxLineChars: number) {
    this.#maxLine = maxLineChars;
  }

  /** Feeds bytes; returns the lines completed by them. */
  push(bytes: Uint8Array): string[] {
    return this.#split(this.#decoder.decode(bytes, { stream: true }));
  }

  /** Ends the stream; returns a last unterminated line, if any. */
  end(): string[] {
    const lines = this.#split(this.#decoder.decode());
    if (this.#partial.length > 0) lines.push(this.#partial);
    this.#partial = "";
    return lines;
  }

  #split(text: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a && this.#skipLf && i === start) {
        this.#skipLf = false;
        start = i + 1;
        continue;
      }
      this.#skipLf = false;
      if (c === 0x0d || c === 0x0a) {
        lines.push(this.#partial + text.slice(start, i));
        this.#partial = "";
        start = i + 1;
        if (c === 0x0d) this.#skipLf = true;
      }
    }
    this.#partial += text.slice(start);
    if (this.#partial.length > this.#maxLine) throw proxyError("PRX_STREAM_EVENT_TOO_LARGE");
    return lines;
  }
}
