/**
 * `memprivacy pull` against a local fake Hugging Face endpoint serving the generated tiny checkpoint:
 * download (with a transfer cut mid-file and resumed), checksum failure, token, conversion to GGUF that
 * node-llama-cpp loads and that tokenizes the llama.cpp test vectors exactly like the reference vocabulary.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { getLlama } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runModels } from "../../../src/cli/models.js";
import { runPull } from "../../../src/cli/pull.js";
import { isProxyError } from "../../../src/errors/catalogue.js";
import { downloadModel } from "../../../src/model/hf-download.js";
import { generateTinyCheckpoint } from "../../fixtures/tiny-model/generate.js";
import { extractReferenceVocab, parseVectors } from "../../fixtures/tiny-model/reference-vocab.js";
import { startFakeHub } from "./hf-server.js";
import type { FakeHub } from "./hf-server.js";

// Model loads on a busy 2-core machine can take several seconds each.
vi.setConfig({ testTimeout: 90_000 });

const REPO = "test-org/MemPrivacy-Tiny-RL";
let root = "";
let ckpt = "";
const hubs: FakeHub[] = [];

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  let out = "";
  s.on("data", (c: Buffer) => (out += c.toString()));
  return { stream: s as unknown as NodeJS.WriteStream, text: () => out };
}

async function hub(opts: Partial<Parameters<typeof startFakeHub>[0]> = {}): Promise<FakeHub> {
  const h = await startFakeHub({ repo: REPO, dir: ckpt, ...opts });
  hubs.push(h);
  return h;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "memprivacy-pull-"));
  ckpt = join(root, "checkpoint");
  await generateTinyCheckpoint(ckpt);
}, 120_000);

afterAll(async () => {
  for (const h of hubs) await h.close();
  await rm(root, { recursive: true, force: true });
});

describe("memprivacy pull", () => {
  it("downloads (resuming a cut transfer), converts, and yields a GGUF that tokenizes like the reference", async () => {
    const size = readFileSync(join(ckpt, "model.safetensors")).length;
    const h = await hub({ cutOnce: new Map([["model.safetensors", Math.floor(size / 3)]]) });
    const dir = join(root, "models-a");
    const out = sink();
    const err = sink();
    const code = await runPull(["--model", REPO, "--dir", dir, "--endpoint", h.endpoint], {
      stdout: out.stream,
      stderr: err.stream,
      env: {},
    });
    expect(err.text()).not.toContain("error");
    expect(code).toBe(0);
    const gguf = join(dir, "MemPrivacy-Tiny-RL.Q8_0.gguf");
    expect(out.text().trim()).toBe(gguf);
    expect(existsSync(join(dir, ".download"))).toBe(true);
    expect(existsSync(join(dir, ".download", "test-org--MemPrivacy-Tiny-RL"))).toBe(false);
    // The second request resumes from the bytes kept in the .part file. How many of the bytes sent
    // before the cut the client kept depends on timing (a fetch body that errors drops what it had
    // queued but not yet handed out), so the offset is bounded rather than exact.
    const resumed = h.requests.filter((r) => r.url.endsWith("/model.safetensors"));
    expect(resumed).toHaveLength(2);
    expect(resumed[0]?.range).toBeUndefined();
    const from = Number(/^bytes=(\d+)-$/.exec(resumed[1]?.range ?? "")?.[1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(Math.floor(size / 3));

    const listing = sink();
    expect(await runModels(["--dir", dir, "--json"], { stdout: listing.stream })).toBe(0);
    expect(JSON.parse(listing.text())).toMatchObject([
      {
        file: "MemPrivacy-Tiny-RL.Q8_0.gguf",
        quantization: "Q8_0",
        architecture: "qwen3",
        instructions: false,
      },
    ]);

    const llama = await getLlama({ gpu: false });
    const ref = extractReferenceVocab();
    const model = await llama.loadModel({ modelPath: gguf });
    const refModel = await llama.loadModel({ modelPath: ref.gguf, vocabOnly: true });
    try {
      const cases = parseVectors(readFileSync(ref.inp, "utf8"), readFileSync(ref.out, "utf8"));
      expect(cases.length).toBeGreaterThan(40);
      for (const c of cases) {
        const ours = model.tokenize(c.text, false);
        expect(ours, JSON.stringify(c.text)).toEqual(refModel.tokenize(c.text, false));
        expect(ours, JSON.stringify(c.text)).toEqual(c.ids);
      }
      // Qwen3 chat tokens: control tokens and <think> as single tokens.
      expect(model.tokenize("<|im_start|>user\n<think>\n\n</think><|im_end|>", true)).toEqual([
        151644, 872, 198, 151667, 271, 151668, 151645,
      ]);
      expect(model.tokens.eos).toBe(151645);
    } finally {
      await model.dispose();
      await refModel.dispose();
    }
  }, 180_000);

  it("fails with PRX_MODEL_CHECKSUM_MISMATCH on corrupted bytes and leaves no file behind", async () => {
    const h = await hub({ corrupt: new Set(["model.safetensors"]) });
    const dir = join(root, "dl-corrupt");
    const err = await downloadModel({ repo: REPO, revision: "main", endpoint: h.endpoint, dir }).catch(
      (e: unknown) => e,
    );
    expect(isProxyError(err, "PRX_MODEL_CHECKSUM_MISMATCH")).toBe(true);
    expect(existsSync(join(dir, "model.safetensors"))).toBe(false);
    expect(existsSync(join(dir, "model.safetensors.part"))).toBe(false);

    const e2 = sink();
    expect(
      await runPull(["--model", REPO, "--dir", join(root, "m2"), "--endpoint", h.endpoint], {
        stderr: e2.stream,
        stdout: sink().stream,
        env: {},
      }),
    ).toBe(1);
    expect(e2.text()).toMatch(
      /^error PRX_MODEL_CHECKSUM_MISMATCH: .*\(model\.safetensors: sha256 mismatch\)$/m,
    );
  });

  it("resumes from a .part file left by an earlier run", async () => {
    const h = await hub();
    const dir = join(root, "dl-resume");
    const full = readFileSync(join(ckpt, "model.safetensors"));
    await downloadModel({ repo: REPO, revision: "main", endpoint: h.endpoint, dir }).catch(() => undefined);
    await rm(join(dir, "model.safetensors"));
    writeFileSync(join(dir, "model.safetensors.part"), full.subarray(0, 1000));
    h.requests.length = 0;
    await downloadModel({ repo: REPO, revision: "main", endpoint: h.endpoint, dir });
    expect(h.requests.filter((r) => r.url.includes("/resolve/")).map((r) => r.range)).toEqual([
      "bytes=1000-",
    ]);
    expect((await readFile(join(dir, "model.safetensors"))).equals(full)).toBe(true);
  });

  it("sends HF_TOKEN as a bearer token and reports 401 without one", async () => {
    const h = await hub({ token: "hf_test_token" });
    const noToken = await downloadModel({
      repo: REPO,
      revision: "main",
      endpoint: h.endpoint,
      dir: join(root, "t1"),
    }).catch((e: unknown) => e);
    expect(isProxyError(noToken, "PRX_MODEL_DOWNLOAD_FAILED") && noToken.detail).toMatch(
      /HTTP 401.*HF_TOKEN/,
    );
    const files = await downloadModel({
      repo: REPO,
      revision: "main",
      endpoint: h.endpoint,
      dir: join(root, "t2"),
      token: "hf_test_token",
    });
    expect(files.length).toBe(4);
  });

  it("fetches an instruction file with --with-instructions, and models lists it", async () => {
    const h = await hub({ extra: new Map([["instr.txt", "Custom instruction text.\n"]]) });
    const dir = join(root, "models-i");
    const code = await runPull(
      [
        "--model",
        REPO,
        "--dir",
        dir,
        "--endpoint",
        h.endpoint,
        "--quant",
        "f16",
        "--keep-safetensors",
        "--with-instructions",
        "--instructions-url",
        `${h.endpoint}/extra/instr.txt`,
      ],
      { stdout: sink().stream, stderr: sink().stream, env: {} },
    );
    expect(code).toBe(0);
    expect(readFileSync(join(dir, "memprivacy-instructions.txt"), "utf8")).toBe("Custom instruction text.\n");
    expect(existsSync(join(dir, ".download", "test-org--MemPrivacy-Tiny-RL", "model.safetensors"))).toBe(
      true,
    );
    const listing = sink();
    await runModels(["--dir", dir], { stdout: listing.stream });
    expect(listing.text()).toMatch(/MemPrivacy-Tiny-RL\.F16\.gguf\s+\S+ \S+\s+F16\s+qwen3\s+file/);
  });

  it("rejects bad usage with exit code 2", async () => {
    expect(await runPull(["--quant", "q5_k"], { stderr: sink().stream, stdout: sink().stream })).toBe(2);
    expect(await runPull(["--bogus"], { stderr: sink().stream, stdout: sink().stream })).toBe(2);
  });
});
