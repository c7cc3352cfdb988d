/** `memprivacy eval` scores the detector the configuration builds, rules included (not rules of its own). */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runEval } from "../../../src/cli/eval.js";
import type * as CacheModule from "../../../src/detection/cache.js";
import { tempDir, testConfig } from "../../helpers/app.js";

// The sizes the detection caches are made with (the real cache, recorded).
const cacheSizes = vi.hoisted(() => [] as number[]);
vi.mock("../../../src/detection/cache.js", async (importOriginal) => {
  const real = await importOriginal<typeof CacheModule>();
  return {
    ...real,
    createCachedDetector: (...args: Parameters<typeof real.createCachedDetector>) => {
      cacheSizes.push(args[1]);
      return real.createCachedDetector(...args);
    },
  };
});

const data = tempDir();
afterAll(() => data.cleanup());

/** One turn with a French national phone number: a phone for FR (a default region), not for US alone. */
const file = path.join(data.dir, "bench.jsonl");
fs.writeFileSync(
  file,
  `${JSON.stringify({
    metadata: { language: "fr" },
    dialogues: [
      {
        role: "user",
        content: "Rendez-vous: 04 90 75 40 81.",
        privacy_info: [
          { original_text: "04 90 75 40 81", privacy_type: "Phone Number", privacy_level: "PL2" },
        ],
      },
    ],
  })}\n`,
);

async function leakedPhones(phoneRegions?: string): Promise<unknown> {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    const config = testConfig({ detectWorkers: 0, ...(phoneRegions === undefined ? {} : { phoneRegions }) });
    expect(await runEval(config, [file], { json: true })).toBe(0);
    const report = JSON.parse(String(log.mock.calls.at(-1)?.[0])) as { leakByKind: unknown };
    return report.leakByKind;
  } finally {
    log.mockRestore();
  }
}

describe("memprivacy eval", () => {
  it("runs the rules with the configured phone regions", async () => {
    expect(await leakedPhones()).toEqual([{ kind: "phones", leaked: 0, gold: 1 }]);
    expect(await leakedPhones("US")).toEqual([{ kind: "phones", leaked: 1, gold: 1 }]);
  });

  it("times detection itself: the passes after the first are not answered by the detection cache", async () => {
    cacheSizes.length = 0;
    await leakedPhones();
    expect(cacheSizes.length).toBeGreaterThan(0);
    expect(cacheSizes.every((n) => n === 0)).toBe(true);
  });
});
