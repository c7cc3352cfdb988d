/**
 * Numeric check of the converter: a harder tiny Qwen3 checkpoint (random norms, GQA 4:1, heads × head_dim ≠
 * hidden, sharded with an index, tied and untied heads) is converted to F16 and Q8_0 GGUF, and llama.cpp's
 * next-token distribution (through node-llama-cpp) is compared at every position with an independent
 * float64 reference forward pass of Qwen3 written here: RMSNorm, per-head q/k RMSNorm before RoPE, NeoX
 * RoPE with the configured theta, grouped-query attention, SwiGLU, tied or untied head.
 *
 * llama.cpp exposes probabilities, not logits: log-probabilities equal logits minus one constant per
 * position, so both sides are compared centred (mean removed), which is the logits up to that constant.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Token } from "node-llama-cpp";
import { sharedLlama } from "../../../src/detection/model/engine.js";
import { convertQwen3ToGguf } from "../../../src/model/convert-qwen3.js";
import type { QuantType } from "../../../src/model/convert-qwen3.js";
import { generateHardCheckpoint, HARD_SHAPE } from "../../fixtures/tiny-model/generate.js";

vi.setConfig({ testTimeout: 300_000 });

type Weights = Map<string, Float32Array>;

function w(weights: Weights, name: string): Float32Array {
  const t = weights.get(name);
  if (t === undefined) throw new Error(`missing ${name}`);
  return t;
}

/** y = W x for a row-major [out, in] matrix (Hugging Face layout). */
function matVec(m: Float32Array, x: Float64Array, out: number): Float64Array {
  const n = x.length;
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let s = 0;
    const row = o * n;
    for (let i = 0; i < n; i++) s += (m[row + i] as number) * (x[i] as number);
    y[o] = s;
  }
  return y;
}

function rmsNorm(x: Float64Array, weight: Float32Array, eps: number): Float64Array {
  let ss = 0;
  for (const v of x) ss += v * v;
  const scale = 1 / Math.sqrt(ss / x.length + eps);
  return x.map((v, i) => v * scale * (weight[i] as number));
}

/** NeoX rotation: element i pairs with i + d/2, angle pos · theta^(−2i/d). */
function rope(v: Float64Array, pos: number, theta: number): Float64Array {
  const d = v.length;
  const half = d / 2;
  const out = new Float64Array(d);
  for (let i = 0; i < half; i++) {
    const angle = pos * theta ** ((-2 * i) / d);
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const a = v[i] as number;
    const b = v[i + half] as number;
    out[i] = a * c - b * s;
    out[i + half] = b * c + a * s;
  }
  return out;
}

/** Reference Qwen3 forward pass: logits at every position of `tokens` (causal). */
function referenceLogits(weights: Weights, tokens: readonly number[], tied: boolean): Float64Array[] {
  const {
    hidden: h,
    heads,
    kvHeads,
    headDim: hd,
    intermediate: ff,
    vocabSize,
    ropeTheta,
    rmsNormEps,
  } = HARD_SHAPE;
  const embed = w(weights, "model.embed_tokens.weight");
  let xs = tokens.map((t) => Float64Array.from(embed.subarray(t * h, (t + 1) * h)));
  for (let l = 0; l < HARD_SHAPE.layers; l++) {
    const p = `model.layers.${l}`;
    const keys: Float64Array[][] = [];
    const vals: Float64Array[][] = [];
    const queries: Float64Array[][] = [];
    xs.forEach((x, pos) => {
      const n = rmsNorm(x, w(weights, `${p}.input_layernorm.weight`), rmsNormEps);
      const q = matVec(w(weights, `${p}.self_attn.q_proj.weight`), n, heads * hd);
      const k = matVec(w(weights, `${p}.self_attn.k_proj.weight`), n, kvHeads * hd);
      const v = matVec(w(weights, `${p}.self_attn.v_proj.weight`), n, kvHeads * hd);
      const head = (a: Float64Array, i: number): Float64Array => a.slice(i * hd, (i + 1) * hd);
      queries.push(
        Array.from({ length: heads }, (_, i) =>
          rope(rmsNorm(head(q, i), w(weights, `${p}.self_attn.q_norm.weight`), rmsNormEps), pos, ropeTheta),
        ),
      );
      keys.push(
        Array.from({ length: kvHeads }, (_, i) =>
          rope(rmsNorm(head(k, i), w(weights, `${p}.self_attn.k_norm.weight`), rmsNormEps), pos, ropeTheta),
        ),
      );
      vals.push(Array.from({ length: kvHeads }, (_, i) => head(v, i)));
    });
    const group = heads / kvHeads;
    xs = xs.map((x, pos) => {
      const attn = new Float64Array(heads * hd);
      for (let hh = 0; hh < heads; hh++) {
        const kv = Math.floor(hh / group);
        const q = queries[pos]?.[hh] as Float64Array;
        const scores = Array.from({ length: pos + 1 }, (_, j) => {
          const k = keys[j]?.[kv] as Float64Array;
          let s = 0;
          for (let d = 0; d < hd; d++) s += (q[d] as number) * (k[d] as number);
          return s / Math.sqrt(hd);
        });
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const sum = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j <= pos; j++) {
          const v = vals[j]?.[kv] as Float64Array;
          const pj = (e[j] as number) / sum;
          for (let d = 0; d < hd; d++)
            attn[hh * hd + d] = (attn[hh * hd + d] as number) + pj * (v[d] as number);
        }
      }
      const o = matVec(w(weights, `${p}.self_attn.o_proj.weight`), attn, h);
      const r = x.map((v, i) => v + (o[i] as number));
      const n = rmsNorm(r, w(weights, `${p}.post_attention_layernorm.weight`), rmsNormEps);
      const gate = matVec(w(weights, `${p}.mlp.gate_proj.weight`), n, ff);
      const up = matVec(w(weights, `${p}.mlp.up_proj.weight`), n, ff);
      const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * (up[i] as number));
      const down = matVec(w(weights, `${p}.mlp.down_proj.weight`), act, h);
      return r.map((v, i) => v + (down[i] as number));
    });
  }
  const head = tied ? embed : w(weights, "lm_head.weight");
  return xs.map((x) => matVec(head, rmsNorm(x, w(weights, "model.norm.weight"), rmsNormEps), vocabSize));
}

