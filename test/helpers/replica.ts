/**
 * `memprivacy serve` as a child process (the CLI from source through tsx), for the tests that run several proxy
 * processes: replicas of one shared vault, the compose example.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort, waitHealthy } from "../../scripts/lib/bench-process.js";

export { freePort };

export interface Replica {
  readonly url: string;
  readonly child: ChildProcess;
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
