/**
 * Hostile-input benchmark (`npm run bench:hostile`): can one message freeze the proxy? Against the built
 * `memprivacy serve` (rules, `--detect-timeout-ms 1000`, default worker pool) in a process of its own, one
 * client sends a message of 1 Mi characters built from one rule family's favourite input (repeated amounts,
 * e-mails, digits, cue words, separators, …) while another polls `GET /healthz` back to back. Prints, per
 * family, the hostile request's status and time against the deadline, and the health checks' p50/p99/max.
 * Then, in this process, the rules' time per MB for 1 KB to 4 MB of each family (flat means linear).
 * Options: `--deadline MS` (default 1000), `--families a,b` (default all), `--no-server`, `--no-sizes`.
 */
import { freePort, waitHealthy } from "./lib/bench-process.js";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { request } from "undici";
import { detectRules } from "../src/detection/rules/index.js";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (argv[i + 1] ?? fallback);
};
const DEADLINE = Number(option("deadline", "1000"));
const ROOT = path.resolve(import.meta.dirname, "..");
const MI = 1024 * 1024;

/** Each family's adversarial unit, repeated to the wanted length. */
const FAMILIES: Readonly<Record<string, string>> = {
  amounts: "$1, ",
  "amounts-grouped": "1,000,000 dollars ",
  emails: "a@b.co ",
  "email-local": "a",
  digits: "1",
  "digit-groups": "12 34 ",
  "cue-words": "password ",
  "cue-code": "code is ",
  "cue-words-cjk": "密码是",
  "kv-token": "token=",
  separators: "-.:",
  "long-word": "x",
  "hex-colons": "ab:",
  phones: "+1 ",
  "phones-cn": "13800138000 ",
  codes: "AB-1",
  "address-cjk": "路1号",
  "address-en": "1 Aaaa ",
  "pem-headers": "-----BEGIN PRIVATE KEY-----",
  "password-shapes": "aB1!",
  ipv4: "1.1.1.",
};

const only = option("families", "");
const families = Object.entries(FAMILIES).filter(([name]) => only === "" || only.split(",").includes(name));

function page(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

async function startUpstream(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "scripts/bench-target.ts"), "upstream"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const m = /^listening (\S+)$/.exec(line);
    if (m?.[1] !== undefined) return { url: m[1], child };
  }
  throw new Error("the mock upstream exited before listening");
}

async function startProxy(upstream: string, dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const main = path.join(ROOT, "dist/src/cli/main.js");
  if (!fs.existsSync(main)) throw new Error("dist/ is missing: run `npm run build` first");
  const port = await freePort();
  const child = spawn(process.execPath, [main, "serve"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      MEMPRIVACY_HOST: "127.0.0.1",
      MEMPRIVACY_PORT: String(port),
      MEMPRIVACY_UPSTREAM_URL: upstream,
      MEMPRIVACY_DETECTOR: "rules",
      MEMPRIVACY_DETECT_TIMEOUT_MS: String(DEADLINE),
      MEMPRIVACY_LOG_LEVEL: "warn",
      MEMPRIVACY_EPHEMERAL: "true",
      MEMPRIVACY_DATA_DIR: dataDir,
      MEMPRIVACY_UI: "false",
    },
  });
  return waitHealthy(`http://127.0.0.1:${port}`, child);
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/** Sends one hostile message while polling /healthz; returns both sides' figures. */
async function attack(
  url: string,
  text: string,
): Promise<{ status: number; code: string; ms: number; health: number[] }> {
  let done = false;
  const health: number[] = [];
  const poller = (async () => {
    while (!done) {
      const t0 = performance.now();
      const res = await request(`${url}/healthz`);
      await res.body.text();
      health.push(performance.now() - t0);
    }
  })();
  const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: text }] });
  const t0 = performance.now();
  const res = await request(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-hostile" },
    body,
  });
  const answer = await res.body.text();
  const ms = performance.now() - t0;
  done = true;
  await poller;
  let code: string;
  try {
    code = (JSON.parse(answer) as { error?: { code?: string } }).error?.code ?? "";
  } catch {
    code = "";
  }
  return { status: res.statusCode, code, ms, health: health.sort((a, b) => a - b) };
}

async function serverPart(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "memprivacy-hostile-"));
  const children: ChildProcess[] = [];
  try {
    const upstream = await startUpstream();
    children.push(upstream.child);
    const proxy = await startProxy(upstream.url, dataDir);
    children.push(proxy.child);
    console.log(
      `1 Mi characters per hostile message; deadline (--detect-timeout-ms) ${DEADLINE} ms; /healthz polled back to back meanwhile`,
    );
    console.log(
      `${"family".padEnd(16)} ${"status".padStart(6)} ${"code".padEnd(20)} ${"time ms".padStart(8)} ${"÷ deadline".padStart(10)} ${"health n".padStart(8)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"max ms".padStart(7)}`,
    );
    // Warm the pool (its workers start on demand).
    await attack(proxy.url, page("warm up ", MI / 4));
    for (const [name, unit] of families) {
      const r = await attack(proxy.url, page(unit, MI));
      console.log(
        `${name.padEnd(16)} ${String(r.status).padStart(6)} ${(r.code === "" ? "-" : r.code).padEnd(20)} ${r.ms.toFixed(0).padStart(8)} ${(r.ms / DEADLINE).toFixed(2).padStart(10)} ${String(r.health.length).padStart(8)} ${quantile(r.health, 0.5).toFixed(1).padStart(7)} ${quantile(r.health, 0.99).toFixed(1).padStart(7)} ${(r.health.at(-1) ?? Number.NaN).toFixed(1).padStart(7)}`,
      );
    }
  } finally {
    for (const child of children) child.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function sizePart(): void {
  const sizes = [1024, 16 * 1024, 256 * 1024, MI, 4 * MI];
  console.log("\nRules alone, in process: ms per MB (1 MB = 2^20 characters) by text size");
  console.log(
    `${"family".padEnd(16)} ${sizes.map((s) => `${s >= MI ? `${s / MI}M` : `${s / 1024}K`}`.padStart(8)).join(" ")}`,
  );
  for (const [name, unit] of families) {
    const cells: string[] = [];
    for (const size of sizes) {
      const text = page(unit, size);
      // Small sizes repeat so that the clock sees at least ~50 ms of work.
      const rounds = Math.max(1, Math.floor((4 * MI) / size / 8));
      detectRules(text.slice(0, 1024));
      const t0 = performance.now();
      for (let i = 0; i < rounds; i++) detectRules(text);
      const ms = (performance.now() - t0) / rounds;
      cells.push((ms / (size / MI)).toFixed(0).padStart(8));
    }
    console.log(`${name.padEnd(16)} ${cells.join(" ")}`);
  }
}

console.log(`MemPrivacy hostile-input benchmark — node ${process.version}, ${os.cpus().length} cores`);
if (!argv.includes("--no-server")) await serverPart();
if (!argv.includes("--no-sizes")) sizePart();
