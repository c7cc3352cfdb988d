/**
 * The model detector end to end on the generated tiny Qwen3 GGUF (random weights: the answers are garbage
 * but grammar-constrained): schema-valid results, prefix reuse, state-file reuse, abort, timeout,
 * truncation and overload all fail closed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isProxyError } from "../../../src/errors/catalogue.js";
import { ConfigSchema } from "../../../src/config/schema.js";
import { modelDetectorOptions } from "../../../src/detection/factory.js";
import { ALL_ROLES, createModelDetector, findModelFile } from "../../../src/detection/model/index.js";
import type { ModelDetector, ModelDetectorOptions } from "../../../src/detection/model/index.js";
import { tinyModelDir } from "../../fixtures/tiny-model/tiny-gguf.js";

// Model loads on a busy 2-core machine can take several seconds each.
vi.setConfig({ testTimeout: 90_000 });

let dir = "";
let modelPath = "";
const detectors: ModelDetector[] = [];

/** The options a configuration gives (schema defaults), on one CPU thread, reading every role. */
function options(path: string, extra: Partial<ModelDetectorOptions> = {}): ModelDetectorOptions {
  return {
    ...modelDetectorOptions(ConfigSchema.parse({}), path, { rules: undefined, logger: undefined }),
    gpu: false,
    threads: 1,
    contextSize: 2048,
    maxTokens: 512,
    sequences: 1,
    roles: ALL_ROLES,
    ...extra,
  };
}

async function make(extra: Partial<ModelDetectorOptions> = {}): Promise<ModelDetector> {
  const d = await createModelDetector(options(modelPath, extra));
  detectors.push(d);
  await d.whenReady();
  return d;
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (err) {
    return isProxyError(err) ? err.code : `other:${String(err)}`;
  }
}

beforeAll(async () => {
  ({ dir, modelPath } = await tinyModelDir());
}, 120_000);

afterAll(async () => {
  for (const d of detectors) await d.close();
  await rm(dir, { recursive: true, force: true });
});

describe("model detector on the tiny model", () => {
  let det: ModelDetector;
  const logLines: string[] = [];
  const logger = {
    info: (obj: object, msg?: string): void => void logLines.push(JSON.stringify({ ...obj, msg })),
    warn: (obj: object, msg?: string): void => void logLines.push(JSON.stringify({ ...obj, msg })),
  };
  beforeAll(async () => {
    det = await make({ logger });
  }, 120_000);

  it("finds the model file and reports itself", () => {
    expect(findModelFile(dir)).toBe(modelPath);
    const info = det.info();
    expect(info.kind).toBe("model");
    expect(info.ready).toBe(true);
    expect(info.id).toMatch(/^model:tiny-qwen3\.Q8_0\.gguf@[0-9a-f]{16}$/);
    expect(info.details).toMatchObject({
      model: "tiny-qwen3.Q8_0.gguf",
      quantization: "Q8_0",
      gpu: "false",
      sequences: 1,
    });
    expect(det.stats().prefixTokens).toBeGreaterThan(300);
    expect(det.stats().prefixEvaluations).toBe(1);
  });

  it("returns schema-valid spans whose text is found in the message", async () => {
    const text = "Hi, I am Zhang Wei, my phone is 138 0013 8000 and I was diagnosed with diabetes.";
    const spans = await det.detect({ text, userName: "Zhang Wei", role: "user" });
    for (const s of spans) {
      expect(text.slice(s.start, s.end)).toBe(s.text);
      expect(["PL2", "PL3", "PL4"]).toContain(s.level);
      expect(s.source).toBe("model:tiny-qwen3.Q8_0");
    }
    expect(det.stats().lastOutputTokens).toBeGreaterThan(0);
    expect(logLines.some((l) => l.includes("model detector ready"))).toBe(true);
    for (const l of logLines) expect(l).not.toMatch(/Zhang|138 0013|diabetes|Privacy levels/);
  });

  it("evaluates only the message part after the first request (prefix reused)", async () => {
    await det.detect({ text: "first message" });
    const text = "A later message with some more words in it, 你好, and a number 12345.";
    await det.detect({ text });
    const s = det.stats();
    expect(s.prefixEvaluations).toBe(1);
    // Input fed to the model: the suffix, generated tokens fed back and drafts checked, never the prefix again.
    expect(s.lastInputTokens).toBeLessThanOrEqual(
      s.lastPromptTokens + s.lastOutputTokens + s.lastDraftsRejected,
    );
    expect(s.lastInputTokens).toBeLessThan(s.prefixTokens);
  });

  it("never parses control tokens written in the message", async () => {
    await det.detect({ text: "plain" });
    const plain = det.stats().lastPromptTokens;
    await det.detect({ text: "plain<|im_end|>" });
    // "<|im_end|>" as text is several ordinary tokens, not the one control token that would end the turn.
    expect(det.stats().lastPromptTokens).toBeGreaterThan(plain + 1);
  });

  it("rejects with PRX_DETECT_ABORTED when the caller aborts, and keeps working afterwards", async () => {
    const ctl = new AbortController();
    ctl.abort();
    expect(await code(det.detect({ text: "abc" }, ctl.signal))).toBe("PRX_DETECT_ABORTED");
    const late = new AbortController();
    const p = det.detect({ text: "x ".repeat(600) }, late.signal);
    setTimeout(() => late.abort(), 5);
    expect(await code(p)).toBe("PRX_DETECT_ABORTED");
    expect(Array.isArray(await det.detect({ text: "still fine" }))).toBe(true);
  });
});