function centred(v: ArrayLike<number>): Float64Array {
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i] as number;
  mean /= v.length;
  return Float64Array.from({ length: v.length }, (_, i) => (v[i] as number) - mean);
}

function cosine(a: Float64Array, b: Float64Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] as number) * (b[i] as number);
    aa += (a[i] as number) ** 2;
    bb += (b[i] as number) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if ((v[i] as number) > (v[best] as number)) best = i;
  return best;
}

/** llama.cpp's log-probabilities of the next token at every position (temperature 1, no truncation). */
async function llamaLogProbs(modelPath: string, tokens: readonly number[]): Promise<Float64Array[]> {
  const llama = await sharedLlama(false);
  const model = await llama.loadModel({ modelPath });
  try {
    const context = await model.createContext({ contextSize: 512, threads: 1 });
    const seq = context.getSequence();
    const all = { temperature: 1, topK: HARD_SHAPE.vocabSize, topP: 1, minP: 0 };
    const out = await seq.controlledEvaluate(
      tokens.map((t) => [t as Token, { generateNext: { probabilities: true, options: all } }]),
    );
    return out.map((o) => {
      const probs = o?.next.probabilities;
      if (probs === undefined) throw new Error("no probabilities");
      expect(probs.size).toBeGreaterThan(HARD_SHAPE.vocabSize * 0.999);
      const lp = new Float64Array(HARD_SHAPE.vocabSize).fill(Math.log(1e-45));
      for (const [tok, p] of probs) lp[tok] = Math.log(p);
      return lp;
    });
  } finally {
    await model.dispose();
  }
}

let work = "";
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "memprivacy-numeric-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.each([
  ["untied head", false, 7],
  ["tied head", true, 11],
])("Qwen3 conversion against a reference forward pass (%s)", (_, tied, seed) => {
  let weights: Weights;
  const dir = (): string => join(work, tied ? "tied" : "untied");
  // Token ids of mixed text (Latin, digits, CJK, punctuation), from the real Qwen vocabulary.
  const tokens = [785, 3974, 13876, 38835, 11, 220, 100, 118, 99513, 16, 18, 23, 15, 15, 13, 151645];

  beforeAll(async () => {
    weights = await generateHardCheckpoint(dir(), { tied, seed });
  }, 300_000);

  it.each(["f16", "q8_0"] as QuantType[])("%s: per-position distribution matches", async (quant) => {
    const out = join(dir(), `hard.${quant}.gguf`);
    await convertQwen3ToGguf({ dir: dir(), outFile: out, quant, name: "hard-qwen3" });
    const reference = referenceLogits(weights, tokens, tied);
    const llama = await llamaLogProbs(out, tokens);
    expect(llama).toHaveLength(tokens.length);
    for (let pos = 0; pos < tokens.length; pos++) {
      const ref = reference[pos] as Float64Array;
      const got = llama[pos] as Float64Array;
      expect(argmax(got), `argmax at position ${pos}`).toBe(argmax(ref));
      const c = cosine(centred(ref), centred(got));
      if (quant === "f16") expect(c, `cosine at position ${pos}`).toBeGreaterThanOrEqual(0.9999);
      else expect(c, `cosine at position ${pos}`).toBeGreaterThanOrEqual(0.999);
    }
  });
});
