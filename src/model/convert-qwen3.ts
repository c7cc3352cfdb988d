/**
 * Safetensors Qwen3 checkpoint (+ tokenizer) → GGUF, written by us: llama.cpp's `qwen3` tensor names and
 * hyper-parameter keys, BF16/F16/F32 sources, F16 / Q8_0 / Q4_0 outputs; 1-D tensors (norms) stay F32.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { proxyError } from "../errors/catalogue.js";
import { GgmlType, LlamaFileType } from "./gguf-types.js";
import type { GgmlTypeId } from "./gguf-types.js";
import { gv, writeGguf } from "./gguf-writer.js";
import type { GgufTensorSpec, GgufValue } from "./gguf-writer.js";
import { bf16ToF32, encodeF16, encodeF32, encodeQ4_0, encodeQ8_0, f16BytesToF32 } from "./quantize.js";
import { readCheckpoint, readTensorRows } from "./safetensors.js";
import type { SafetensorsTensor } from "./safetensors.js";
import { buildTokenizerMetadata } from "./tokenizer.js";

/** Output weight formats. */
export type QuantType = "f16" | "q8_0" | "q4_0";
export const QUANT_TYPES: readonly QuantType[] = ["f16", "q8_0", "q4_0"];

const LAYER_MAP: Readonly<Record<string, string>> = {
  "self_attn.q_proj.weight": "attn_q.weight",
  "self_attn.k_proj.weight": "attn_k.weight",
  "self_attn.v_proj.weight": "attn_v.weight",
  "self_attn.o_proj.weight": "attn_output.weight",
  "self_attn.q_norm.weight": "attn_q_norm.weight",
  "self_attn.k_norm.weight": "attn_k_norm.weight",
  "input_layernorm.weight": "attn_norm.weight",
  "post_attention_layernorm.weight": "ffn_norm.weight",
  "mlp.gate_proj.weight": "ffn_gate.weight",
  "mlp.up_proj.weight": "ffn_up.weight",
  "mlp.down_proj.weight": "ffn_down.weight",
};

/** Maps a Hugging Face Qwen3 tensor name to its GGUF name; undefined for tensors GGUF does not keep. */
export function mapQwen3TensorName(name: string): string | undefined {
  if (name === "model.embed_tokens.weight") return "token_embd.weight";
  if (name === "model.norm.weight") return "output_norm.weight";
  if (name === "lm_head.weight") return "output.weight";
  const m = /^model\.layers\.(\d+)\.(.+)$/.exec(name);
  if (m?.[1] === undefined || m[2] === undefined) return undefined;
  const suffix = LAYER_MAP[m[2]];
  return suffix === undefined ? undefined : `blk.${m[1]}.${suffix}`;
}

/** Qwen3 hyper-parameters read from config.json. */
export interface Qwen3Config {
  readonly hiddenSize: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly intermediateSize: number;
  readonly contextLength: number;
  readonly ropeTheta: number;
  readonly rmsNormEps: number;
  readonly tieWordEmbeddings: boolean;
}

/** Parses and checks a Qwen3 config.json; a `rope_scaling` is refused (PRX_MODEL_ROPE_SCALING_UNSUPPORTED). */
export function parseQwen3Config(raw: unknown): Qwen3Config {
  if (typeof raw !== "object" || raw === null) throw new TypeError("config.json is not an object");
  const c = raw as Record<string, unknown>;
  const archs = Array.isArray(c.architectures) ? c.architectures : [];
  if (c.model_type !== "qwen3" && !archs.includes("Qwen3ForCausalLM")) {
    throw new TypeError("config.json does not describe a Qwen3 model");
  }
  const num = (key: string, fallback?: number): number => {
    const v = c[key];
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (fallback !== undefined) return fallback;
    throw new TypeError(`config.json lacks ${key}`);
  };
  // YaRN, linear or dynamic scaling change every RoPE angle; converting without them would give a model
  // that silently disagrees with its checkpoint past the original context.
  if (c.rope_scaling !== undefined && c.rope_scaling !== null) {
    const kind =
      (c.rope_scaling as Record<string, unknown>).rope_type ??
      (c.rope_scaling as Record<string, unknown>).type;
    throw proxyError("PRX_MODEL_ROPE_SCALING_UNSUPPORTED", {
      detail: `rope_scaling ${typeof kind === "string" ? kind.slice(0, 32) : "set"}`,
    });
  }
  const hiddenSize = num("hidden_size");
  const heads = num("num_attention_heads");
  return {
    hiddenSize,
    layers: num("num_hidden_layers"),
    heads,
    kvHeads: num("num_key_value_heads", heads),
    headDim: num("head_dim", hiddenSize / heads),
    intermediateSize: num("intermediate_size"),
    contextLength: num("max_position_embeddings"),
    ropeTheta: num("rope_theta", 1_000_000),
    rmsNormEps: num("rms_norm_eps", 1e-6),
    tieWordEmbeddings: c.tie_word_embeddings === true,
  };
}

function outputType(ggufName: string, shape: readonly number[], quant: QuantType): GgmlTypeId {
  if (shape.length < 2) return GgmlType.F32;
  const row = shape[shape.length - 1] ?? 0;
  if (quant === "f16" || row % 32 !== 0) return GgmlType.F16;
  if (quant === "q8_0") return GgmlType.Q8_0;
  // Q4_0 on the embedding and output projection costs the most quality for the least size: keep them Q8_0.
  return ggufName === "token_embd.weight" || ggufName === "output.weight" ? GgmlType.Q8_0 : GgmlType.Q4_0;
}

