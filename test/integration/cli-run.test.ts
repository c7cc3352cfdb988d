/**
 * `memprivacy run -- COMMAND` and `memprivacy env`, through the real CLI (tsx): the command sees the
 * documented environment, its exit status (and signal) comes back, signals reach it, the proxy `run`
 * started is gone afterwards, a second `run` reuses a running proxy, and an address held by something
 * else stops `run` before the command starts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/app.js";
import { freePort } from "../../scripts/lib/bench-process.js";

const data = tempDir();
afterAll(() => data.cleanup());

/** A script for the command: prints its environment, then obeys argv (exit N, wait, trap a signal). */
const SCRIPT = path.join(data.dir, "agent.mjs");
fs.writeFileSync(
  SCRIPT,
  `const [mode, arg] = process.argv.slice(2);
const names = ["OPENAI_BASE_URL", "OPENAI_API_BASE", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_URL",
  "OPENAI_AGENTS_DISABLE_TRACING", "MEMPRIVACY_USER_NAME", "KEEP_ME"];
const env = Object.fromEntries(names.map((n) => [n, process.env[n] ?? null]));
const health = await fetch(process.env.ANTHROPIC_BASE_URL + "/healthz").then((r) => r.status, () => 0);
console.log(JSON.stringify({ env, health }));
if (mode === "exit") process.exit(Number(arg));
if (mode === "kill") process.kill(process.pid, arg);
if (mode === "trap") {
  process.on(arg, () => { console.log("got " + arg); process.exit(42); });
  console.log("ready");
  setInterval(() => {}, 1000);
}
if (mode === "wait") {
  console.log("ready");
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
}
`,
);

interface Done {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Started {
  readonly child: ChildProcess;
  readonly done: Promise<Done>;
  /** Resolves once stdout holds `text`. */
  waitFor(text: string): Promise<void>;
}

function startCli(args: readonly string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    env: {
      ...process.env,
      MEMPRIVACY_DATA_DIR: data.dir,
      MEMPRIVACY_DETECTOR: "rules",
      MEMPRIVACY_EPHEMERAL: "true",
      ...env,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.setEncoding("utf8").on("data", (c: string) => {
    stdout += c;
    for (const w of waiters) if (stdout.includes(w.text)) w.resolve();
  });
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const done = new Promise<Done>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return {
    child,
    done,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.includes(text)) return resolve();
        waiters.push({ text, resolve });
        void done.then((d) => reject(new Error(`exited before "${text}": ${d.stderr}`)));
      }),
  };
}

async function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Done> {
  const started = startCli(args, env);
  started.child.stdin?.end();
  return started.done;
}

/** A port that was free a moment ago. */
/** Whether anything accepts connections on the port. */
async function listening(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    () => true,
    () => false,
  );
}

function report(stdout: string): { env: Record<string, string | null>; health: number } {
  const line = stdout.split("\n").find((l) => l.startsWith("{")) ?? "{}";
  return JSON.parse(line) as { env: Record<string, string | null>; health: number };
}

