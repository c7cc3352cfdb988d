/**
 * A real HTTP upstream on 127.0.0.1:0 that records every byte it receives and answers with whatever the
 * test scripts: JSON, SSE split into arbitrary chunks, errors, resets, hangs.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export type Handler = (req: Recorded, res: http.ServerResponse) => void | Promise<void>;

export interface MockUpstream {
  readonly url: string;
  readonly received: Recorded[];
  /** Everything received, as one string (to search for canaries). */
  allBytes(): string;
  handle(handler: Handler): void;
  close(): Promise<void>;
  /** Open sockets (leak checks). */
  connections(): Promise<number>;
}

/** Starts the mock upstream. */
export async function startMockUpstream(): Promise<MockUpstream> {
  const received: Recorded[] = [];
  let handler: Handler = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec: Recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(rec);
      Promise.resolve(handler(rec, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    allBytes: () => received.map((r) => `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`).join("\n"),
    handle(h) {
      handler = h;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    connections: () => new Promise((resolve) => server.getConnections((_e, n) => resolve(n))),
  };
}

/** Sends a JSON response. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Sends SSE bytes, split at the given byte offsets, with a tick between writes. */
export async function sendSse(
  res: http.ServerResponse,
  wire: string | Buffer,
  cuts: readonly number[] = [],
): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const bytes = Buffer.isBuffer(wire) ? wire : Buffer.from(wire, "utf8");
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= at || cut >= bytes.length) continue;
    res.write(bytes.subarray(at, cut));
    at = cut;
    await new Promise((r) => setImmediate(r));
  }
  res.end(bytes.subarray(at));
}

/** Encodes `data:` events (objects are JSON-encoded) followed by `[DONE]`. */
export function sseWire(events: readonly unknown[], done = true): string {
  const parts = events.map((e) => `data: ${typeof e === "string" ? e : JSON.stringify(e)}\n\n`);
  if (done) parts.push("data: [DONE]\n\n");
  return parts.join("");
}
