/**
 * Proxy benchmark (`npm run bench`): a loopback mock upstream answering like the OpenAI API (JSON and SSE),
 * measured with autocannon (a) directly, (b) through a plain passthrough proxy on the same stack (fastify +
 * undici), (b2) through a proxy on that stack that parses and re-serialises every body and event and does
 * nothing else (the floor under any body-rewriting proxy), (c) through MemPrivacy Proxy with the rule detector
 * (the built `memprivacy serve`, as users run it) — for a ~1 KB chat request holding a few private values, and
 * for a streamed response. Each target runs in a process of its own, apart from the load generator. Prints
 * req/s, p50/p99 latency, time to first byte, the server process's CPU time per request, and ratios.
 * Options: `--duration S` (default 8), `--warmup S` (load sent to each target before a case is measured,
 * default 2), `--connections N` (default 16), `--rounds N` (measured runs per target and case, interleaved;
 * default 1; from 3 rounds the summary also gives the median of the ratios), `--cases
 * json-hit,sse-hit,json-miss,sse-miss` (default all), `--baseline PATH` (another build's
 * `dist/src/cli/main.js`, measured side by side as (d): old and new in one run on the same noisy machine),
 * `--cpu-prof DIR` (MemPrivacy's processes write V8 CPU profiles there, the plain proxy in DIR/passthrough
 * and the rewriting one in DIR/rewriting), `--main PATH` (the build
 * measured as (c), default `dist/src/cli/main.js`), `--replicas` (runs `scripts/bench-replicas.ts` instead:
 * the shared PostgreSQL vault with 1, 2 and 3 replicas).
 */
import { freePort, waitHealthy } from "./lib/bench-process.js";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { request as undiciRequest } from "undici";
import { benchRequest, benchRequestVaried, BENCH_STREAM_CHUNKS } from "./bench-payloads.js";

const argv = process.argv.slice(2);
if (argv.includes("--replicas")) {
  // `npm run bench -- --replicas`: the shared-vault benchmark (1, 2 and 3 replicas beside SQLite) instead.
  await import("./bench-replicas.js");
  process.exit(0);
}
const flag = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(argv[i + 1]);
};
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? undefined : argv[i + 1];
};
const DURATION = flag("duration", 8);
const WARMUP = flag("warmup", 2);
const CONNECTIONS = flag("connections", 16);
const ROUNDS = flag("rounds", 1);
const BASELINE = option("baseline");
const CPU_PROF = option("cpu-prof");
const MAIN = option("main");
const CASES = new Set((option("cases") ?? "json-hit,sse-hit,json-miss,sse-miss").split(","));
const ROOT = path.resolve(import.meta.dirname, "..");
const REQUEST = benchRequest;

interface Target {
  readonly url: string;
  readonly child: ChildProcess;
}

/** Starts `scripts/bench-target.ts <role>` and waits for its `listening <url>` line. */
async function startScript(role: string, ...args: string[]): Promise<Target> {
  // With --cpu-prof the plain and the rewriting proxy are profiled too, each in a folder of its own
  // (DIR/passthrough, DIR/rewriting), to compare their profiles with MemPrivacy's.
  const profile =
    CPU_PROF === undefined || (role !== "passthrough" && role !== "rewriting")
      ? []
      : ["--cpu-prof", "--cpu-prof-dir", path.resolve(CPU_PROF, role)];
  const child = spawn(
    process.execPath,
    [...profile, "--import", "tsx", path.join(ROOT, "scripts/bench-target.ts"), role, ...args],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const m = /^listening (\S+)$/.exec(line);
    if (m?.[1] !== undefined) return { url: m[1], child };
  }
  throw new Error(`bench target ${role} exited before listening`);
}

/** A built CLI, `memprivacy serve` with the rule detector, its vault in a temporary directory. */
async function startMemPrivacy(
  upstream: string,
  dataDir: string,
  main = path.join(ROOT, "dist/src/cli/main.js"),
): Promise<Target> {
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const profile = CPU_PROF === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", path.resolve(CPU_PROF)];
  const child = spawn(process.execPath, [...profile, main, "serve"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      MEMPRIVACY_HOST: "127.0.0.1",
      MEMPRIVACY_PORT: String(port),
      MEMPRIVACY_UPSTREAM_URL: upstream,
      MEMPRIVACY_DETECTOR: "rules",
      MEMPRIVACY_LOG_LEVEL: "warn",
      MEMPRIVACY_DATA_DIR: dataDir,
      MEMPRIVACY_UI: "false",
    },
  });
  return waitHealthy(`http://127.0.0.1:${port}`, child);
}

