/**
 * `memprivacy serve` as a child process (the CLI from source through tsx), for the tests that run several proxy
 * processes: replicas of one shared vault, the compose example.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { request } from "undici";

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
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    const ok = await request(`${url}/healthz`).then(
      async (r) => (await r.body.text(), r.statusCode === 200),
      () => false,
    );
    if (ok) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("memprivacy serve did not become healthy");
}
