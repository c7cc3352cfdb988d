/**
 * `memprivacy run [options] -- COMMAND [ARGS…]` and `memprivacy env`: an agent in one command.
 * `run` uses the MemPrivacy proxy already listening on the configured address or starts one in this
 * process, runs the command with the environment of cli/agent-env.ts, passes stdio through and forwards
 * signals, stops the proxy it started when the command exits, and exits with the command's status
 * (128 + n when a signal ended it). A port in use by anything but a MemPrivacy proxy stops it before the
 * command runs: the command never starts without the proxy in front of it (fail closed).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildApp } from "../app.js";
import type { Config } from "../config/schema.js";
import { proxyError } from "../errors/catalogue.js";
import { agentEnvironment, formatExports, proxyBaseUrl } from "./agent-env.js";

/** What answers at an address: nothing, a MemPrivacy proxy, or something else. */
export type ProbeResult = "none" | "memprivacy" | "other";

async function getJson(url: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  try {
    return await fetchJson(url, timeoutMs);
  } catch (err) {
    // A kept-alive connection that the server closed since it was last used: once more, on a new connection.
    if ((err as { cause?: { code?: unknown } } | null)?.cause?.code === "UND_ERR_SOCKET")
      return fetchJson(url, timeoutMs);
    throw err;
  }
}

async function fetchJson(url: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, body: undefined };
  }
}

/** Whether a fetch failed because nothing listens there (every address tried refused the connection). */
function refusedConnection(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown; errors?: unknown } } | null)?.cause;
  if (cause?.code === "ECONNREFUSED") return true;
  return (
    Array.isArray(cause?.errors) &&
    cause.errors.length > 0 &&
    cause.errors.every((e) => (e as { code?: unknown } | null)?.code === "ECONNREFUSED")
  );
}

/**
 * Probes `baseUrl`: `none` when nothing accepts the connection, `memprivacy` when `/healthz` answers
 * `{status: "ok"}` and `/readyz` names a detector and a vault (as only this proxy does), else `other`.
 */
export async function probeProxy(baseUrl: string, timeoutMs = 2000): Promise<ProbeResult> {
  let health: { status: number; body: unknown };
  try {
    health = await getJson(`${baseUrl}/healthz`, timeoutMs);
  } catch (err) {
    return refusedConnection(err) ? "none" : "other";
  }
  if (health.status !== 200 || (health.body as { status?: unknown } | undefined)?.status !== "ok")
    return "other";
  try {
    const ready = await getJson(`${baseUrl}/readyz`, timeoutMs);
    const body = ready.body as { detector?: { kind?: unknown }; vault?: unknown } | undefined;
    return typeof body?.detector?.kind === "string" && typeof body.vault === "string"
      ? "memprivacy"
      : "other";
  } catch {
    return "other";
  }
}

/** Where `run` writes the proxy's log lines (the terminal belongs to the command). */
export function runLogFile(config: Pick<Config, "dataDir">): string {
  return path.join(config.dataDir, "run.log");
}

interface RunningProxy {
  readonly baseUrl: string;
  /** Stops the proxy when this process started it; a no-op for a proxy that was already running. */
  stop(): Promise<void>;
  readonly started: boolean;
  /** Which detector the started proxy runs (`rules`, `model`, …), as `/readyz` says. */
  readonly detector?: string;
}

async function startProxy(config: Config): Promise<RunningProxy> {
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const logFile = runLogFile(config);
  const log = fs.createWriteStream(logFile, { flags: "a", mode: 0o600 });
  const app = await buildApp(config, { logDestination: log });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    log.end();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const ready = await app.inject({ method: "GET", url: "/readyz" });
  const reported = ready.json<{ detector?: { kind?: unknown } }>().detector?.kind;
  const kind = typeof reported === "string" ? reported : "unknown";
  return {
    baseUrl: proxyBaseUrl(config.host, port),
    started: true,
    detector: kind,
    async stop() {
      await app.close();
      await new Promise<void>((resolve) => log.end(resolve));
    },
  };
}