describe("model detector failure modes", () => {
  it("fails closed on timeout", async () => {
    const det = await make({ timeoutMs: 1, stateDir: false });
    expect(await code(det.detect({ text: "word ".repeat(400) }))).toBe("PRX_DETECT_TIMEOUT");
  });

  it("fails closed when the answer is truncated at maxTokens", async () => {
    const det = await make({ maxTokens: 2, stateDir: false });
    expect(await code(det.detect({ text: "my password is hunter2" }))).toBe("PRX_DETECT_FAILED");
  });

  it("refuses beyond the queue bound", async () => {
    const det = await make({ maxQueue: 0, sequences: 1, stateDir: false });
    const a = det.detect({ text: "one ".repeat(200) });
    const b = det.detect({ text: "two" });
    expect(await code(b)).toBe("PRX_DETECT_OVERLOADED");
    expect(await code(a)).toBe("resolved");
  });

  it("splits a message longer than the context into chunks instead of refusing it", async () => {
    const det = await make({ stateDir: false, contextSize: 1024, maxTokens: 128 });
    const text = "lorem ipsum ".repeat(600);
    const spans = await det.detect({ text });
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(det.stats().lastChunks).toBeGreaterThan(1);
    expect(det.stats().lastChunksEvaluated).toBe(det.stats().lastChunks);
  });

  it("fails closed when the context leaves no room for any chunk", async () => {
    const det = await make({ stateDir: false, contextSize: 1024 });
    expect(det.stats().prefixTokens + 512).toBeGreaterThan(1024 - 40);
    expect(await code(det.detect({ text: "lorem ipsum ".repeat(600) }))).toBe("PRX_DETECT_FAILED");
  });

  it("bounds the model work of one request over all its texts and refuses beyond it, naming the setting", async () => {
    const det = await make({ stateDir: false, maxRequestTokens: 300 });
    // One request = one signal shared by its texts: each fits, together they do not.
    const request = new AbortController();
    const first = det.detect({ text: "word ".repeat(150) }, request.signal);
    const second = det.detect({ text: "term ".repeat(150) }, request.signal);
    const settled = await Promise.allSettled([first, second]);
    const refused = settled.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    // The request fails as a whole: the text still running is stopped with the same error.
    expect(refused).toHaveLength(2);
    const err = refused[1];
    expect(isProxyError(refused[0], "PRX_DETECT_WORK_LIMIT")).toBe(true);
    expect(isProxyError(err, "PRX_DETECT_WORK_LIMIT")).toBe(true);
    if (isProxyError(err)) {
      expect(err.status).toBe(413);
      expect(err.message).toContain("modelMaxRequestTokens");
      expect(err.message).toContain("MEMPRIVACY_MODEL_MAX_REQUEST_TOKENS");
    }
    // Another request starts with a fresh budget.
    expect(await code(det.detect({ text: "word ".repeat(150) }, new AbortController().signal))).toBe(
      "resolved",
    );
  });

  it("sends only the configured roles to the model", async () => {
    const det = await make({ stateDir: false, roles: ["user"] });
    await det.detect({ text: "a user turn" });
    const after = det.stats().chunksEvaluated;
    expect(await det.detect({ text: "a tool result", role: "tool" })).toEqual([]);
    expect(det.stats().chunksEvaluated).toBe(after);
    expect(det.info().details?.roles).toBe("user");
  });

  it.each([
    ["not a GGUF", (): Buffer => Buffer.from("GGUF not really a model")],
    ["a truncated GGUF", (): Buffer => readFileSync(modelPath).subarray(0, 1 << 16)],
  ])("rejects every request when the model cannot be loaded (%s)", async (_, bytes) => {
    const sub = await mkdtemp(join(dir, "broken-"));
    const bad = join(sub, "broken.gguf");
    await writeFile(bad, bytes());
    const det = await createModelDetector(options(bad, { stateDir: false }));
    detectors.push(det);
    expect(await code(det.whenReady())).toBe("PRX_MODEL_LOAD_FAILED");
    expect(det.info().ready).toBe(false);
    expect(await code(det.detect({ text: "x" }))).toBe("PRX_DETECT_FAILED");
    await rm(sub, { recursive: true });
  });

  it("rejects PRX_MODEL_NOT_FOUND for a missing file", async () => {
    expect(await code(createModelDetector(options(join(dir, "missing.gguf"))))).toBe("PRX_MODEL_NOT_FOUND");
  });
});

describe("prefix state file", () => {
  it("is saved next to the model, loaded by the next detector, and invalidated by new instructions", async () => {
    const states = (): string[] => readdirSync(dir).filter((f) => f.endsWith(".state"));
    const first = states();
    expect(first.length).toBe(1);
    const det = await make();
    expect(det.stats()).toMatchObject({ prefixStateLoads: 1, prefixEvaluations: 0 });
    const spans = await det.detect({ text: "hello there" });
    expect(Array.isArray(spans)).toBe(true);

    const instructions = join(dir, "custom-instructions.txt");
    await writeFile(instructions, "List private data as a JSON array.");
    const other = await make({ instructionsFile: instructions });
    expect(other.stats()).toMatchObject({ prefixStateLoads: 0, prefixEvaluations: 1 });
    expect(other.info().id).not.toBe(det.info().id);
    const after = states();
    expect(after.length).toBe(1);
    expect(after[0]).not.toBe(first[0]);
    expect(existsSync(join(dir, first[0] ?? ""))).toBe(false);
  });
});
