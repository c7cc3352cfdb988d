import { describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/server/metrics.js";

describe("metric names", () => {
  it("carry the memprivacy_ prefix once and never repeat a word", async () => {
    const text = await createMetrics(() => Promise.resolve(0)).registry.metrics();
    const names = [...new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1] as string))];
    expect(names).toContain("memprivacy_process_cpu_user_seconds_total");
    expect(names).toContain("memprivacy_nodejs_eventloop_lag_seconds");
    for (const name of names) {
      expect(name.startsWith("memprivacy_"), name).toBe(true);
      const words = name.split("_");
      expect(
        words.some((w, i) => i > 0 && w === words[i - 1]),
        name,
      ).toBe(false);
    }
  });
});
