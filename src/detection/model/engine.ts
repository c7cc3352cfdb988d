/**
 * The node-llama-cpp side of the model detector: one Llama per process and GPU setting, the model, one
 * context with N sequences (node-llama-cpp batches what concurrent sequences queue in the same cycle;
 * prompts share passes, generation steps were not seen to: README, "The model on your machine"), the
 * JSON-schema grammar, the instruction prefix evaluated once per sequence (or loaded from a saved state
 * file), and grammar-constrained generation of one answer on one sequence, drafting from the message itself
 * (input-lookup speculative decoding: the answer copies spans verbatim).
 */
import { createHash } from "node:crypto";
import os from "node:os";
import { open, rename, rm, stat, readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import {
  getLlama,
  getModuleVersion,
  InputLookupTokenPredictor,
  LlamaGrammarEvaluationState,
  LlamaLogLevel,
} from "node-llama-cpp";
import type {
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
  Token,
} from "node-llama-cpp";
import { OUTPUT_SCHEMA } from "./output.js";
import type { PromptPiece } from "./prompt.js";

/** GPU selection: `auto` detects CUDA, Metal or Vulkan and falls back to CPU; `false` forces CPU. */
export type GpuOption = "auto" | "cuda" | "vulkan" | "metal" | false;

/** Decoding settings of the MemPrivacy paper. */
export const DECODING = { temperature: 0.1, topP: 0.1, repeatPenalty: 1.05, seed: 42 } as const;

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

/**
 * Drafts the next tokens from the message and from the answer's JSON skeleton (keys and levels the grammar
 * forces): a copied `original_text` or a forced key is then verified many tokens per forward pass. Drafts
 * never change the output — each drafted token is accepted only when the model would have chosen it.
 */
class MessageLookupPredictor extends InputLookupTokenPredictor {
  constructor(private readonly skeleton: readonly Token[]) {
    super({ patternLength: { min: 1 }, predictionLength: { min: 1, max: 8 } });
  }

  override updateInputTokens(tokens: Token[]): void {
    super.updateInputTokens([...tokens, ...this.skeleton]);
  }
}

/** A JSON answer with every key and level, tokenized: what the grammar forces between copied spans. */
const ANSWER_SKELETON =
  '[{"original_text": "", "privacy_type": "", "privacy_level": "PL2"}, {"original_text": "", "privacy_type": "", "privacy_level": "PL3"}, {"original_text": "", "privacy_type": "", "privacy_level": "PL4"}]';

/** Counts of one engine's work since load (forward passes are llama.cpp decode calls, shared by sequences). */
export interface EngineCounters {
  forwardPasses: number;
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
  /** Forward passes counted when the binding allows it (else stays 0: `countsPasses` false). */
  readonly counters: EngineCounters;
  readonly countsPasses: boolean;
}

/** What {@link loadEngine} needs. */
export interface EngineOptions {
  readonly modelPath: string;
  readonly gpu: GpuOption;
  /** Default: chosen from the hardware ({@link chooseSequenceCount}). */
  readonly sequences: number | undefined;
  /** Draft from the message (speculative decoding); default true. */
  readonly draft?: boolean;
  readonly threads: number | undefined;
  readonly contextSize: number;
  readonly prefix: readonly PromptPiece[];
  /** Hash of model identity + instruction text; names the state file. */
  readonly identity: string;
  /** Directory for the prefix state file; undefined disables persistence. */
  readonly stateDir: string | undefined;
  readonly signal?: AbortSignal;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function sameTokens(a: readonly Token[], b: readonly Token[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
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
    const draft = o.draft !== false;
    const skeleton = model.tokenize(ANSWER_SKELETON, false);
    const sequences: LlamaContextSequence[] = [];
    for (let i = 0; i < sequenceCount; i++) {
      sequences.push(
        context.getSequence(draft ? { tokenPredictor: new MessageLookupPredictor(skeleton) } : undefined),
      );
    }
    const counters: EngineCounters = { forwardPasses: 0 };
    const countsPasses = countForwardPasses(context, counters);

    let stateFile: string | undefined;
    if (o.stateDir !== undefined) {
      const version = await getModuleVersion();
      const key = createHash("sha256")
        .update(`${o.identity}\0${context.contextSize}\0${llama.gpu}\0${version}\0${prefixTokens.length}`)
        .digest("hex")
        .slice(0, 16);
      stateFile = join(o.stateDir, `${basename(o.modelPath)}.prefix-${key}.state`);
    }
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
      draft,
      counters,
      countsPasses,
    };
  } catch (err) {
    await model.dispose();
    throw err;
  }
}

/**
 * Sequences for a context: on a GPU 4; on a CPU one per two math cores, 1 to 4 (parallel sequences share
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

/**
 * Counts llama.cpp decode calls (one per shared batch) by putting a counting proxy in front of the context's
 * native binding. The binding is internal to node-llama-cpp: when its shape differs the count is simply not
 * available (false), and nothing else changes.
 */
function countForwardPasses(context: LlamaContext, counters: EngineCounters): boolean {
  try {
    const holder = context as unknown as { _ctx?: object };
    const native = holder._ctx as Record<string | symbol, unknown> | undefined;
    if (native === undefined || typeof native.decodeBatch !== "function") return false;
    const methods = new Map<string | symbol, unknown>();
    holder._ctx = new Proxy(native, {
      get(target, prop) {
        const value = target[prop];
        if (typeof value !== "function") return value;
        let bound = methods.get(prop);
        if (bound === undefined) {
          const fn = value as (...args: unknown[]) => unknown;
          bound =
            prop === "decodeBatch"
              ? (...args: unknown[]): unknown => {
                  counters.forwardPasses++;
                  return fn.apply(target, args);
                }
              : fn.bind(target);
          methods.set(prop, bound);
        }
        return bound;
      },
    });
    return true;
  } catch {
    return false;
  }
}

/** Puts the prefix into a sequence: from the state file when it matches, else by evaluation (then saved). */
async function preparePrefix(
  seq: LlamaContextSequence,
  prefix: readonly Token[],
  stateFile: string | undefined,
  modelPath: string,
): Promise<"evaluated" | "state-file"> {
  if (stateFile !== undefined && (await exists(stateFile))) {
    try {
      await seq.loadStateFromFile(stateFile, { acceptRisk: true });
      if (sameTokens(seq.contextTokens, prefix)) return "state-file";
    } catch {
      // An unreadable state file is only a lost optimisation: evaluate instead.
    }
    await seq.clearHistory();
  }
  await seq.evaluateWithoutGeneratingNewTokens([...prefix]);
  if (stateFile !== undefined && !(await exists(stateFile))) await saveState(seq, stateFile, modelPath);
  return "evaluated";
}

async function saveState(seq: LlamaContextSequence, stateFile: string, modelPath: string): Promise<void> {
  const tmp = `${stateFile}.tmp-${process.pid}`;
  try {
    await seq.saveStateToFile(tmp);
    await rename(tmp, stateFile);
    // State files of an older model or instruction text are invalid now: remove them.
    const stem = `${basename(modelPath)}.prefix-`;
    const dir = dirname(stateFile);
    for (const f of await readdir(dir)) {
      if (f.startsWith(stem) && f.endsWith(".state") && join(dir, f) !== stateFile)
        await rm(join(dir, f), { force: true });
    }
  } catch {
    await rm(tmp, { force: true });
  }
}

/** Tokenizes prompt pieces: control tokens are parsed only in template pieces, never in message text. */
export function tokenizePieces(model: LlamaModel, pieces: readonly PromptPiece[]): Token[] {
  return pieces.flatMap((p) => model.tokenize(p.text, p.special));
}

/** Result of one generation. */
export interface Generation {
  readonly text: string;
  /** Generated token ids (tests compare them with and without drafting). */
  readonly tokens: readonly Token[];
  /** Drafted tokens the model confirmed and used / drafted tokens it refuted. */
  readonly draftsAccepted: number;
  readonly draftsRejected: number;
  readonly truncated: boolean;
  readonly aborted: boolean;
  readonly promptTokens: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * Evaluates `suffix` after the prefix and generates a grammar-constrained answer of at most `maxTokens`
 * tokens (`greedy`: temperature 0 instead of the paper's sampling; `grammar: false`: unconstrained, for
 * checks of the decoder itself); stops early when `signal` aborts. Always erases everything after the
 * prefix afterwards.
 */
export async function generate(
  engine: Engine,
  seq: LlamaContextSequence,
  suffix: readonly Token[],
  maxTokens: number,
  signal: AbortSignal,
  options: { readonly greedy?: boolean; readonly grammar?: boolean } = {},
): Promise<Generation> {
  const prefixLength = engine.prefixTokens.length;
  if (seq.nextTokenIndex !== prefixLength || !sameTokens(seq.contextTokens, engine.prefixTokens)) {
    await seq.clearHistory();
    await seq.evaluateWithoutGeneratingNewTokens([...engine.prefixTokens]);
  }
  const before = seq.tokenMeter.getState();
  const draftsBefore = seq.tokenPredictions;
  seq.tokenPredictor?.updateInputTokens([...suffix]);
  const generated: Token[] = [];
  let truncated = false;
  let aborted = false;
  try {
    const grammarEvaluationState =
      options.grammar === false
        ? undefined
        : new LlamaGrammarEvaluationState({ model: engine.model, grammar: engine.grammar });
    const iterator = seq.evaluate([...suffix], {
      ...(options.greedy === true
        ? { temperature: 0 }
        : { temperature: DECODING.temperature, topP: DECODING.topP, seed: DECODING.seed }),
      ...(grammarEvaluationState === undefined ? {} : { grammarEvaluationState }),
      repeatPenalty: {
        penalty: DECODING.repeatPenalty,
        punishTokens: () => [...suffix, ...generated].slice(-64),
      },
    });
    for await (const token of iterator) {
      if (signal.aborted) {
        aborted = true;
        break;
      }
      generated.push(token);
      if (generated.length >= maxTokens) {
        truncated = true;
        break;
      }
    }
    if (signal.aborted) aborted = true;
  } finally {
    if (seq.nextTokenIndex > prefixLength) {
      await seq.eraseContextTokenRanges([{ start: prefixLength, end: seq.nextTokenIndex }]);
    }
  }
  const used = seq.tokenMeter.diff(before);
  const draftsAfter = seq.tokenPredictions;
  return {
    text: engine.model.detokenize(generated),
    tokens: generated,
    draftsAccepted: draftsAfter.used - draftsBefore.used,
    draftsRejected: draftsAfter.refuted - draftsBefore.refuted,
    truncated,
    aborted,
    promptTokens: suffix.length,
    inputTokens: used.usedInputTokens,
    outputTokens: used.usedOutputTokens,
  };
}
