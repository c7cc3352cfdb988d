/**
 * Proxy benchmark (`npm run bench`): a loopback mock upstream answering like the OpenAI API (JSON and SSE),
 * measured with autocannon (a) directly, (b) through a plain passthrough proxy on the same stack (fastify +
 * undici), (c) through MemPrivacy Proxy with the rule detector — for a ~1 KB chat request holding a few
 * private values, and for a streamed response. Prints req/s, p50/p99 latency, time to first byte and ratios.
 * Options: `--duration S` (default 8), `--connections N` (default 16).
 */
import http from "node:http";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import Fastify from "fastify";
import { request as undiciRequest } from "undici";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config/load.js";
import { createUpstreamClient } from "../src/upstream/client.js";
import { forwardableHeaders } from "../src/upstream/headers.js";

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(argv[i + 1]);
};
const DURATION = flag("duration", 8);
const CONNECTIONS = flag("connections", 16);

const PRIVATE = "I am Zhang San, mail zhang.san@example.com or call 13800138000; my password is Tr0ub4dor9.";
const FILLER =
  " Please summarise the quarterly planning notes and list three follow-up actions for the team.";
const REQUEST = (stream: boolean): string =>
  JSON.stringify({
    model: "gpt-bench",
    stream,
    messages: [
      { role: "system", content: "You are a concise assistant." },
      { role: "user", content: (PRIVATE + FILLER.repeat(9)).slice(0, 1000) },
    ],
  });

const COMPLETION = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1700000000,
  model: "gpt-bench",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "Noted, <Real_Name_1>. I will write to <Email_1>." },
      finish_reason: "stop",
    },
  ],
  usage: { prompt_tokens: 250, completion_tokens: 12, total_tokens: 262 },
});
const STREAM_CHUNKS = 40;
const SSE = (() => {
  const text = "Sure <Real_Name_1>, here is the plan you asked for, sent to <Email_1>. ".repeat(4);
  const size = Math.ceil(text.length / STREAM_CHUNKS);
  let wire = "";
  for (let i = 0; i < text.length; i += size) {
    const chunk = {
      id: "c",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta: { content: text.slice(i, i + size) }, finish_reason: null }],
    };
    wire += `data: ${JSON.stringify(chunk)}\n\n`;
  }
  wire += `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`;
  return `${wire}data: [DONE]\n\n`;
})();

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The mock upstream: JSON completion, or SSE written in a few writes (like a model streaming). */
async function startUpstream(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const stream = Buffer.concat(chunks).includes('"stream":true');
      if (!stream) {
        res.writeHead(200, {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(COMPLETION),
        });
        res.end(COMPLETION);
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      const parts = SSE.split("\n\n");
      const half = Math.floor(parts.length / 2);
      res.write(`${parts.slice(0, half).join("\n\n")}\n\n`);
      setImmediate(() => res.end(parts.slice(half).join("\n\n")));
    });
  });
  const url = await listen(server);
  return { url, close: () => new Promise((r) => server.close(() => r())) };
}

/** A plain passthrough proxy on the same stack: fastify in, undici out, bytes unchanged. */
async function startPassthrough(upstream: string): Promise<{ url: string; close: () => Promise<void> }> {
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
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    close: async () => {
      await app.close();
      await client.close();
    },
  };
}

async function startMemPrivacy(upstream: string): Promise<{ url: string; close: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "memprivacy-bench-"));
  const config = loadConfig({
    env: {},
    flags: { upstream, detector: "rules", logLevel: "warn", dataDir, ui: false },
  });
  const app = await buildApp(config);
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  ttfb50?: number;
  ttfb99?: number;
}

async function load(url: string, stream: boolean): Promise<Result> {
  const r = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: "POST",
    connections: CONNECTIONS,
    duration: DURATION,
    headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
    body: REQUEST(stream),
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** Time to first body byte of a streamed response, sequential requests. */
async function ttfb(url: string, n: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await undiciRequest(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
      body: REQUEST(true),
    });
    const it = res.body[Symbol.asyncIterator]();
    await it.next();
    times.push(performance.now() - t0);
    for (;;) if ((await it.next()).done === true) break;
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number =>
    times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

function row(name: string, r: Result): string {
  const ttfbCols =
    r.ttfb50 === undefined
      ? ""
      : ` ${r.ttfb50.toFixed(2).padStart(9)} ${(r.ttfb99 ?? 0).toFixed(2).padStart(9)}`;
  return `${name.padEnd(30)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(6)}${ttfbCols}`;
}

async function main(): Promise<void> {
  const upstream = await startUpstream();
  const pass = await startPassthrough(upstream.url);
  const mem = await startMemPrivacy(upstream.url);
  console.log(
    `MemPrivacy Proxy benchmark — node ${process.version}, ${os.cpus().length} cores, ${CONNECTIONS} connections, ${DURATION}s per run`,
  );
  console.log(
    `request body ${Buffer.byteLength(REQUEST(false))} bytes with 4 private values; stream of ${STREAM_CHUNKS} chunks\n`,
  );
  const targets = [
    ["(a) direct to mock upstream", upstream.url],
    ["(b) plain passthrough proxy", pass.url],
    ["(c) MemPrivacy (rules)", mem.url],
  ] as const;
  for (const stream of [false, true]) {
    console.log(stream ? "Streamed response (SSE)" : "JSON response");
    console.log(
      `${"target".padEnd(30)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"errors".padStart(6)}${stream ? `${"ttfb p50".padStart(10)}${"ttfb p99".padStart(10)}` : ""}`,
    );
    const results: Result[] = [];
    for (const [name, url] of targets) {
      await load(url, stream); // warm-up is the first second of a throw-away run
      const r = await load(url, stream);
      if (stream) Object.assign(r, (({ p50, p99 }) => ({ ttfb50: p50, ttfb99: p99 }))(await ttfb(url, 200)));
      results.push(r);
      console.log(row(name, r));
    }
    const [a, b, c] = results as [Result, Result, Result];
    console.log(
      `ratios: throughput (c)/(a) ${(c.rps / a.rps).toFixed(2)}, (c)/(b) ${(c.rps / b.rps).toFixed(2)}; added p50 vs (b) ${(c.p50 - b.p50).toFixed(2)} ms` +
        (stream ? `; added ttfb p50 vs (b) ${((c.ttfb50 ?? 0) - (b.ttfb50 ?? 0)).toFixed(2)} ms` : ""),
    );
    console.log("");
  }
  await mem.close();
  await pass.close();
  await upstream.close();
}

await main();