/** CPU time (user + system, ms) a child process has used, from /proc; undefined where there is none. */
function cpuMs(child: ChildProcess): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name; clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time of the target's own process per request (ms). */
  cpuPerRequest?: number;
  ttfb50?: number;
  ttfb99?: number;
}

/** Bodies that change per request (detection-cache misses) unless `vary` is false (the repeated body). */
let varied = 0;
async function load(url: string, stream: boolean, duration: number, vary = false): Promise<Result> {
  const r = await autocannon({
    url: `${url}/v1/chat/completions`,
    method: "POST",
    connections: CONNECTIONS,
    duration,
    headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
    body: REQUEST(stream),
    ...(vary
      ? {
          requests: [
            {
              method: "POST",
              setupRequest: (req: autocannon.Request) => ({
                ...req,
                body: benchRequestVaried(stream, varied++),
              }),
            },
          ],
        }
      : {}),
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

/** A measured run: CPU time of `server` over the run, divided by the requests it served. */
async function measure(url: string, stream: boolean, server: ChildProcess, vary = false): Promise<Result> {
  const before = cpuMs(server);
  const r = await load(url, stream, DURATION, vary);
  const after = cpuMs(server);
  if (before !== undefined && after !== undefined && r.rps > 0) {
    r.cpuPerRequest = (after - before) / (r.rps * DURATION);
  }
  return r;
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

const fixed = (n: number | undefined, width: number, digits = 2): string =>
  (n === undefined ? "—" : n.toFixed(digits)).padStart(width);

function row(name: string, r: Result): string {
  const ttfbCols = r.ttfb50 === undefined ? "" : `${fixed(r.ttfb50, 10)}${fixed(r.ttfb99, 10)}`;
  return `${name.padEnd(30)} ${fixed(r.rps, 8, 0)} ${fixed(r.p50, 8)} ${fixed(r.p99, 8)} ${String(r.errors).padStart(6)} ${fixed(r.cpuPerRequest, 10, 3)}${ttfbCols}`;
}

/** Sends SIGTERM and waits (10 s at most) for the process to exit: a CPU profile is written on the way out. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill();
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
}

const CASE_LIST = [
  ["json-hit", false, false],
  ["sse-hit", true, false],
  ["json-miss", false, true],
  ["sse-miss", true, true],
] as const;

/** Lowest–highest of the rounds' ratios, and their median from three rounds on. */
const range = (xs: readonly number[]): string => {
  const lo = Math.min(...xs).toFixed(2);
  const hi = Math.max(...xs).toFixed(2);
  const span = lo === hi ? `${lo}×` : `${lo}–${hi}×`;
  if (xs.length < 3) return span;
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const at = (i: number): number => sorted[i] ?? Number.NaN;
  const median = sorted.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
  return `${span} (median ${median.toFixed(2)}×)`;
};

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "memprivacy-bench-"));
  const children: ChildProcess[] = [];
  try {
    const upstream = await startScript("upstream");
    children.push(upstream.child);
    const pass = await startScript("passthrough", upstream.url);
    children.push(pass.child);
    const rewriting = await startScript("rewriting", upstream.url);
    children.push(rewriting.child);
    const mem = await startMemPrivacy(
      upstream.url,
      path.join(dataDir, "c"),
      MAIN === undefined ? undefined : path.resolve(MAIN),
    );
    children.push(mem.child);
    const base =
      BASELINE === undefined
        ? undefined
        : await startMemPrivacy(upstream.url, path.join(dataDir, "d"), path.resolve(BASELINE));
    if (base !== undefined) children.push(base.child);
    console.log(
      `MemPrivacy Proxy benchmark — node ${process.version}, ${os.cpus().length} cores, ${CONNECTIONS} connections, ${DURATION}s per run after ${WARMUP}s of warm-up, ${ROUNDS} round(s)`,
    );
    console.log(
      `request body ${Buffer.byteLength(REQUEST(false))} bytes with 4 private values; stream of ${BENCH_STREAM_CHUNKS} chunks`,
    );
    console.log(
      "each target in its own process; cpu ms/req = CPU time of the target's process per request (for (a) the mock itself)",
    );
    if (base !== undefined) console.log(`(d) is the baseline build ${path.resolve(BASELINE as string)}`);
    console.log("");
    const targets: (readonly [string, Target])[] = [
      ["(a) direct to mock upstream", upstream],
      ["(b) plain passthrough proxy", pass],
      ["(b2) parse-and-rewrite proxy", rewriting],
      ["(c) MemPrivacy (rules)", mem],
      ...(base === undefined ? [] : [["(d) MemPrivacy baseline", base] as const]),
    ];
    const summary: string[] = [];
    for (const [name, stream, vary] of CASE_LIST) {
      if (!CASES.has(name)) continue;
      console.log(
        `${stream ? "Streamed response (SSE)" : "JSON response"}${vary ? ", body changing per request (detection-cache misses)" : ", the same body every time (cache hits)"}`,
      );
      console.log(
        `${"target".padEnd(30)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"errors".padStart(6)} ${"cpu ms/req".padStart(10)}${stream && !vary ? `${"ttfb p50".padStart(10)}${"ttfb p99".padStart(10)}` : ""}`,
      );
      for (const [, target] of targets) if (WARMUP > 0) await load(target.url, stream, WARMUP, vary);
      const cRatios: number[] = [];
      const dRatios: number[] = [];
      const floorRatios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const results: Result[] = [];
        for (const [label, target] of targets) {
          const r = await measure(target.url, stream, target.child, vary);
          if (stream && !vary) {
            const t = await ttfb(target.url, 200);
            r.ttfb50 = t.p50;
            r.ttfb99 = t.p99;
          }
          results.push(r);
          console.log(row(label, r));
        }
        const [a, b, b2, c, d] = results as [Result, Result, Result, Result, Result | undefined];
        const ratio = (x: Result | undefined): number | undefined =>
          x?.cpuPerRequest !== undefined && b.cpuPerRequest !== undefined
            ? x.cpuPerRequest / b.cpuPerRequest
            : undefined;
        const rc = ratio(c);
        const floor =
          c.cpuPerRequest !== undefined && b2.cpuPerRequest !== undefined
            ? c.cpuPerRequest / b2.cpuPerRequest
            : undefined;
        if (floor !== undefined) floorRatios.push(floor);
        const rd = ratio(d);
        if (rc !== undefined) cRatios.push(rc);
        if (rd !== undefined) dRatios.push(rd);
        const cpu =
          rc !== undefined && c.cpuPerRequest !== undefined && b.cpuPerRequest !== undefined
            ? `; cpu per request (c)/(b) ${rc.toFixed(2)}× (+${(c.cpuPerRequest - b.cpuPerRequest).toFixed(3)} ms)` +
              (rd === undefined ? "" : `, (d)/(b) ${rd.toFixed(2)}×`) +
              (floor === undefined ? "" : `, (c)/(b2) ${floor.toFixed(2)}×`)
            : "";
        console.log(
          `ratios: throughput (c)/(a) ${(c.rps / a.rps).toFixed(2)}, (c)/(b) ${(c.rps / b.rps).toFixed(2)}; added p50 vs (b) ${(c.p50 - b.p50).toFixed(2)} ms${cpu}` +
            (stream && !vary
              ? `; added ttfb p50 vs (b) ${((c.ttfb50 ?? 0) - (b.ttfb50 ?? 0)).toFixed(2)} ms`
              : ""),
        );
      }
      if (cRatios.length > 0)
        summary.push(
          `${name.padEnd(10)} cpu per request (c)/(b) ${range(cRatios)}${dRatios.length > 0 ? `, (d)/(b) ${range(dRatios)}` : ""}${floorRatios.length > 0 ? `, (c)/(b2) ${range(floorRatios)}` : ""}`,
        );
      console.log("");
    }
    if (summary.length > 0) console.log(`Summary over ${ROUNDS} round(s)\n${summary.join("\n")}`);
  } finally {
    await Promise.all(children.map(stop));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
