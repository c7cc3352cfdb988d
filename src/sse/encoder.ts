/**
 * SSE encoding: one event → its wire text. `event` and `id` may not hold CR or LF (that would let a value
 * inject fields); data is split into one `data:` line per line.
 */

import type { SseEvent } from "./events.js";

const NEWLINE = /[\r\n]/;

/** Encodes an event, ending with the blank line that dispatches it. Throws on CR/LF in `event` or `id`. */
export function encodeSseEvent(event: SseEvent): string {
  let out = "";
  if (event.event !== undefined) {
    if (NEWLINE.test(event.event)) throw new TypeError("SSE event name must not contain CR or LF");
    out += `event: ${event.event}\n`;
  }
  if (event.id !== undefined) {
    if (NEWLINE.test(event.id)) throw new TypeError("SSE id must not contain CR or LF");
    out += `id: ${event.id}\n`;
  }
  if (event.retry !== undefined) out += `retry: ${Math.max(0, Math.floor(event.retry))}\n`;
  const { data } = event;
  // Almost every data field is one line (JSON): skip the regex split then.
  if (data.indexOf("\n") === -1 && data.indexOf("\r") === -1) out += `data: ${data}\n`;
  else for (const line of data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}
