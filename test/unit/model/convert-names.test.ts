/** Qwen3 tensor-name mapping, config parsing and tokenizer metadata. */
import { describe, expect, it } from "vitest";
import { isProxyError } from "../../../src/errors/catalogue.js";
import { mapQwen3TensorName, parseQwen3Config } from "../../../src/model/convert-qwen3.js";
import { buildTokenizerMetadata } from "../../../src/model/tokenizer.js";

describe("mapQwen3TensorName", () => {
  it.each([
    ["model.embed_tokens.weight", "token_embd.weight"],
    ["model.norm.weight", "output_norm.weight"],
    ["lm_head.weight", "output.weight"],
    ["model.layers.0.self_attn.q_proj.weight", "blk.0.attn_q.weight"],
    ["model.layers.11.self_attn.k_proj.weight", "blk.11.attn_k.weight"],
    ["model.layers.3.self_attn.v_proj.weight", "blk.3.attn_v.weight"],
    ["model.layers.3.self_attn.o_proj.weight", "blk.3.attn_output.weight"],
    ["model.layers.3.self_attn.q_norm.weight", "blk.3.attn_q_norm.weight"],
    ["model.layers.3.self_attn.k_norm.weight", "blk.3.attn_k_norm.weight"],
    ["model.layers.3.input_layernorm.weight", "blk.3.attn_norm.weight"],
    ["model.layers.3.post_attention_layernorm.weight", "blk.3.ffn_norm.weight"],
    ["model.layers.3.mlp.gate_proj.weight", "blk.3.ffn_gate.weight"],
    ["model.layers.3.mlp.up_proj.weight", "blk.3.ffn_up.weight"],
    ["model.layers.3.mlp.down_proj.weight", "blk.3.ffn_down.weight"],
  ])("%s → %s", (hf, gguf) => {
    expect(mapQwen3TensorName(hf)).toBe(gguf);
  });

  it("returns undefined for unknown tensors", () => {
    expect(mapQwen3TensorName("model.layers.0.self_attn.rotary_emb.inv_freq")).toBeUndefined();
  });
});

describe("parseQwen3Config", () => {
  it("reads the hyper-parameters and defaults head_dim", () => {
    const c = parseQwen3Config({
      model_type: "qwen3",
      hidden_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      intermediate_size: 128,
      max_position_embeddings: 40960,
      tie_word_embeddings: true,
    });
    expect(c).toMatchObject({ headDim: 16, kvHeads: 2, ropeTheta: 1_000_000, tieWordEmbeddings: true });
  });

  it("refuses a rope_scaling it does not implement with a catalogue error, and accepts rope_scaling: null", () => {
    const base = {
      model_type: "qwen3",
      hidden_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      intermediate_size: 128,
      max_position_embeddings: 40960,
    };
    for (const rope_scaling of [
      { rope_type: "yarn", factor: 4, original_max_position_embeddings: 32768 },
      { type: "linear", factor: 2 },
    ]) {
      let caught: unknown;
      try {
        parseQwen3Config({ ...base, rope_scaling });
      } catch (err) {
        caught = err;
      }
      expect(isProxyError(caught, "PRX_MODEL_ROPE_SCALING_UNSUPPORTED")).toBe(true);
    }
    expect(parseQwen3Config({ ...base, rope_scaling: null }).ropeTheta).toBe(1_000_000);
  });

  it("refuses another architecture", () => {
    expect(() => parseQwen3Config({ model_type: "llama" })).toThrow(/Qwen3/);
  });
});

describe("buildTokenizerMetadata", () => {
  it("pads to vocab_size, types added tokens and resolves special ids", () => {
    const meta = buildTokenizerMetadata({
      tokenizerJson: {
        model: { type: "BPE", vocab: { a: 0, b: 1, ab: 2 }, merges: [["a", "b"]] },
        added_tokens: [
          { id: 3, content: "<|endoftext|>", special: true },
          { id: 4, content: "<|im_end|>", special: true },
          { id: 5, content: "<think>", special: false },
        ],
      },
      tokenizerConfig: {
        eos_token: "<|im_end|>",
        pad_token: "<|endoftext|>",
        bos_token: null,
        chat_template: "T",
      },
      config: { vocab_size: 8, bos_token_id: 3 },
    });
    expect(meta.get("tokenizer.ggml.tokens")?.value).toEqual([
      "a",
      "b",
      "ab",
      "<|endoftext|>",
      "<|im_end|>",
      "<think>",
      "[PAD6]",
      "[PAD7]",
    ]);
    expect([...(meta.get("tokenizer.ggml.token_type")?.value as Int32Array)]).toEqual([
      1, 1, 1, 3, 3, 4, 5, 5,
    ]);
    expect(meta.get("tokenizer.ggml.merges")?.value).toEqual(["a b"]);
    expect(meta.get("tokenizer.ggml.eos_token_id")?.value).toBe(4);
    expect(meta.get("tokenizer.ggml.padding_token_id")?.value).toBe(3);
    expect(meta.get("tokenizer.ggml.bos_token_id")?.value).toBe(3);
    expect(meta.get("tokenizer.ggml.add_bos_token")?.value).toBe(false);
    expect(meta.get("tokenizer.ggml.pre")?.value).toBe("qwen2");
    expect(meta.get("tokenizer.chat_template")?.value).toBe("T");
  });
});
