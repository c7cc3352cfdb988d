/**
 * `npm run bench:replicas`: the shared PostgreSQL vault with 1, 2 and 3 proxy replicas, beside the SQLite vault
 * (one process), on loopback. Each setup gets the same load — `POST /v1/redact` in one team scope, spread round-
 * robin over the replicas: every request carrying a value never seen (an allocation: a transaction in the vault),
 * in one scope (writers of a scope queue on its row) and spread over 32 scopes, and every request repeating known
 * values (the read path). Prints req/s and client-side latency p50/p99.
 * Needs PostgreSQL's binaries (a throwaway cluster is started and removed) and `npm run build` (the script runs it).
 *
 *   npm run bench:replicas [-- --requests 1500 --connections 32]   (or: npm run bench -- --replicas)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Pool } from "undici";
import { startPgCluster } from "../test/helpers/pg-cluster.js";
import { freePort, waitHealthy } from "./lib/bench-process.js";

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "1500" },
    connections: { type: "string", default: "32" },
    // Accepted so that `npm run bench -- --replicas` can hand its arguments over.
    replicas: { type: "boolean" },
  },
});
const REQUESTS = Number(args.requests);
const CONNECTIONS = Number(args.connections);
const KEY = "5".repeat(64);
const HEADERS = { "content-type": "application/json", authorization: "Bearer sk-bench-team-0001" };

async function startProxy(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["dist/src/cli/main.js", "serve", "--port", String(port)], {
    env: {
      ...process.env,
      MEMPRIVACY_DETECTOR: "rules",
      MEMPRIVACY_LOG_LEVEL: "warn",
      MEMPRIVACY_UI: "false",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return waitHealthy(`http://127.0.0.1:${port}`, child);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Sends `REQUESTS` requests, `CONNECTIONS` at a time, round-robin over the replicas. */
async function load(urls: readonly string[], text: (i: number) => string, scopes = 1): Promise<string> {
  const pools = urls.map((url) => new Pool(url, { connections: Math.ceil(CONNECTIONS / urls.length) }));
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < REQUESTS; i = next++) {
      const pool = pools[i % pools.length] as Pool;
      const t0 = performance.now();
      const res = await pool.request({
        path: "/v1/redact",
        method: "POST",
        headers: scopes === 1 ? HEADERS : { ...HEADERS, authorization: `Bearer sk-bench-team-${i % scopes}` },
        body: JSON.stringify({ text: text(i) }),
      });
      await res.body.text();
      if (res.statusCode !== 200) failed++;
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(pools.map((p) => p.close()));
  latencies.sort((a, b) => a - b);
  const rps = (REQUESTS / seconds).toFixed(0).padStart(6);
  const p50 = quantile(latencies, 0.5).toFixed(1).padStart(6);
  const p99 = quantile(latencies, 0.99).toFixed(1).padStart(6);
  return `${rps} req/s  p50 ${p50} ms  p99 ${p99} ms${failed > 0 ? `  (${failed} failed)` : ""}`;
}

let round = 0;
async function measure(label: string, urls: readonly string[]): Promise<void> {
  const tag = ++round;
  // Warm-up: connections, JIT, the scope loaded.
  await load(urls, (i) => `warm-up ${tag} value warm${i}.${tag}@bench-example.org`);
  const fresh = await load(urls, (i) => `Invite new${i}.r${tag}@bench-example.org to the call`);
  const known = await load(urls, (i) => `Invite new${i % 200}.r${tag}@bench-example.org to the call`);
  const spread = await load(urls, (i) => `Invite spread${i}.r${tag}@bench-example.org to the call`, 32);
  console.log(`${label.padEnd(22)} new value, 1 scope:   ${fresh}`);
  console.log(`${"".padEnd(22)} new value, 32 scopes: ${spread}`);
  console.log(`${"".padEnd(22)} known values:         ${known}`);
}

const cluster = startPgCluster();
const dirs: string[] = [];
const children: ChildProcess[] = [];
const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "memprivacy-bench-"));
  dirs.push(dir);
  return dir;
};
try {
  console.log(`${REQUESTS} requests per run, ${CONNECTIONS} connections, rules detector, loopback\n`);
  const sqlite = await startProxy({ MEMPRIVACY_DATA_DIR: dataDir(), MEMPRIVACY_VAULT_KEY: KEY });
  children.push(sqlite.child);
  await measure("SQLite, 1 process", [sqlite.url]);
  sqlite.child.kill();
  for (const count of [1, 2, 3]) {
    const url = await cluster.createDatabase(`bench_${count}`);
    const replicas = await Promise.all(
      Array.from({ length: count }, () =>
        startProxy({ MEMPRIVACY_DATA_DIR: dataDir(), MEMPRIVACY_VAULT_KEY: KEY, MEMPRIVACY_VAULT_URL: url }),
      ),
    );
    children.push(...replicas.map((r) => r.child));
    await measure(
      `PostgreSQL, ${count} replica${count > 1 ? "s" : ""}`,
      replicas.map((r) => r.url),
    );
    for (const r of replicas) r.child.kill();
  }
} finally {
  for (const child of children) child.kill("SIGKILL");
  cluster.destroy();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
