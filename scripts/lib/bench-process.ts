/**
 * Shared by the benchmark scripts and the tests that run `memprivacy serve` as a process: a free port, and
 * waiting for the child to answer `/healthz`.
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { request } from "undici";

/** Resolves once `url/healthz` answers 200 (checked every 100 ms, 20 s at most); kills the child otherwise. */
export async function waitHealthy<T extends ChildProcess>(
  url: string,
  child: T,
): Promise<{ url: string; child: T }> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    const ok = await request(`${url}/healthz`).then(
      async (r) => (await r.body.text(), r.statusCode === 200),
      () => false,
    );
    if (ok) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("memprivacy serve did not become healthy");
}

/** A TCP port free on 127.0.0.1 right now (a listener on port 0, closed again). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
