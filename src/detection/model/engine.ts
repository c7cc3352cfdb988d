/**
 * The node-llama-cpp side of the model detector: one Llama per process and GPU setting, the model, one
 * context with N sequences, the JSON-schema grammar, the instruction prefix evaluated once per sequence
 * (or loaded from a saved state file) and grammar-constrained generation of one answer on one sequence.
 */
import { createHash } from "node:crypto";
import { open, rename, rm, stat, readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { getLlama, getModuleVersion, LlamaGrammarEvaluationState, LlamaLogLevel } from "node-llama-cpp";
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
}

/** What {@link loadEngine} needs. */
export interface EngineOptions {
  readonly modelPath: string;
  readonly gpu: GpuOption;
  /** Default 1 on CPU, 2 on a GPU. */
  readonly sequences: number | undefined;
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
    const sequenceCount = o.sequences ?? (llama.gpu === false ? 1 : 2);
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
    for (let i = 0; i < sequenceCount; i++) sequences.push(context.getSequence());

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
    return { llama, model, context, grammar, sequences, prefixTokens, stateFile, prefixSources };
  } catch (err) {
    await model.dispose();
    throw err;
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
  readonly truncated: boolean;
  readonly aborted: boolean;
  readonly promptTokens: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * Evaluates `suffix` after the prefix and generates a grammar-constrained answer of at most `maxTokens`
 * tokens; stops early when `signal` aborts. Always erases everything after the prefix afterwards.
 */
export async function generate(
  engine: Engine,
  seq: LlamaContextSequence,
  suffix: readonly Token[],
  maxTokens: number,
  signal: AbortSignal,
): Promise<Generation> {
  const prefixLength = engine.prefixTokens.length;
  if (seq.nextTokenIndex !== prefixLength || !sameTokens(seq.contextTokens, engine.prefixTokens)) {
    await seq.clearHistory();
    await seq.evaluateWithoutGeneratingNewTokens([...engine.prefixTokens]);
  }
  const before = seq.tokenMeter.getState();
  const generated: Token[] = [];
  let truncated = false;
  let aborted = false;
  try {
    const grammarEvaluationState = new LlamaGrammarEvaluationState({
      model: engine.model,
      grammar: engine.grammar,
    });
    const iterator = seq.evaluate([...suffix], {
      temperature: DECODING.temperature,
      topP: DECODING.topP,
      seed: DECODING.seed,
      grammarEvaluationState,
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
  return {
    text: engine.model.detokenize(generated),
    truncated,
    aborted,
    promptTokens: suffix.length,
    inputTokens: used.usedInputTokens,
    outputTokens: used.usedOutputTokens,
  };
}
