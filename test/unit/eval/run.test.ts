/** The eval's timing: warm-up by passes and by time (capped), the timed passes, and what the report says of them. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createRuleDetector } from "../../../src/detection/rules/index.js";
import type { Detector, Span } from "../../../src/detection/span.js";
import { runEvalCommand } from "../../../src/eval/run.js";
import { tempDir } from "../../helpers/app.js";

const data = tempDir();
afterAll(() => data.cleanup());

const file = path.join(data.dir, "bench.jsonl");
fs.writeFileSync(
  file,
  `${JSON.stringify({
    metadata: { language: "en" },
    dialogues: [
      { role: "user", content: "first turn", privacy_info: [] },
      { role: "user", content: "second turn", privacy_info: [] },
    ],
  })}\n`,
);

/** A detector that finds nothing and counts its calls (the eval's own timing is what is under test). */
function counting(): { detector: Detector; calls: () => number } {
  let calls = 0;
  const detector: Detector = {
    info: () => ({ kind: "rules", id: "counting", ready: true }),
    detect: (): Promise<Span[]> => {
      calls++;
      return Promise.resolve([]);
    },
    close: () => Promise.resolve(),
  };
  return { detector, calls: () => calls };
}

async function report(
  options: Parameters<typeof runEvalCommand>[1],
): Promise<{ warmupPasses: number; timedPasses: number; detectCpuMs: number; medianCpuMs: number }> {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    expect(await runEvalCommand([file, "--json"], options)).toBe(0);
    return JSON.parse(String(log.mock.calls.at(-1)?.[0])) as never;
  } finally {
    log.mockRestore();
  }
}

describe("eval timing", () => {
  it("runs exactly the passes asked for when the warm-up has no time floor", async () => {
    const { detector, calls } = counting();
    const r = await report({ detector, warmupPasses: 2, warmupMs: 0, timedPasses: 4, timedMs: 0 });
    expect(r.warmupPasses).toBe(2);
    expect(r.timedPasses).toBe(4);
    expect(calls()).toBe((2 + 4) * 2);
    expect(r.medianCpuMs).toBeGreaterThanOrEqual(r.detectCpuMs);
  });

  it("warms up for the time floor, capped at 50 passes", async () => {
    const { detector, calls } = counting();
    const r = await report({ detector, warmupPasses: 1, warmupMs: 60_000, timedPasses: 1, timedMs: 0 });
    expect(r.warmupPasses).toBe(50);
    expect(calls()).toBe((50 + 1) * 2);
  });

  it("times passes for the time floor, capped at 40 passes", async () => {
    const { detector, calls } = counting();
    const r = await report({ detector, warmupPasses: 0, warmupMs: 0, timedPasses: 2, timedMs: 60_000 });
    expect(r.timedPasses).toBe(40);
    expect(calls()).toBe(40 * 2);
  });

  it("by default times passes until 3 s of them, capped at 40", async () => {
    const { detector } = counting();
    const r = await report({ detector, warmupPasses: 0, warmupMs: 0 });
    // Passes of a detector that answers at once never reach 3 s: the cap ends them.
    expect(r.timedPasses).toBe(40);
  });

  it("with no warm-up at all times one pass", async () => {
    const { detector, calls } = counting();
    const r = await report({ detector, warmupPasses: 0, warmupMs: 0, timedPasses: 0, timedMs: 0 });
    expect([r.warmupPasses, r.timedPasses]).toEqual([0, 1]);
    expect(calls()).toBe(2);
  });

  it("also reports the leak with the conversation's values remembered, as the proxy's vault redacts", async () => {
    const conversation = path.join(data.dir, "conversation.jsonl");
    const name = (t: string): { original_text: string; privacy_type: string; privacy_level: string } => ({
      original_text: t,
      privacy_type: "Real Name",
      privacy_level: "PL2",
    });
    const record = (turns: string[]): string =>
      JSON.stringify({
        metadata: { language: "en" },
        dialogues: turns.map((content) => ({
          role: "user",
          content,
          privacy_info: [name("Zephyrine Oyelaran")],
        })),
      });
    // The second turn names her without a cue; in a second conversation nothing was learnt before it.
    fs.writeFileSync(
      conversation,
      `${record(["My name is Zephyrine Oyelaran.", "Zephyrine Oyelaran booked the room."])}\n` +
        `${record(["Zephyrine Oyelaran booked the room."])}\n`,
    );
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(
        await runEvalCommand([conversation, "--json"], {
          detector: createRuleDetector(),
          warmupPasses: 0,
          warmupMs: 0,
          timedPasses: 1,
          timedMs: 0,
        }),
      ).toBe(0);
      const r = JSON.parse(String(log.mock.calls.at(-1)?.[0])) as {
        results: { overall: { leakRate: number } };
        conversation: { leakRate: number };
      };
      expect(r.results.overall.leakRate).toBeCloseTo(2 / 3);
      expect(r.conversation.leakRate).toBeCloseTo(1 / 3);
    } finally {
      log.mockRestore();
    }
  });
});
