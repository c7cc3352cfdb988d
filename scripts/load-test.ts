/**
 * Load test (`npm run test:load`): bounded and loopback only. Starts the real app (rule detector, SQLite
 * vault in a temporary directory) and a mock upstream — an echo model that checks every body it receives
 * against every canary value and counts leaks — then runs N concurrent clients, half streamed, for a fixed
 * count of requests. Each request carries its client's canaries (eight variants per client, so the vault
 * grows) and each response must come back restored exactly. Resident memory, sampled under load after full
 * GCs, must grow less than 10% from just after the warm-up (the first 10%) to the last 10% of the run.
 * Prints throughput, latency percentiles, errors, leaks, restoration failures and memory; exits 1 on any
 * error, leak, mismatch or growth ≥ 10%.
 * Options: `--requests N` (default 6000), `--concurrency N` (default 32), `--stream-share F` (default 0.5).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config/load.js";
import { MultiPatternMatcher } from "../src/redaction/aho-corasick.js";
import { openAIEcho } from "../test/helpers/openai-mock.js";

// Forced GCs make the memory readings comparable: re-run under --expose-gc when it is not on.
type Gc = (options?: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;
const gc = (globalThis as { gc?: Gc }).gc;
if (gc === undefined && process.env.MEMPRIVACY_LOAD_CHILD !== "1") {
  const run = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: "inherit", env: { ...process.env, MEMPRIVACY_LOAD_CHILD: "1" } },
  );
  process.exit(run.status ?? 1);
}

const argv = process.argv.slice(2);
function flag(name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}
const REQUESTS = Math.floor(flag("requests", 6000));
const CONCURRENCY = Math.floor(flag("concurrency", 32));
const STREAM_SHARE = Math.min(1, flag("stream-share", 0.5));
const VARIANTS = 8;
const WARMUP = Math.max(1, Math.floor(REQUESTS / 10));
/**
 * Memory is sampled under load, right after a full GC, every this many requests. Left alone, V8 lets garbage
 * pile up to a heap size it picks from the allocation rate (RSS then wanders by ±20% between runs with the
 * same live data); regular full collections make the samples measure what is live, which is what a leak
 * grows. The growth compared is the median of the samples just after the warm-up (the next 10% of the run)
 * against the median of the samples in the last 10%: both under the same load, each robust to one outlier.
 */
const SAMPLE_EVERY = Math.max(10, Math.floor(REQUESTS / 60));
const MAX_GROWTH = 0.1;
/** Small enough that the run overflows it: every request text is unique, so the cache churns at its bound. */
const DETECT_CACHE = 1000;

// ---------------------------------------------------------------------------------------------------------
// Canaries: per client and variant, each valid for its rule (Luhn, ID checksum, CN mobile, private IP).

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

function luhnComplete(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d *= 2;
    sum += d > 9 ? d - 9 : d;
  }
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

function cnIdComplete(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return `${first17}${"10X98765432"[sum % 11]}`;
}

const SURNAMES = ["Zhang", "Wang", "Li", "Zhao", "Chen", "Liu", "Yang", "Huang"];
const GIVEN = ["Wei", "Fang", "Min", "Jing"];

interface Canaries {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly password: string;
  readonly card: string;
  readonly ip: string;
  readonly id: string;
}

function canariesFor(client: number, variant: number): Canaries {
  const card = luhnComplete(`4539${pad(client, 4)}${pad(variant, 4)}000`);
  return {
    name: `${SURNAMES[client % SURNAMES.length] ?? "Zhang"} ${GIVEN[Math.floor(client / SURNAMES.length) % GIVEN.length] ?? "Wei"}`,
    email: `load.user${client}.v${variant}@example.org`,
    phone: `139${pad(client, 4)}${pad(variant, 4)}`,
    password: `Zq${client}v${variant}X2kq`,
    card: card.replace(/(\d{4})(?=\d)/g, "$1 "),
    ip: `10.0.${client}.${variant + 1}`,
    id: cnIdComplete(
      `110101${1980 + (client % 20)}${pad((variant % 12) + 1, 2)}${pad((client % 28) + 1, 2)}${pad(variant, 3)}`,
    ),
  };
}

function messageFor(c: Canaries, n: number): string {
  return (
    `I am ${c.name}. Mail ${c.email} or call ${c.phone}. My password is ${c.password}. ` +
    `Card ${c.card}, server ${c.ip}, ID ${c.id}. Please summarise ticket number ${n} for me.`
  );
}

