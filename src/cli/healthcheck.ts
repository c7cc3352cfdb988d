/**
 * Container healthcheck: GET /healthz on the configured host and port (MEMPRIVACY_HOST/PORT), exit 0 when
 * it answers 200 within 2 s, else 1. Uses node:http so it needs nothing beyond Node itself.
 */
import http from "node:http";

const rawHost = process.env.MEMPRIVACY_HOST ?? "127.0.0.1";
const host = rawHost === "0.0.0.0" || rawHost === "::" ? "127.0.0.1" : rawHost;
const port = Number(process.env.MEMPRIVACY_PORT ?? "8787");

const req = http.get({ host, port, path: "/healthz", timeout: 2000 }, (res) => {
  res.resume();
  process.exitCode = res.statusCode === 200 ? 0 : 1;
});
req.on("timeout", () => req.destroy(new Error("timeout")));
req.on("error", () => {
  process.exitCode = 1;
});
