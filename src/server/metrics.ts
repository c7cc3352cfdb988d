/**
 * Prometheus metrics (prom-client, own registry). Labels are fixed vocabularies: route templates, status
 * classes, levels, and type names restricted to the standard tags (anything else is `other`) — a label can
 * never carry a value or a free-form string from a request.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DetectorInfo } from "../detection/span.js";
import { standardLevelOf } from "../taxonomy/types.js";
import { registerModelMetrics } from "./model-metrics.js";

export interface Metrics {
  readonly registry: Registry;
  readonly requests: Counter<"route" | "status">;
  readonly spans: Counter<"level" | "type">;
  readonly redactionSeconds: Histogram<"route">;
  readonly upstreamSeconds: Histogram<"route" | "status">;
  readonly streamRestorations: Counter<"route">;
  readonly detectorFailures: Counter<"code">;
  readonly vaultEntries: Gauge;
}

/** A label-safe type name: the standard tag itself, or `other`. */
export function typeLabel(type: string): string {
  return standardLevelOf(type) === undefined ? "other" : type;
}

/** Creates the metrics on a fresh registry. `vaultSize` and the local model's figures are read at scrape time. */
export function createMetrics(
  vaultSize: () => Promise<number>,
  detectorDetails: () => DetectorInfo["details"] = () => undefined,
): Metrics {
  const registry = new Registry();
  registerModelMetrics(registry, detectorDetails);
  // prom-client names its defaults process_* and nodejs_*: the prefix is only ours.
  collectDefaultMetrics({ register: registry, prefix: "memprivacy_" });
  const secondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  return {
    registry,
    requests: new Counter({
      name: "memprivacy_requests_total",
      help: "Requests handled, by route template and status code class.",
      labelNames: ["route", "status"],
      registers: [registry],
    }),
    spans: new Counter({
      name: "memprivacy_spans_total",
      help: "Private spans replaced, by level and standard type (other for free-form types).",
      labelNames: ["level", "type"],
      registers: [registry],
    }),
    redactionSeconds: new Histogram({
      name: "memprivacy_redaction_seconds",
      help: "Time to redact a request (detection, vault, substitution).",
      labelNames: ["route"],
      buckets: secondsBuckets,
      registers: [registry],
    }),
    upstreamSeconds: new Histogram({
      name: "memprivacy_upstream_seconds",
      help: "Time from sending a request upstream to its response headers.",
      labelNames: ["route", "status"],
      buckets: secondsBuckets,
      registers: [registry],
    }),
    streamRestorations: new Counter({
      name: "memprivacy_stream_restorations_total",
      help: "Placeholders restored in streamed responses.",
      labelNames: ["route"],
      registers: [registry],
    }),
    detectorFailures: new Counter({
      name: "memprivacy_detector_failures_total",
      help: "Requests refused because detection failed (fail closed), by error code.",
      labelNames: ["code"],
      registers: [registry],
    }),
    vaultEntries: new Gauge({
      name: "memprivacy_vault_entries",
      help: "Placeholder mappings held in the vault.",
      registers: [registry],
      async collect() {
        try {
          this.set(await vaultSize());
        } catch {
          // The vault is unreachable (a shared database down): the last count stays; /healthz says why.
        }
      },
    }),
  };
}
