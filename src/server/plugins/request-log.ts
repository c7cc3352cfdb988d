/**
 * What the proxy records of each finished request (registered on the root instance): the request counter,
 * one entry in the live-traffic log (proxied routes only) and one log line — counts, statuses and
 * timings, never a URL with its query, a header or a body.
 */
import type { Metrics } from "../metrics.js";
import type { TrafficLog } from "../traffic.js";
import type { AppInstance } from "../types.js";

/** Routes that are the proxy's own pages and probes, not traffic through it. */
const NOT_TRAFFIC = new Set(["/", "/healthz", "/readyz", "/metrics"]);

/** Whether a route pattern is traffic through the proxy (not its page, probes or own API). */
function isTraffic(route: string): boolean {
  return !NOT_TRAFFIC.has(route) && !route.startsWith("/ui/") && !route.startsWith("/v1/memprivacy/");
}

/** Registers the `onResponse` record on the root instance `app`. */
export function registerRequestLog(app: AppInstance, metrics: Metrics, traffic: TrafficLog): void {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.requests.inc({ route, status: `${Math.floor(reply.statusCode / 100)}xx` });
    const f = request.facts;
    if (isTraffic(route)) {
      traffic.record({
        time: new Date().toISOString(),
        method: request.method,
        route,
        status: reply.statusCode,
        ...(f.upstreamStatus === undefined ? {} : { upstreamStatus: f.upstreamStatus }),
        spans: f.spans ?? { PL2: 0, PL3: 0, PL4: 0 },
        ...(f.redactionMs === undefined ? {} : { redactionMs: f.redactionMs }),
        ...(f.upstreamMs === undefined ? {} : { upstreamMs: f.upstreamMs }),
        totalMs: Math.round(reply.elapsedTime * 100) / 100,
        streamed: f.streamed === true,
      });
    }
    const line = {
      method: request.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    request.log.info({ ...line, ...f }, "request completed");
  });
}
