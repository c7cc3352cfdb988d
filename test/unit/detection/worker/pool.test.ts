// The rule pool: the same spans as the inline rules, off the event loop for large texts, aborted texts stop
// their worker (and a replacement serves the next one), close rejects what is pending.
import { afterEach, describe, expect, it } from "vitest";
import { detectRules } from "../../../../src/detection/rules/index.js";
import { createRulePoolDetector, type RulePoolDetector } from "../../../../src/detection/worker/pool.js";

const pools: RulePoolDetector[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
});
const pool = (workers: number, minChars = 64): RulePoolDetector => {
  const p = createRulePoolDetector({ workers, minChars });
  pools.push(p);
  return p;
};

const SAMPLE =
  "Call me at +1 (415) 555-0132 or mail jane.doe@example.com; my password is Tr0ub4dor&3 and the card 4111 1111 1111 1111. ";
// A page of cue words: a second or so of rule work, on this machine and slower ones alike.
const HOSTILE = "密码是".repeat(2_000_000);

describe("rule pool", () => {
  it("offloads large texts and returns exactly the inline spans", async () => {
    const p = pool(2);
    const text = SAMPLE.repeat(20);
    const spans = await p.detect({ text, userName: "Jane Doe" });
    expect(spans).toEqual(detectRules(text, { userName: "Jane Doe" }));
    expect(p.poolStats().offloaded).toBe(1);
  });

  it("detects short texts inline without starting a worker", async () => {
    const p = pool(2, 10_000);
    expect(await p.detect({ text: SAMPLE })).toEqual(detectRules(SAMPLE));
    expect(p.poolStats()).toMatchObject({ workers: 0, offloaded: 0 });
  });

  it("keeps the event loop free while a worker detects", async () => {
    const p = pool(1);
    let turns = 0;
    const ticking = setInterval(() => turns++, 1);
    try {
      const done = p.detect({ text: SAMPLE.repeat(4000) });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const seenBefore = turns;
      await done;
      // Timers ran while the text was being detected (inline, none could).
      expect(seenBefore).toBeGreaterThan(0);
    } finally {
      clearInterval(ticking);
    }
  });

  it("an aborted text rejects at once, its worker is terminated and replaced", async () => {
    const p = pool(1);
    const controller = new AbortController();
    const slow = p.detect({ text: HOSTILE }, controller.signal);
    const queued = p.detect({ text: SAMPLE.repeat(10) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error("deadline"));
    await expect(slow).rejects.toThrow("deadline");
    expect(p.poolStats().terminated).toBe(1);
    // The queued text runs on a fresh worker.
    expect(await queued).toEqual(detectRules(SAMPLE.repeat(10)));
  });

  it("rejects a text whose signal is already aborted, and pending texts on close", async () => {
    const p = pool(1);
    const controller = new AbortController();
    controller.abort(new Error("gone"));
    await expect(p.detect({ text: SAMPLE.repeat(10) }, controller.signal)).rejects.toThrow("gone");
    const pending = expect(p.detect({ text: HOSTILE })).rejects.toThrow(/closed/);
    await p.close();
    await pending;
    await expect(p.detect({ text: SAMPLE })).rejects.toThrow(/closed/);
  });

  it("runs every text inline with no workers", async () => {
    const p = pool(0);
    const text = SAMPLE.repeat(20);
    expect(await p.detect({ text })).toEqual(detectRules(text));
    expect(p.poolStats().workers).toBe(0);
  });
});
