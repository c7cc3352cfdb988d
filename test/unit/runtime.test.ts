import { describe, expect, it } from "vitest";
import { createRuntime, pipelineDeadlineMs, retentionFromConfig } from "../../src/runtime.js";
import { createMemoryVault } from "../../src/vault/index.js";
import { scriptedDetector } from "../helpers/detectors.js";
import { tempDir, testConfig } from "../helpers/app.js";

const DAY = 86_400_000;

describe("createRuntime", () => {
  it("opens the vault with the configured retention of every level", async () => {
    const config = testConfig({ retentionDaysPl2: 3, retentionDaysPl3: 2, retentionDaysPl4: 1 });
    expect(retentionFromConfig(config)).toEqual({ PL2: 3 * DAY, PL3: 2 * DAY, PL4: DAY });
    const runtime = createRuntime(config);
    const { redactor } = await runtime.detection();
    await redactor.redact({
      items: [{ text: "Call 13800138000. My verification code is 89757, do not share it.", role: "user" }],
      scope: "named:t",
      policy: runtime.policy,
      userName: undefined,
      maskKnown: false,
    });
    const days = Object.fromEntries(
      (await runtime.vault.exportEntries("named:t")).map((e) => [e.level, (e.expires - e.created) / DAY]),
    );
    expect(days).toEqual({ PL2: 3, PL4: 1 });
    await runtime.close();
  });

  it("builds detection once, closes what it built and leaves what it was given open", async () => {
    const config = testConfig();
    const vault = createMemoryVault();
    let vaultClosed = 0;
    vault.close = async () => {
      vaultClosed++;
    };
    const detector = scriptedDetector([]);
    let closed = 0;
    detector.close = async () => {
      closed++;
    };
    const runtime = createRuntime(config, { vault, detector });
    const first = await runtime.detection();
    expect(await runtime.detection()).toBe(first);
    expect(first.detector).toBe(detector);
    await runtime.close();
    await runtime.close();
    expect([closed, vaultClosed]).toEqual([0, 0]);
    await expect(runtime.detection()).rejects.toMatchObject({ code: "PRX_DETECT_FAILED" });
  });

  it("closes the light rule detector it built beside a detector it was given", async () => {
    const runtime = createRuntime(testConfig({ detectWorkers: 1 }), { detector: scriptedDetector([]) });
    const { lightDetector } = await runtime.detection();
    expect(lightDetector.info().kind).toBe("rules");
    await expect(lightDetector.detect({ text: "call 13800138000" })).resolves.toHaveLength(1);
    await runtime.close();
    await expect(lightDetector.detect({ text: "call 13800138001" })).rejects.toThrow();
  });

  it("closes its own vault", async () => {
    const data = tempDir();
    try {
      const runtime = createRuntime(testConfig({ ephemeral: false, dataDir: data.dir }), { env: {} });
      expect(runtime.vault.kind).toBe("sqlite");
      expect((await runtime.vault.stats()).entries).toBe(0);
      await runtime.close();
      await expect(runtime.vault.stats()).rejects.toThrow();
    } finally {
      data.cleanup();
    }
  });

  it("takes the policy from the configuration", () => {
    const runtime = createRuntime(testConfig({ levels: "PL4", mode: "generic", allow: "a,b", deny: "c" }));
    expect(runtime.policy).toEqual({ levels: ["PL4"], mode: "generic", allow: ["a", "b"], deny: ["c"] });
    return runtime.close();
  });

  it("gives the pipeline the model's cap only for a model detector it built itself", () => {
    const config = testConfig({ detectTimeoutMs: 100, detectTimeoutMaxMs: 900 });
    const model = { ...scriptedDetector([]), info: () => ({ kind: "rules+model", id: "m", ready: true }) };
    expect(pipelineDeadlineMs(config, model, true)).toBe(900);
    expect(pipelineDeadlineMs(config, model, false)).toBe(100);
    expect(pipelineDeadlineMs(config, scriptedDetector([]), true)).toBe(100);
  });
});
