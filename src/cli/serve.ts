/** `memprivacy serve`: builds the app, listens, and closes gracefully on SIGINT/SIGTERM. */
import { buildApp } from "../app.js";
import type { Config } from "../config/schema.js";

/** Runs the server until a signal; resolves with the exit code. */
export async function runServe(config: Config): Promise<number> {
  const app = await buildApp(config);
  await app.listen({ host: config.host, port: config.port });
  return new Promise<number>((resolve) => {
    let closing = false;
    const stop = (signal: string): void => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, "shutting down");
      app.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}