const ALL_VALUES: string[] = [];
for (let client = 0; client < CONCURRENCY; client++)
  for (let v = 0; v < VARIANTS; v++) {
    const c = canariesFor(client, v);
    ALL_VALUES.push(c.name, c.email, c.phone, c.password, c.card, c.ip, c.id);
  }
const canaryMatcher = new MultiPatternMatcher([...new Set(ALL_VALUES)]);
const leaksIn = (text: string): number => canaryMatcher.findAll(text).length;

// ---------------------------------------------------------------------------------------------------------
// The mock upstream: the echo model of the test suite, with a leak check on every body received.

let upstreamBodies = 0;
let upstreamLeaks = 0;

async function startUpstream(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      upstreamBodies++;
      const leaked = leaksIn(body) + leaksIn(JSON.stringify(req.headers));
      if (leaked > 0) upstreamLeaks += leaked;
      const rec = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      openAIEcho(rec, res).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The app's log destination: counts lines and the canaries in them (nothing is kept). */
class CountingLog extends Writable {
  lines = 0;
  leaks = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    const text = chunk.toString("utf8");
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.lines++;
    this.leaks += leaksIn(text);
    done();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Clients.

interface ChatJson {
  choices?: { message?: { content?: string; tool_calls?: { function?: { arguments?: string } }[] } }[];
}
interface ChatChunk {
  choices?: { delta?: { content?: string; tool_calls?: { function?: { arguments?: string } }[] } }[];
}

/** Content and tool arguments of a response, JSON or SSE. */
function readAnswer(text: string, streamed: boolean): { content: string; args: string } {
  if (!streamed) {
    const message = (JSON.parse(text) as ChatJson).choices?.[0]?.message;
    return { content: message?.content ?? "", args: message?.tool_calls?.[0]?.function?.arguments ?? "" };
  }
  let content = "";
  let args = "";
  for (const block of text.split("\n\n")) {
    if (!block.startsWith("data: ") || block === "data: [DONE]") continue;
    const delta = (JSON.parse(block.slice(6)) as ChatChunk).choices?.[0]?.delta;
    content += delta?.content ?? "";
    args += delta?.tool_calls?.[0]?.function?.arguments ?? "";
  }
  return { content, args };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "memprivacy-load-"));
  const upstream = await startUpstream();
  const log = new CountingLog();
  const config = loadConfig({
    env: {},
    flags: {
      detector: "rules",
      ephemeral: false,
      dataDir,
      upstream: upstream.url,
      logLevel: "info",
      ui: false,
      detectCacheSize: DETECT_CACHE,
    },
  });
  const app = await buildApp(config, { logDestination: log });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  const dispatcher = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 10_000 });

  const latencies = new Float64Array(REQUESTS);
  let next = 0;
  let done = 0;
  let errors = 0;
  let mismatches = 0;
  let streamed = 0;
  const firstProblems: string[] = [];
  const samples: { done: number; rss: number; heap: number }[] = [];
  let gcMs = 0;
  const note = (what: string): void => {
    if (firstProblems.length < 5) firstProblems.push(what);
  };

  async function client(id: number): Promise<void> {
    const name = canariesFor(id, 0).name;
    let mine = 0;
    for (let n = next++; n < REQUESTS; n = next++) {
      const variant = mine++ % VARIANTS;
      const text = messageFor(canariesFor(id, variant), n);
      // Spread streamed requests evenly over the run.
      const stream = Math.floor((n + 1) * STREAM_SHARE) > Math.floor(n * STREAM_SHARE);
      if (stream) streamed++;
      const t0 = performance.now();
      try {
        const res = await request(`${base}/v1/chat/completions`, {
          method: "POST",
          dispatcher,
          headers: {
            authorization: `Bearer sk-load-client-${id}`,
            "x-memprivacy-user-name": name,
            "content-type": "application/json",
          },
          body: JSON.stringify({ model: "gpt-load", stream, messages: [{ role: "user", content: text }] }),
        });
        const body = await res.body.text();
        latencies[n] = performance.now() - t0;
        if (res.statusCode !== 200) {
          errors++;
          const code = /"code":"(PRX_[A-Z_]+)"/.exec(body)?.[1] ?? "";
          note(`request ${n}: status ${res.statusCode} ${code}`);
        } else {
          const answer = readAnswer(body, stream);
          const args = JSON.parse(answer.args || "{}") as { note?: string };
          if (answer.content !== `You said: ${text}` || args.note !== text) {
            mismatches++;
            note(`request ${n}: response not restored exactly`);
          }
        }
      } catch (err) {
        latencies[n] = performance.now() - t0;
        errors++;
        note(`request ${n}: ${err instanceof Error ? err.name : "error"}`);
      }
      done++;
      // Full GCs from the start (warm-up included), so every sample is taken in the same regime.
      if (done % SAMPLE_EVERY === 0 && gc !== undefined) {
        const g0 = performance.now();
        gc();
        gcMs += performance.now() - g0;
        const m = process.memoryUsage();
        samples.push({ done, rss: m.rss, heap: m.heapUsed });
      }
    }
  }

  process.stdout.write(
    `load test: ${REQUESTS} requests, ${CONCURRENCY} concurrent clients, ${Math.round(STREAM_SHARE * 100)}% ` +
      `streamed, rule detector (cache ${DETECT_CACHE}), SQLite vault, loopback mock upstream\n`,
  );
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => client(i)));
  const seconds = (performance.now() - start) / 1000;
  gc?.({ type: "major", execution: "sync", flavor: "last-resort" });
  const idle = process.memoryUsage();
  const peak = process.resourceUsage().maxRSS * 1024;
  const vaultEntries = (await app.inject({ method: "GET", url: "/metrics" })).body.match(
    /^memprivacy_vault_entries (\d+)/m,
  )?.[1];

  await dispatcher.close();
  await app.close();
  await upstream.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const sorted = latencies.slice().sort();
  const median = (values: number[]): number => {
    const sortedValues = [...values].sort((a, b) => a - b);
    return sortedValues[Math.floor(sortedValues.length / 2)] ?? Number.NaN;
  };
  const early = samples.filter((x) => x.done > WARMUP && x.done <= 2 * WARMUP);
  const late = samples.filter((x) => x.done > REQUESTS - WARMUP);
  const warmRss = median(early.map((x) => x.rss));
  const endRss = median(late.map((x) => x.rss));
  const growth = (endRss - warmRss) / warmRss;
  const measured = Number.isFinite(growth);
  const lines = [
    `throughput: ${(REQUESTS / seconds).toFixed(0)} req/s (${REQUESTS} in ${seconds.toFixed(1)} s, ` +
      `${streamed} streamed); ${(REQUESTS / (seconds - gcMs / 1000)).toFixed(0)} req/s without the ` +
      `${samples.length} sampling GCs (${(gcMs / 1000).toFixed(1)} s)`,
    `latency ms: p50 ${percentile(sorted, 50).toFixed(1)}  p90 ${percentile(sorted, 90).toFixed(1)}  ` +
      `p99 ${percentile(sorted, 99).toFixed(1)}  max ${(sorted[sorted.length - 1] ?? 0).toFixed(1)}`,
    `errors: ${errors}  restoration failures: ${mismatches}`,
    `leaks: ${upstreamLeaks} in ${upstreamBodies} upstream bodies, ${log.leaks} in ${log.lines} log lines`,
    `vault entries: ${vaultEntries ?? "?"}`,
    measured
      ? `RSS under load after a full GC (median of ${early.length} and ${late.length} samples): ` +
        `after warm-up ${mb(warmRss)} MB (requests ${WARMUP}–${2 * WARMUP}), last 10% ${mb(endRss)} MB, ` +
        `growth ${(growth * 100).toFixed(1)}%`
      : "RSS: not measured (needs --expose-gc and at least 20 requests)",
    `V8 heap used ${mb(median(early.map((x) => x.heap)))} → ${mb(median(late.map((x) => x.heap)))} MB; ` +
      `RSS idle at the end ${mb(idle.rss)} MB; peak RSS of the process ${mb(peak)} MB`,
  ];
  for (const p of firstProblems) lines.push(`  ${p}`);
  const failed =
    errors > 0 ||
    mismatches > 0 ||
    upstreamLeaks > 0 ||
    log.leaks > 0 ||
    upstreamBodies !== REQUESTS ||
    !measured ||
    growth >= MAX_GROWTH;
  lines.push(failed ? "FAIL" : "PASS");
  process.stdout.write(`${lines.join("\n")}\n`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
