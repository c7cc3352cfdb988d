/**
 * Hugging Face `tokenizer.json` (byte-level BPE, as Qwen uses) → GGUF tokenizer metadata: token list padded
 * to the model's vocab size, token types, merges, special token ids and the chat template.
 */
import { gv } from "./gguf-writer.js";
import type { GgufValue } from "./gguf-writer.js";
import { TokenType } from "./gguf-types.js";

/** The parts of the three JSON files the tokenizer conversion reads. */
export interface TokenizerSources {
  readonly tokenizerJson: unknown;
  readonly tokenizerConfig: unknown;
  readonly config: unknown;
}

interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new TypeError(`${what} is not an object`);
  return v as Record<string, unknown>;
}

function tokenContent(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null && typeof (v as { content?: unknown }).content === "string") {
    return (v as { content: string }).content;
  }
  return undefined;
}

/** Builds the `tokenizer.*` GGUF metadata entries (gpt2-style BPE, pre-tokenizer `qwen2`). */
export function buildTokenizerMetadata(src: TokenizerSources, pre = "qwen2"): Map<string, GgufValue> {
  const tok = obj(src.tokenizerJson, "tokenizer.json");
  const model = obj(tok.model, "tokenizer.json model");
  if (model.type !== undefined && model.type !== "BPE")
    throw new TypeError("only BPE tokenizers are supported");
  const vocab = obj(model.vocab, "tokenizer.json model.vocab");
  const added: AddedToken[] = Array.isArray(tok.added_tokens)
    ? tok.added_tokens.flatMap((t): AddedToken[] => {
        const e = obj(t, "added token");
        return typeof e.id === "number" && typeof e.content === "string"
          ? [{ id: e.id, content: e.content, special: e.special === true }]
          : [];
      })
    : [];
  const cfg = obj(src.config, "config.json");
  const tcfg = obj(src.tokenizerConfig, "tokenizer_config.json");

  let maxId = -1;
  for (const id of Object.values(vocab)) if (typeof id === "number") maxId = Math.max(maxId, id);
  for (const a of added) maxId = Math.max(maxId, a.id);
  const declared = typeof cfg.vocab_size === "number" ? cfg.vocab_size : 0;
  const size = Math.max(declared, maxId + 1);

  const tokens = new Array<string | undefined>(size).fill(undefined);
  const types = new Int32Array(size);
  for (const [text, id] of Object.entries(vocab)) {
    if (typeof id !== "number" || id < 0 || id >= size) continue;
    tokens[id] = text;
    types[id] = TokenType.NORMAL;
  }
  for (const a of added) {
    tokens[a.id] = a.content;
    // Like the reference converter, `<|…|>` tokens count as control even when not flagged special
    // (llama.cpp would otherwise override their type at load, with a warning).
    types[a.id] = a.special || /^<\|.+\|>$/.test(a.content) ? TokenType.CONTROL : TokenType.USER_DEFINED;
  }
  for (let i = 0; i < size; i++) {
    if (tokens[i] === undefined) {
      tokens[i] = `[PAD${i}]`;
      types[i] = TokenType.UNUSED;
    }
  }

  const rawMerges = Array.isArray(model.merges) ? model.merges : [];
  const merges = rawMerges.map((m: unknown): string => {
    if (typeof m === "string") return m;
    if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") {
      return `${m[0]} ${m[1]}`;
    }
    throw new TypeError("bad merge entry in tokenizer.json");
  });

  const idOf = (content: string | undefined): number | undefined => {
    if (content === undefined) return undefined;
    const a = added.find((t) => t.content === content);
    if (a !== undefined) return a.id;
    const v = vocab[content];
    return typeof v === "number" ? v : undefined;
  };

  const meta = new Map<string, GgufValue>();
  meta.set("tokenizer.ggml.model", gv.str("gpt2"));
  meta.set("tokenizer.ggml.pre", gv.str(pre));
  meta.set("tokenizer.ggml.tokens", gv.strs(tokens as string[]));
  meta.set("tokenizer.ggml.token_type", gv.i32s(types));
  meta.set("tokenizer.ggml.merges", gv.strs(merges));
  const eos =
    idOf(tokenContent(tcfg.eos_token)) ??
    (typeof cfg.eos_token_id === "number" ? cfg.eos_token_id : undefined);
  // Qwen's tokenizer_config has no bos token; the reference converter then takes config.json's bos_token_id.
  const bos =
    idOf(tokenContent(tcfg.bos_token)) ??
    (typeof cfg.bos_token_id === "number" ? cfg.bos_token_id : undefined);
  const pad = idOf(tokenContent(tcfg.pad_token));
  if (eos !== undefined) meta.set("tokenizer.ggml.eos_token_id", gv.u32(eos));
  if (pad !== undefined) meta.set("tokenizer.ggml.padding_token_id", gv.u32(pad));
  if (bos !== undefined) meta.set("tokenizer.ggml.bos_token_id", gv.u32(bos));
  meta.set("tokenizer.ggml.add_bos_token", gv.bool(tcfg.add_bos_token === true));
  if (typeof tcfg.chat_template === "string") meta.set("tokenizer.chat_template", gv.str(tcfg.chat_template));
  return meta;
}