/** The proxy on the configured address: the one already there, or a new one in this process. */
async function ensureProxy(config: Config, stderr: NodeJS.WritableStream): Promise<RunningProxy> {
  const configured = proxyBaseUrl(config.host, config.port);
  // Port 0 asks for a fresh proxy on a free port: there is nothing to reuse.
  for (let attempt = 0; attempt < 2; attempt++) {
    const found = config.port === 0 ? "none" : await probeProxy(configured);
    if (found === "memprivacy") {
      stderr.write(
        `memprivacy: using the proxy already running at ${configured} (its own configuration applies)\n`,
      );
      return { baseUrl: configured, started: false, stop: async () => {} };
    }
    if (found === "other") throw proxyError("PRX_CLI_ADDRESS_IN_USE", { detail: configured });
    try {
      const proxy = await startProxy(config);
      stderr.write(
        `memprivacy: proxy started at ${proxy.baseUrl} (detector: ${proxy.detector ?? "unknown"}; log: ${runLogFile(config)})\n`,
      );
      return proxy;
    } catch (err) {
      // Another `run` may have bound the port between the probe and the listen: look again once.
      if ((err as { code?: unknown }).code !== "EADDRINUSE" || attempt === 1) throw err;
    }
  }
  throw proxyError("PRX_CLI_ADDRESS_IN_USE", { detail: configured });
}

/** Signals passed on to the command. */
const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const;

/** The exit status a shell reports for a child that exited with `code` or was ended by `signal`. */
export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal === null ? undefined : os.constants.signals[signal];
  return n === undefined ? 1 : 128 + n;
}

export interface RunIo {
  readonly stderr?: NodeJS.WritableStream;
  /** The environment the command inherits (before the proxy's variables are added); process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Whether stdin is a terminal (then Ctrl-C already reached the command; see below). */
  readonly interactive?: boolean;
}

/**
 * Runs `command` behind the proxy and resolves with its exit status; 127 when it cannot be started.
 * SIGTERM, SIGHUP and SIGQUIT are forwarded; SIGINT too, except from a terminal, where Ctrl-C already
 * reaches the command (same process group) and a second copy would make agents that count presses quit.
 */
export async function runCommand(
  config: Config,
  command: readonly string[],
  io: RunIo = {},
): Promise<number> {
  const stderr = io.stderr ?? process.stderr;
  const [file, ...args] = command;
  if (file === undefined) {
    stderr.write("memprivacy run: no command given (memprivacy run [options] -- COMMAND [ARGS...])\n");
    return 2;
  }
  const proxy = await ensureProxy(config, stderr);
  const interactive = io.interactive ?? process.stdin.isTTY === true;
  const env = { ...(io.env ?? process.env), ...agentEnvironment(proxy.baseUrl, config) };
  const handlers = new Map<NodeJS.Signals, () => void>();
  try {
    return await new Promise<number>((resolve) => {
      const child = spawn(file, args, { stdio: "inherit", env });
      for (const signal of FORWARDED) {
        const handler = (): void => {
          if (signal === "SIGINT" && interactive) return;
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        };
        handlers.set(signal, handler);
        process.on(signal, handler);
      }
      child.once("error", (err) => {
        const code = (err as { code?: unknown }).code;
        stderr.write(
          `memprivacy: PRX_CLI_COMMAND_FAILED: could not start ${JSON.stringify(file)}${typeof code === "string" ? ` (${code})` : ""}\n`,
        );
        resolve(code === "EACCES" ? 126 : 127);
      });
      child.once("exit", (code, signal) => resolve(exitStatusOf(code, signal)));
    });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    await proxy.stop();
  }
}

/** Prints the agent environment for the configured address as shell exports; a note on stderr when no proxy answers there. */
export async function printEnv(
  config: Config,
  io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {},
): Promise<number> {
  const baseUrl = proxyBaseUrl(config.host, config.port);
  (io.stdout ?? process.stdout).write(formatExports(agentEnvironment(baseUrl, config)));
  const found = await probeProxy(baseUrl, 1000);
  if (found !== "memprivacy") {
    (io.stderr ?? process.stderr).write(
      found === "none"
        ? `# memprivacy: no proxy is listening at ${baseUrl} yet (start one: memprivacy serve)\n`
        : `# memprivacy: ${baseUrl} answers, but not as a MemPrivacy proxy\n`,
    );
  }
  return 0;
}

/**
 * Splits `run`'s arguments into its own options and the command: at `--`, or else at the first word that
 * is neither an option nor an option's value (options not in `booleans` take a value unless `--x=v`).
 */
export function splitRunArgs(
  argv: readonly string[],
  booleans: ReadonlySet<string>,
): { options: string[]; command: string[] } {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") return { options: argv.slice(0, i), command: argv.slice(i + 1) };
    if (!arg.startsWith("--")) return { options: argv.slice(0, i), command: argv.slice(i) };
    const name = arg.slice(2);
    if (
      !name.includes("=") &&
      !booleans.has(name) &&
      !(name.startsWith("no-") && booleans.has(name.slice(3)))
    )
      i++;
  }
  return { options: [...argv], command: [] };
}
