/**
 * Scale benchmark (`npm run bench:scale`): does a request cost more when the scope holds more values? The
 * redaction pipeline (rule detector, per-text cache, encrypted SQLite vault in a temporary directory) is timed
 * in process for two requests — one that adds a new value to the scope and one that adds none (its values
 * are known) — with 0, 1k, 10k and 100k values already in the scope, and for the first requests after a
 * restart (a new vault connection and a new pipeline on the same file; with the longest the event loop was held
 * during the first). Prints p50/p90 per request and the ratio to the empty scope. One turn of the event loop separates requests (untimed), as I/O does in the server.
 * Options: `--requests N` per case (default 300), `--sizes 0,1000,10000,100000`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createCachedDetector } from "../src/detection/cache.js";
import { createRuleDetector } from "../src/detection/rules/index.js";
import { createRedactor, type RedactRequest, type Redactor } from "../src/redaction/pipeline.js";
import { deriveVaultKeys } from "../src/vault/keys.js";
import { createSqliteVault } from "../src/vault/sqlite-vault.js";
import type { Vault } from "../src/vault/vault.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (argv[i + 1] ?? fallback);
};
const REQUESTS = Number(option("requests", "300"));
const SIZES = option("sizes", "0,1000,10000,100000").split(",").map(Number);
const SCOPE = "auth:bench|session:scale";
const KEYS = deriveVaultKeys(Buffer.alloc(32, 7));
const FILLER = " Please summarise the planning notes and list three follow-up actions for the team.".repeat(
  9,
);

/** The longest gap between two turns of the event loop (immediates) until `stop`, in ms. */
function stallProbe(): { stop: () => number } {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const tick = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return Math.max(longest, performance.now() - last);
    },
  };
}

function request(text: string): RedactRequest {
  return {
    scope: SCOPE,
    policy: { levels: ["PL2", "PL3", "PL4"], mode: "type_specific", allow: [], deny: [] },
    items: [
      { text: "You are a concise assistant.", role: "system" },
      { text, role: "user" },
    ],
  };
}

function open(file: string): { vault: Vault; redactor: Redactor } {
  const vault = createSqliteVault({ file, keys: KEYS });
  const redactor = createRedactor({
    detector: createCachedDetector(createRuleDetector(), 10_000),
    vault,
    detectTimeoutMs: 60_000,
  });
  return { vault, redactor };
}

/** Fills the scope with `count` distinct e-mail addresses, in batches (one transaction each). */
async function fill(vault: Vault, count: number, from: number): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 1000); j++)
      batch.push({
        value: `stored${from + j}@example.org`,
        type: "Email",
        name: "Email",
        level: "PL2" as const,
      });
    await vault.allocate(SCOPE, batch);
  }
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

let fresh = 0;
async function time(redactor: Redactor, adding: boolean): Promise<number> {
  const value = adding ? `new${fresh++}@example.net` : "jane.doe@example.com";
  const text = `I am Jane, mail ${value} or call 13800138000.${FILLER}`;
  const t0 = performance.now();
  await redactor.redact(request(text));
  const took = performance.now() - t0;
  // Between requests the event loop turns, as it does in the server between sockets' I/O, so background work
  // (the scope's matcher blocks after a bulk load, see known-values.ts) runs there, untimed.
  await new Promise<void>((resolve) => setImmediate(resolve));
  return took;
}

async function run(redactor: Redactor, adding: boolean): Promise<{ p50: number; p90: number }> {
  for (let i = 0; i < 20; i++) await time(redactor, adding); // warm-up
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) times.push(await time(redactor, adding));
  return { p50: quantile(times, 0.5), p90: quantile(times, 0.9) };
}

const ms = (n: number): string => n.toFixed(3).padStart(9);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "memprivacy-scale-"));
  console.log(
    `MemPrivacy scale benchmark — node ${process.version}, ${os.cpus().length} cores; redaction pipeline in process (rules, SQLite vault); ${REQUESTS} requests per case`,
  );
  console.log(
    `${"values".padStart(8)} ${"case".padEnd(12)} ${"p50 ms".padStart(9)} ${"p90 ms".padStart(9)} ${"p50 ÷ empty".padStart(12)}`,
  );
  const base: Record<string, number> = {};
  try {
    for (const size of SIZES) {
      const file = path.join(dir, `vault-${size}.db`);
      const { vault, redactor } = open(file);
      await fill(vault, size, 0);
      await redactor.scopeIndex(SCOPE); // the scope as a running proxy holds it
      for (const adding of [true, false]) {
        const name = adding ? "adds one" : "adds none";
        const r = await run(redactor, adding);
        base[name] ??= r.p50;
        console.log(
          `${String(size).padStart(8)} ${name.padEnd(12)} ${ms(r.p50)} ${ms(r.p90)} ${(r.p50 / (base[name] ?? r.p50)).toFixed(2).padStart(11)}×`,
        );
      }
      await vault.close();
      if (size === SIZES[SIZES.length - 1]) {
        // A restart: a new connection and pipeline on the same file; the first requests load the scope.
        // The longest the event loop was held meanwhile is what every other request of the proxy waits.
        const again = open(file);
        const stalls = stallProbe();
        const first = await time(again.redactor, false);
        const held = stalls.stop();
        const second = await time(again.redactor, true);
        const third = await time(again.redactor, false);
        console.log(
          `${String(size).padStart(8)} after restart, at once: 1st request ${first.toFixed(1)} ms (event loop held ${held.toFixed(0)} ms at most), 2nd ${second.toFixed(1)} ms, 3rd ${third.toFixed(1)} ms`,
        );
        await again.vault.close();
        // The same once `serve`'s background warm-up (redactor.warm: the vault decrypts the stored scopes and
        // hands them to the pipeline, which builds their known values a chunk per turn) has run: the first request
        // right away (it finishes what is left of its scope's build), and after a second idle.
        for (const idleMs of [0, 1000]) {
          const warmed = open(file);
          const t0 = performance.now();
          await warmed.redactor.warm();
          const warmMs = performance.now() - t0;
          if (idleMs > 0) await new Promise<void>((resolve) => setTimeout(resolve, idleMs));
          const w1 = await time(warmed.redactor, false);
          const w2 = await time(warmed.redactor, true);
          const w3 = await time(warmed.redactor, false);
          console.log(
            `${String(size).padStart(8)} after restart and warm-up (${warmMs.toFixed(0)} ms in the background)${idleMs > 0 ? ` and ${idleMs} ms idle` : ""}: 1st request ${w1.toFixed(1)} ms, 2nd ${w2.toFixed(1)} ms, 3rd ${w3.toFixed(1)} ms`,
          );
          await warmed.vault.close();
        }
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
