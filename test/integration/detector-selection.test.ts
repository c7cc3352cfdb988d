import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { tinyModelDir } from "../fixtures/tiny-model/tiny-gguf.js";
import { tempDir, testApp } from "../helpers/app.js";

const SEED =
  "Hello, my name is Zhang San, and my mobile number is 13800138000. My verification code is 89757.";
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

describe("detector selection", () => {
  it("auto with no model file runs on rules alone and says so in /readyz and the log", async () => {
    const empty = tempDir();
    cleanups.push(empty.cleanup);
    const { app, sink } = await testApp({ detector: "auto", modelsDir: empty.dir });
    try {
      const ready = await app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(200);
      expect(ready.json<{ detector: { kind: string } }>().detector.kind).toBe("rules");
      const line = sink.lines
        .map((l) => JSON.parse(l) as { msg: string; detector?: string })
        .find((l) => l.msg === "memprivacy ready to serve");
      expect(line?.detector).toBe("rules");
    } finally {
      await app.close();
    }
  });

  it("detector model without a model file refuses to start with a clear error", async () => {
    const empty = tempDir();
    cleanups.push(empty.cleanup);
    await expect(testApp({ detector: "model", modelsDir: empty.dir })).rejects.toMatchObject({
      code: "PRX_MODEL_NOT_FOUND",
    });
  });

  it("auto with a GGUF in the models folder merges rules and the model, and redaction round-trips", async () => {
    const { dir, modelPath } = await tinyModelDir();
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const { app, sink } = await testApp({
      detector: "auto",
      modelsDir: dir,
      modelThreads: 1,
      modelMaxTokens: 64,
      detectTimeoutMs: 60_000,
    });
    try {
      const red = await app.inject({
        method: "POST",
        url: "/v1/redact",
        payload: { text: SEED, user_name: "Zhang San" },
      });
      expect(red.statusCode).toBe(200);
      const body = red.json<{ text: string }>();
      for (const v of ["Zhang San", "13800138000", "89757"]) expect(body.text).not.toContain(v);
      const back = await app.inject({ method: "POST", url: "/v1/restore", payload: { text: body.text } });
      expect(back.json<{ text: string }>().text).toBe(SEED);
      const ready = await app.inject({ method: "GET", url: "/readyz" });
      const info = ready.json<{ detector: { kind: string; details?: { model?: string } } }>().detector;
      expect(info.kind).toBe("rules+model");
      expect(modelPath).toContain(String(info.details?.model ?? "?"));
      expect(sink.text).not.toContain("13800138000");
    } finally {
      await app.close();
    }
  }, 120_000);
});
