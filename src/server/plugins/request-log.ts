/**
 * What the proxy records of each finished request (registered on the root instance): the request counter,
 * one entry in the live-traffic log (proxied routes only) and one log line — counts, statuses and
 * timings, never a URL with its query, a header or a body.
 */
import type { RequestFacts } from "../context.js";
import type { Metrics } from "../metrics.js";
import type { TrafficLog } from "../traffic.js";
import type { AppInstance } from "../types.js";

/** Routes that are the proxy's own pages and probes, not traffic through it. */
const NOT_TRAFFIC = new Set(["/", "/healthz", "/readyz", "/metrics"]);

/** Whether a route pattern is traffic through the proxy (not its page, probes or own API). */
function isTraffic(route: string): boolean {
  return !NOT_TRAFFIC.has(route) && !route.startsWith("/ui/") && !route.startsWith("/v1/memprivacy/");
}

/** The levels at which the `info` line is written (pino's; the proxy defines no custom level). */
const INFO_LOGGED = new Set(["info", "debug", "trace"]);

/** The line logged per request: counts, status and timings, and every one of the request's facts. */
type LogLine = { method: string; route: string; status: number; ms: number } & {
  [K in keyof Required<RequestFacts>]: RequestFacts[K];
};

/** Span counts of a request that redacted nothing (shared: entries are never changed). */
const NO_SPANS = Object.freeze({ PL2: 0, PL3: 0, PL4: 0 });

/** Registers the `onResponse` record on the root instance `app`. */
export function registerRequestLog(app: AppInstance, metrics: Metrics, traffic: TrafficLog): void {
  // The entry and the log line are built field by field: the object spreads of the request's facts they were
  // built with measured ~2 µs and ~4 µs in a microbenchmark, against ~0.1 µs for a literal.
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    const status = reply.statusCode;
    metrics.requests.inc({ route, status: `${Math.floor(status / 100)}xx` });
    const f = request.facts;
    if (isTraffic(route)) {
      traffic.record({
        time: new Date().toISOString(),
        method: request.method,
        route,
        status,
        upstreamStatus: f.upstreamStatus,
        spans: f.spans ?? NO_SPANS,
        redactionMs: f.redactionMs,
        upstreamMs: f.upstreamMs,
        totalMs: Math.round(reply.elapsedTime * 100) / 100,
        streamed: f.streamed === true,
      });
    }
    if (!INFO_LOGGED.has(request.log.level)) return;
    // Every fact by name (one added to RequestFacts and not here fails to compile); pino leaves out the ones
    // that are undefined.
    const line: LogLine = {
      method: request.method,
      route,
      status,
      ms: Math.round(reply.elapsedTime),
      spans: f.spans,
      redactionMs: f.redactionMs,
      upstreamMs: f.upstreamMs,
      upstreamStatus: f.upstreamStatus,
      streamed: f.streamed,
    };
    request.log.info(line, "request completed");
  });
}
