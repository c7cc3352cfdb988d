/**
 * The node-llama-cpp side of the model detector: one Llama per process and GPU setting, the model, one
 * context with N sequences (chosen from the hardware unless configured), the JSON-schema grammar, and the
 * instruction prefix in every sequence (see prefix-state.ts). Generation is in generate.ts; the sequences'
 * shared batches and the pass count in batching.ts.
 */
import { createHash } from "node:crypto";
import os from "node:os";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import type {
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
  Token,
} from "node-llama-cpp";
import { countForwardPasses, createLockstepGate } from "./batching.js";
import type { LockstepGate, PassCounter } from "./batching.js";
import { createMessagePredictor, DRAFT_MAX } from "./draft.js";
import { OUTPUT_SCHEMA } from "./output.js";
import { prefixStateFile, preparePrefix } from "./prefix-state.js";
import type { PromptPiece } from "./prompt.js";

/** GPU selection: `auto` detects CUDA, Metal or Vulkan and falls back to CPU; `false` forces CPU. */
export type GpuOption = "auto" | "cuda" | "vulkan" | "metal" | false;

const llamas = new Map<string, Promise<Llama>>();

/** One Llama per process and GPU setting (node-llama-cpp's lifecycle guide); never disposed. */
export function sharedLlama(gpu: GpuOption): Promise<Llama> {
  const key = String(gpu);
  let p = llamas.get(key);
  if (p === undefined) {
    p = getLlama({ gpu, logLevel: LlamaLogLevel.error });
    llamas.set(key, p);
    // A failed start must not stay cached.
    p.catch(() => llamas.delete(key));
  }
  return p;
}

/** A cheap model-file identity: name, size, mtime and a hash of the first MiB (header and metadata). */
export async function modelIdentity(path: string): Promise<string> {
  const st = await stat(path);
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(Math.min(1 << 20, st.size));
    await fh.read(buf, 0, buf.length, 0);
    return createHash("sha256")
      .update(`${basename(path)}\0${st.size}\0${Math.trunc(st.mtimeMs)}\0`)
      .update(buf)
      .digest("hex");
  } finally {
    await fh.close();
  }
}

/** Loaded resources. */
export interface Engine {
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly grammar: LlamaGrammar;
  readonly sequences: readonly LlamaContextSequence[];
  readonly prefixTokens: readonly Token[];
  readonly stateFile: string | undefined;
  /** How each sequence got its prefix state. */
  readonly prefixSources: readonly ("evaluated" | "state-file")[];
  /** Whether sequences draft tokens from the message (speculative decoding). */
  readonly draft: boolean;
  /** Makes generating sequences share batches (see batching.ts). */
  readonly gate: LockstepGate;
  /** Forward passes counted when the binding allows it (else stays 0: `countsPasses` false). */
  readonly counters: PassCounter;
  readonly countsPasses: boolean;
}

/** What {@link loadEngine} needs, every option resolved. */
export interface EngineOptions {
  readonly modelPath: string;
  readonly gpu: GpuOption;
  /** Parallel sequences; undefined: chosen from the hardware ({@link chooseSequenceCount}). */
  readonly sequences: number | undefined;
  /** Draft from the message (speculative decoding). */
  readonly draft: boolean;
  /** CPU threads; undefined: node-llama-cpp's choice. */
  readonly threads: number | undefined;
  readonly contextSize: number;
  readonly prefix: readonly PromptPiece[];
  /** Hash of model identity + instruction text; names the state file. */
  readonly identity: string;
  /** Directory for the prefix state file; undefined disables persistence. */
  readonly stateDir: string | undefined;
  readonly signal?: AbortSignal;
}

