/**
 * Container healthcheck: GET /healthz where the configured proxy listens (src/cli/health-target.ts: the same
 * configuration the server loads, file included), exit 0 when it answers 200 within 2 s, else 1 — also when
 * the configuration is invalid, since no proxy runs then. Uses node:http and the configuration loader only.
 */
import http from "node:http";
import { healthTarget } from "./health-target.js";

let target: { host: string; port: number } | undefined;
try {
  target = healthTarget(process.env);
} catch {
  process.exitCode = 1;
}

if (target !== undefined) {
  const req = http.get({ ...target, path: "/healthz", timeout: 2000 }, (res) => {
    res.resume();
    process.exitCode = res.statusCode === 200 ? 0 : 1;
  });
  req.on("timeout", () => req.destroy(new Error("timeout")));
  req.on("error", () => {
    process.exitCode = 1;
  });
}