describe("memprivacy run", () => {
  it("runs the command with the documented environment, then stops the proxy it started", async () => {
    const port = await freePort();
    const res = await cli(
      ["run", "--port", String(port), "--user-name", "张三 O'Brien", "--", "node", SCRIPT],
      {
        KEEP_ME: "kept",
        OPENAI_API_BASE: "https://api.openai.com/v1",
      },
    );
    expect(res.code, res.stderr).toBe(0);
    const base = `http://127.0.0.1:${port}`;
    expect(report(res.stdout)).toEqual({
      env: {
        OPENAI_BASE_URL: `${base}/v1`,
        // A stale OPENAI_API_BASE (read first by LangChain and aider) is replaced, not left to bypass the proxy.
        OPENAI_API_BASE: `${base}/v1`,
        ANTHROPIC_BASE_URL: base,
        ANTHROPIC_API_URL: base,
        OPENAI_AGENTS_DISABLE_TRACING: "1",
        MEMPRIVACY_USER_NAME: "张三 O'Brien",
        KEEP_ME: "kept",
      },
      health: 200,
    });
    expect(res.stderr).toContain(`proxy started at ${base}`);
    expect(await listening(port)).toBe(false);
  }, 60_000);

  it("accepts the command without -- and leaves the command's own flags to it", async () => {
    const res = await cli(["run", "--port", "0", "node", SCRIPT, "exit", "0", "--help"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toContain("Usage:");
    expect(report(res.stdout).health).toBe(200);
  }, 60_000);

  it("exits with the command's status, and 128+n when a signal ended it", async () => {
    const three = await cli(["run", "--port", "0", "--", "node", SCRIPT, "exit", "3"]);
    expect(three.code).toBe(3);
    const killed = await cli(["run", "--port", "0", "--", "node", SCRIPT, "kill", "SIGTERM"]);
    expect(killed.code).toBe(128 + 15);
    const missing = await cli(["run", "--port", "0", "--", "no-such-command-memprivacy-test"]);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain("PRX_CLI_COMMAND_FAILED");
  }, 90_000);

  it.each(["SIGTERM", "SIGINT"] as const)(
    "forwards %s to the command and stops the proxy after it",
    async (signal) => {
      const port = await freePort();
      const run = startCli(["run", "--port", String(port), "--", "node", SCRIPT, "trap", signal]);
      await run.waitFor("ready");
      expect(await listening(port)).toBe(true);
      run.child.kill(signal);
      const res = await run.done;
      expect(res.stdout).toContain(`got ${signal}`);
      expect(res.code).toBe(42);
      expect(await listening(port)).toBe(false);
    },
    60_000,
  );

  it("a second run reuses the running proxy and leaves it running", async () => {
    const port = await freePort();
    const first = startCli(["run", "--port", String(port), "--", "node", SCRIPT, "wait"]);
    await first.waitFor("ready");
    const second = await cli(["run", "--port", String(port), "--", "node", SCRIPT, "exit", "5"]);
    expect(second.code).toBe(5);
    expect(second.stderr).toContain(`using the proxy already running at http://127.0.0.1:${port}`);
    expect(report(second.stdout).env.OPENAI_BASE_URL).toBe(`http://127.0.0.1:${port}/v1`);
    expect(report(second.stdout).health).toBe(200);
    // The first run's proxy outlives the second run.
    expect(await listening(port)).toBe(true);
    first.child.stdin?.end();
    expect((await first.done).code).toBe(0);
    expect(await listening(port)).toBe(false);
  }, 90_000);

  it("refuses an address held by something that is not a MemPrivacy proxy, before running the command", async () => {
    const other = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const { port } = other.address() as AddressInfo;
    const marker = path.join(data.dir, "ran");
    try {
      const res = await cli([
        "run",
        "--port",
        String(port),
        "--",
        "node",
        "-e",
        `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`,
      ]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("PRX_CLI_ADDRESS_IN_USE");
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      other.closeAllConnections();
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  }, 60_000);
});

describe("memprivacy env", () => {
  it("prints shell exports that eval back to the same values, quotes and all", async () => {
    const port = await freePort();
    const res = await cli(["env", "--port", String(port), "--user-name", "O'Brien $(touch x) `id` 张三"]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("no proxy is listening");
    const base = `http://127.0.0.1:${port}`;
    expect(res.stdout).toContain(`export OPENAI_BASE_URL='${base}/v1'\n`);
    expect(res.stdout).toContain(`export ANTHROPIC_BASE_URL='${base}'\n`);
    expect(res.stdout).toContain("export OPENAI_AGENTS_DISABLE_TRACING='1'\n");
    const shell = spawn(
      "sh",
      ["-c", 'eval "$(cat)"; printf "%s|%s" "$MEMPRIVACY_USER_NAME" "$OPENAI_API_BASE"'],
      {
        cwd: data.dir,
      },
    );
    let out = "";
    shell.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    shell.stdin.end(res.stdout);
    await new Promise((resolve) => shell.on("close", resolve));
    expect(out).toBe(`O'Brien $(touch x) \`id\` 张三|${base}/v1`);
    expect(fs.existsSync(path.join(data.dir, "x"))).toBe(false);
  }, 60_000);
});
