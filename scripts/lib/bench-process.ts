/** Shared by the benchmark scripts: waits for a `memprivacy serve` child process to answer `/healthz`. */
import type { ChildProcess } from "node:child_process";
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