function decode(dtype: string, bytes: Buffer): Float32Array {
  if (dtype === "BF16") return bf16ToF32(bytes);
  if (dtype === "F16") return f16BytesToF32(bytes);
  if (dtype === "F32") {
    const copy = new Float32Array(bytes.length / 4);
    new Uint8Array(copy.buffer).set(bytes);
    return copy;
  }
  throw new TypeError(`unsupported source dtype ${dtype}`);
}

function encode(type: GgmlTypeId, values: Float32Array): Uint8Array {
  switch (type) {
    case GgmlType.F32:
      return encodeF32(values);
    case GgmlType.F16:
      return encodeF16(values);
    case GgmlType.Q8_0:
      return encodeQ8_0(values);
    case GgmlType.Q4_0:
      return encodeQ4_0(values);
    default:
      throw new TypeError(`unsupported output type ${type}`);
  }
}

function tensorSpec(src: SafetensorsTensor, name: string, quant: QuantType): GgufTensorSpec {
  const type = outputType(name, src.shape, quant);
  return {
    name,
    dims: [...src.shape].reverse(),
    type,
    data: async function* () {
      for await (const chunk of readTensorRows(src)) yield encode(type, decode(src.dtype, chunk));
    },
  };
}

/** Options of {@link convertQwen3ToGguf}. */
export interface ConvertOptions {
  /** Directory with config.json, tokenizer.json, tokenizer_config.json and the safetensors. */
  readonly dir: string;
  readonly outFile: string;
  readonly quant: QuantType;
  /** `general.name`; default the directory's base name. */
  readonly name?: string;
  readonly onTensor?: (done: number, total: number) => void;
}

const FILE_TYPE: Readonly<Record<QuantType, number>> = {
  f16: LlamaFileType.MOSTLY_F16,
  q8_0: LlamaFileType.MOSTLY_Q8_0,
  q4_0: LlamaFileType.MOSTLY_Q4_0,
};

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, "utf8")) as unknown;
}

/** Converts a Qwen3 checkpoint directory to one GGUF file; throws on a missing or unexpected tensor. */
export async function convertQwen3ToGguf(
  options: ConvertOptions,
): Promise<{ bytes: number; tensors: number }> {
  const { quant } = options;
  const rawConfig = await readJson(join(options.dir, "config.json"));
  const cfg = parseQwen3Config(rawConfig);
  const checkpoint = await readCheckpoint(options.dir);

  const specs: GgufTensorSpec[] = [];
  const byName = new Map<string, SafetensorsTensor>();
  for (const [hfName, t] of checkpoint) {
    const name = mapQwen3TensorName(hfName);
    if (name === undefined) {
      if (/rotary_emb\.inv_freq$/.test(hfName)) continue;
      throw new TypeError(`unexpected tensor ${hfName}`);
    }
    byName.set(name, t);
  }
  const expected = ["token_embd.weight", "output_norm.weight"];
  for (let i = 0; i < cfg.layers; i++) {
    for (const suffix of Object.values(LAYER_MAP)) expected.push(`blk.${i}.${suffix}`);
  }
  if (!cfg.tieWordEmbeddings) expected.push("output.weight");
  for (const name of expected) {
    const t = byName.get(name);
    if (t === undefined) throw new TypeError(`checkpoint lacks ${name}`);
    specs.push(tensorSpec(t, name, quant));
  }
  // A tied checkpoint that still stores lm_head: llama.cpp reuses token_embd, so the copy is dropped.

  const meta = new Map<string, GgufValue>();
  const name =
    options.name ??
    options.dir
      .split(/[\\/]/)
      .filter((s) => s !== "")
      .pop() ??
    "model";
  meta.set("general.architecture", gv.str("qwen3"));
  meta.set("general.name", gv.str(name));
  meta.set("general.file_type", gv.u32(FILE_TYPE[quant]));
  meta.set("general.quantization_version", gv.u32(2));
  meta.set("qwen3.context_length", gv.u32(cfg.contextLength));
  meta.set("qwen3.embedding_length", gv.u32(cfg.hiddenSize));
  meta.set("qwen3.block_count", gv.u32(cfg.layers));
  meta.set("qwen3.feed_forward_length", gv.u32(cfg.intermediateSize));
  meta.set("qwen3.attention.head_count", gv.u32(cfg.heads));
  meta.set("qwen3.attention.head_count_kv", gv.u32(cfg.kvHeads));
  meta.set("qwen3.attention.key_length", gv.u32(cfg.headDim));
  meta.set("qwen3.attention.value_length", gv.u32(cfg.headDim));
  meta.set("qwen3.rope.freq_base", gv.f32(cfg.ropeTheta));
  meta.set("qwen3.attention.layer_norm_rms_epsilon", gv.f32(cfg.rmsNormEps));
  const tokenizer = buildTokenizerMetadata({
    tokenizerJson: await readJson(join(options.dir, "tokenizer.json")),
    tokenizerConfig: await readJson(join(options.dir, "tokenizer_config.json")),
    config: rawConfig,
  });
  for (const [k, v] of tokenizer) meta.set(k, v);

  const { bytes } = await writeGguf(options.outFile, meta, specs, options.onTensor);
  return { bytes, tensors: specs.length };
}
