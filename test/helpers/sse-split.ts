/**
 * Stream-splitting helpers for property tests: run an upstream SSE byte stream, cut at given offsets,
 * through a stream mapper exactly as the redacting route does (decode → map → encode), and list the
 * offsets worth cutting at (inside `data:`, inside placeholders, inside multi-byte UTF-8 characters).
 */
import type { StreamMapper } from "../../src/providers/shared/adapter.js";
import { decodeSse, type SseEvent } from "../../src/sse/events.js";
import { encodeSseEvent } from "../../src/sse/encoder.js";

/** The bytes as chunks cut at `cuts` (taken modulo length + 1, deduplicated). */
export function cutBytes(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(at, p));
    at = p;
  }
  chunks.push(bytes.subarray(at));
  return chunks;
}

/** What the proxy sends the client for this upstream stream cut at `cuts`. */
export async function mapWire(
  mapper: StreamMapper,
  bytes: Uint8Array,
  cuts: readonly number[],
): Promise<string> {
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const chunk of cutBytes(bytes, cuts)) yield chunk;
  }
  let wire = "";
  for await (const e of decodeSse(source(), 1 << 20))
    for (const out of mapper.map(e)) wire += encodeSseEvent(out);
  for (const out of mapper.end()) wire += encodeSseEvent(out);
  return wire;
}

/** Decodes a client wire back into events. */
export async function wireEvents(wire: string): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  async function* source(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(wire);
  }
  for await (const e of decodeSse(source(), 1 << 20)) out.push(e);
  return out;
}

/** Byte offsets inside `data:` field names, inside `<…>` placeholders and inside multi-byte characters. */
export function interestingCuts(bytes: Uint8Array): number[] {
  const out: number[] = [];
  const text = Buffer.from(bytes).toString("latin1");
  for (let i = text.indexOf("data:"); i !== -1; i = text.indexOf("data:", i + 1)) out.push(i + 2, i + 5);
  for (let i = text.indexOf("<"); i !== -1; i = text.indexOf("<", i + 1)) out.push(i + 1, i + 4);
  bytes.forEach((b, i) => {
    // continuation bytes: a cut here splits a character
    if ((b & 0xc0) === 0x80) out.push(i);
  });
  return out;
}
