/**
 * The local model's figures as Prometheus metrics (src/detection/model/figures.ts names them): fixed
 * names, no labels, values read from the detector at scrape time.
 */
import { Counter, Gauge } from "prom-client";
import type { Registry } from "prom-client";
import { figureValue, MODEL_FIGURES } from "../detection/model/figures.js";
import type { DetectorInfo } from "../detection/span.js";

/** Registers the figures the detector has at call time (none for the rules alone) on `registry`. */
export function registerModelMetrics(registry: Registry, details: () => DetectorInfo["details"]): void {
  for (const f of MODEL_FIGURES) {
    if (figureValue(details(), f.key) === undefined) continue;
    const read = (): number | undefined => figureValue(details(), f.key);
    const base = { name: f.name, help: f.help, registers: [registry] };
    if (f.kind === "gauge") {
      new Gauge({
        ...base,
        collect() {
          this.set(read() ?? 0);
        },
      });
    } else {
      new Counter({
        ...base,
        collect() {
          // A counter mirrors the detector's own count since load.
          const v = read();
          if (v === undefined) return;
          this.reset();
          this.inc(v);
        },
      });
    }
  }
}