/** Checks the GGUF magic, version and counts before node-llama-cpp sees the file (it can hang on garbage). */
export async function checkGgufHeader(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(24);
    const { bytesRead } = await fh.read(buf, 0, 24, 0);
    const ok =
      bytesRead === 24 &&
      buf.toString("latin1", 0, 4) === "GGUF" &&
      [2, 3].includes(buf.readUInt32LE(4)) &&
      buf.readBigUInt64LE(8) < 1_000_000n &&
      buf.readBigUInt64LE(16) < 1_000_000n;
    if (!ok) throw new RangeError("not a GGUF v2/v3 file");
  } finally {
    await fh.close();
  }
}

/** Loads the model, context, grammar and prefix state; the caller disposes `model` on failure or close. */
export async function loadEngine(o: EngineOptions): Promise<Engine> {
  await checkGgufHeader(o.modelPath);
  const llama = await sharedLlama(o.gpu);
  const model = await llama.loadModel({
    modelPath: o.modelPath,
    ...(o.signal === undefined ? {} : { loadSignal: o.signal }),
  });
  try {
    const sequenceCount = o.sequences ?? (await chooseSequenceCount(llama, model, o.contextSize));
    const context = await model.createContext({
      sequences: sequenceCount,
      contextSize: o.contextSize,
      ...(o.threads === undefined ? {} : { threads: o.threads }),
      ...(o.signal === undefined ? {} : { createSignal: o.signal }),
    });
    const grammar = await llama.createGrammarForJsonSchema(OUTPUT_SCHEMA);
    const prefixTokens = tokenizePieces(model, o.prefix);
    if (prefixTokens.length >= context.contextSize)
      throw new RangeError("instruction prefix exceeds the context");
    const sequences: LlamaContextSequence[] = [];
    for (let i = 0; i < sequenceCount; i++) {
      sequences.push(
        context.getSequence(o.draft ? { tokenPredictor: createMessagePredictor(model) } : undefined),
      );
    }
    const counters: PassCounter = { forwardPasses: 0 };
    const countsPasses = countForwardPasses(context, counters);
    const gate = createLockstepGate(context, 1 + DRAFT_MAX);
    const stateFile =
      o.stateDir === undefined
        ? undefined
        : await prefixStateFile(o.stateDir, o.modelPath, o.identity, llama, context, prefixTokens.length);
    const prefixSources: ("evaluated" | "state-file")[] = [];
    for (const seq of sequences)
      prefixSources.push(await preparePrefix(seq, prefixTokens, stateFile, o.modelPath));
    return {
      llama,
      model,
      context,
      grammar,
      sequences,
      prefixTokens,
      stateFile,
      prefixSources,
      draft: o.draft,
      gate,
      counters,
      countsPasses,
    };
  } catch (err) {
    await model.dispose();
    throw err;
  }
}

/**
 * Sequences for a context: on a GPU 4; on a CPU one per two math cores, 1 to 4 (generating sequences share
 * each forward pass, so generation on several costs little more than on one). Fewer when the estimated
 * context memory would not fit in half the free RAM (CPU) or 80 % of the free VRAM (GPU).
 */
export async function chooseSequenceCount(
  llama: Llama,
  model: LlamaModel,
  contextSize: number,
): Promise<number> {
  const cap = llama.gpu === false ? Math.min(4, Math.max(1, Math.floor(llama.cpuMathCores / 2))) : 4;
  try {
    const freeVram = llama.gpu === false ? 0 : (await llama.getVramState()).free;
    for (let n = cap; n > 1; n--) {
      const need = await model.fileInsights.estimateContextResourceRequirementsV2({
        contextSize,
        modelGpuLayers: model.gpuLayers,
        sequences: n,
      });
      if (llama.gpu === false ? need.cpuRam <= os.freemem() / 2 : need.gpuVram <= freeVram * 0.8) return n;
    }
  } catch {
    // An estimate that cannot be made is no reason to fail: one sequence always works.
  }
  return 1;
}

/** Tokenizes prompt pieces: control tokens are parsed only in template pieces, never in message text. */
export function tokenizePieces(model: LlamaModel, pieces: readonly PromptPiece[]): Token[] {
  return pieces.flatMap((p) => model.tokenize(p.text, p.special));
}
