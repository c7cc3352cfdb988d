/**
 * `memprivacy serve` as a child process (the CLI from source through tsx), for the tests that run several proxy
 * processes: replicas of one shared vault, the compose example.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { waitHealthy } from "../../scripts/lib/bench-process.js";

export interface Replica {
  readonly url: string;
  readonly child: ChildProcess;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Starts `memprivacy serve` with `env` (on top of this process's) and resolves once `/healthz` answers 200. */
export async function startReplica(
  env: Readonly<Record<string, string>>,
  args: readonly string[] = [],
): Promise<Replica> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "serve", "--port", String(port), ...args],
    {
      env: { ...process.env, MEMPRIVACY_LOG_LEVEL: "warn", MEMPRIVACY_UI: "false", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  return waitHealthy(`http://127.0.0.1:${port}`, child);
}
