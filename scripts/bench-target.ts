/**
 * One process of `npm run bench`, so that each target has a CPU of its own instead of sharing the load
 * generator's event loop: `upstream` (the mock OpenAI API, JSON or SSE) or `passthrough <upstream-url>`
 * (a plain fastify + undici proxy that pipes bytes) or `rewriting <upstream-url>` (the same stack parsing and
 * re-serialising every body and event, and nothing else). Prints `listening <url>` once ready.
 */
import http from "node:http";
import { pipeline, Transform } from "node:stream";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { createUpstreamClient } from "../src/upstream/client.js";
import { forwardableHeaders } from "../src/upstream/headers.js";
import { BENCH_COMPLETION, BENCH_SSE } from "./bench-payloads.js";

async function startUpstream(): Promise<string> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const stream = Buffer.concat(chunks).includes('"stream":true');
      if (!stream) {
        res.writeHead(200, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(BENCH_COMPLETION),
        });
        res.end(BENCH_COMPLETION);
        return;
      }
      // Two writes a tick apart, like a model streaming.
      res.writeHead(200, { "content-type": "text/event-stream" });
      const parts = BENCH_SSE.split("\n\n");
      const half = Math.floor(parts.length / 2);
      res.write(`${parts.slice(0, half).join("\n\n")}\n\n`);
      setImmediate(() => res.end(parts.slice(half).join("\n\n")));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startPassthrough(upstream: string): Promise<string> {
  const client = createUpstreamClient({
    connectTimeoutMs: 10_000,
    headersTimeoutMs: 60_000,
    bodyTimeoutMs: 60_000,
  });
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_req, payload, done) => done(null, payload));
  app.all("/*", async (request, reply) => {
    const res = await client.request({
      url: `${upstream}${request.url}`,
      method: request.method,
      headers: forwardableHeaders(request.headers, ["host"]),
      body: request.body as NodeJS.ReadableStream as never,
    });
    reply.code(res.statusCode).headers(forwardableHeaders(res.headers, ["content-length"]));
    return reply.send(res.body);
  });
  return app.listen({ host: "127.0.0.1", port: 0 });
}

/**
 * The least any body-rewriting proxy does on the same stack: the same headers as the passthrough, fastify's JSON
 * parser, the body serialised again and sent buffered through undici, the answer read whole, parsed and
 * serialised again — or, streamed, cut into events whose data is parsed and serialised again one by one. No
 * detection, no vault, no hooks. A lower bound, not a correct proxy: its event reader knows only the mock's
 * single-line `data:` events split by blank lines, and decodes each chunk on its own.
 */
async function startRewriting(upstream: string): Promise<string> {
  const client = createUpstreamClient({
    connectTimeoutMs: 10_000,
    headersTimeoutMs: 60_000,
    bodyTimeoutMs: 60_000,
  });
  const app = Fastify({ logger: false });
  app.post("/*", async (request, reply) => {
    const res = await client.request({
      url: `${upstream}${request.url}`,
      method: "POST",
      headers: {
        ...forwardableHeaders(request.headers, ["host", "content-length"]),
        "content-type": "application/json",
      },
      body: JSON.stringify(request.body),
    });
    reply.code(res.statusCode).headers(forwardableHeaders(res.headers, ["content-length"]));
    if (String(res.headers["content-type"]).startsWith("text/event-stream")) {
      let held = "";
      const rewrite = (part: string): string => {
        const data = part.startsWith("data: ") ? part.slice(6) : part;
        return data === "[DONE]" ? `data: [DONE]\n\n` : `data: ${JSON.stringify(JSON.parse(data))}\n\n`;
      };
      const events = new Transform({
        decodeStrings: false,
        transform(chunk: Buffer, _encoding, done) {
          held += chunk.toString("utf8");
          const parts = held.split("\n\n");
          held = parts.pop() ?? "";
          done(null, parts.map(rewrite).join(""));
        },
        flush(done) {
          done(null, held.trim() === "" ? "" : rewrite(held));
        },
      });
      // pipeline: an upstream that fails mid-stream ends the client's stream too.
      return reply.send(pipeline(res.body, events, () => undefined));
    }
    return reply.send(JSON.stringify(JSON.parse(await res.body.text())));
  });
  return app.listen({ host: "127.0.0.1", port: 0 });
}

const [role, upstream] = process.argv.slice(2);
const url =
  role === "upstream"
    ? await startUpstream()
    : role === "passthrough" && upstream !== undefined
      ? await startPassthrough(upstream)
      : role === "rewriting" && upstream !== undefined
        ? await startRewriting(upstream)
        : undefined;
if (url === undefined) {
  process.stderr.write(
    "usage: bench-target.ts upstream | passthrough <upstream-url> | rewriting <upstream-url>\n",
  );
  process.exit(2);
}
process.stdout.write(`listening ${url}\n`);
// A normal exit on SIGTERM, so that `--cpu-prof` writes its profile.
process.once("SIGTERM", () => process.exit(0));
