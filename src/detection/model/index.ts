/**
 * The local MemPrivacy model detector (node-llama-cpp): loads in the background, reuses the instruction
 * prefix's KV state for every message, serves requests from a pool of context sequences with a bounded
 * queue, and fails closed — any load error, timeout, abort, truncation or invalid answer rejects.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
export { findModelFile } from "./find.js";
import { isProxyError, proxyError } from "../../errors/catalogue.js";
import type { Detector, DetectorInfo, DetectInput, Span } from "../span.js";
import { generate, loadEngine, modelIdentity, tokenizePieces } from "./engine.js";
import type { Engine, GpuOption } from "./engine.js";
import { hashInstructions, INSTRUCTIONS_FILE_NAME, loadInstructions } from "./instructions.js";
import { findingsToSpans, ModelOutputError, parseModelOutput } from "./output.js";
import { abortReason, createPool } from "./pool.js";
import type { Pool } from "./pool.js";
import { promptPrefixPieces, promptSuffixPieces } from "./prompt.js";

export type { GpuOption } from "./engine.js";

/** A structured logger (pino-compatible subset). Lines carry counts, timings and ids only. */
export interface DetectorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Options of {@link createModelDetector}. */
export interface ModelDetectorOptions {
  /** The GGUF file. */
  readonly modelPath: string;
  /** Instruction file; default `<model dir>/memprivacy-instructions.txt` when present, else our own text. */
  readonly instructionsFile?: string;
  /** Default `auto`. */
  readonly gpu?: GpuOption;
  /** Parallel context sequences; default 1 on CPU, 2 on a GPU. */
  readonly sequences?: number;
  /** CPU threads for evaluation; default node-llama-cpp's choice. */
  readonly threads?: number;
  /** Context size in tokens per sequence; default 4096. */
  readonly contextSize?: number;
  /** Per-request timeout including queueing, default 60 000 ms. */
  readonly timeoutMs?: number;
  /** Generation cap; reaching it is a failure (truncated JSON). Default 512. */
  readonly maxTokens?: number;
  /** Requests allowed to wait for a sequence; more are refused. Default 32. */
  readonly maxQueue?: number;
  /** Where the prefix state file is kept; default the model's directory; `false` disables it. */
  readonly stateDir?: string | false;
  readonly logger?: DetectorLogger;
}

/** Counters exposed for tests, the benchmark and metrics. */
export interface ModelDetectorStats {
  /** Tokens of the shared instruction prefix. */
  readonly prefixTokens: number;
  /** Sequences whose prefix was evaluated / loaded from the state file. */
  readonly prefixEvaluations: number;
  readonly prefixStateLoads: number;
  readonly requests: number;
  readonly failures: number;
  /** Last request: suffix tokens (fields + template), tokens fed to the model in total, tokens generated. */
  readonly lastPromptTokens: number;
  readonly lastInputTokens: number;
  readonly lastOutputTokens: number;
  readonly lastDurationMs: number;
}

/** The model detector: a {@link Detector} with readiness and counters. */
export interface ModelDetector extends Detector {
  /** Resolves when the model and prefix are loaded; rejects (PRX_MODEL_LOAD_FAILED) when loading failed. */
  whenReady(): Promise<void>;
  stats(): ModelDetectorStats;
}

function quantizationOf(fileName: string): string {
  const m = /\.(f16|f32|bf16|q\d_[a-z0-9_]+)\.gguf$/i.exec(fileName);
  return m?.[1] !== undefined ? m[1].toUpperCase() : "unknown";
}

/** Creates the detector and starts loading; rejects PRX_MODEL_NOT_FOUND at once when the file is missing. */
export async function createModelDetector(options: ModelDetectorOptions): Promise<ModelDetector> {
  const { modelPath, logger } = options;
  if (!existsSync(modelPath) || !statSync(modelPath).isFile()) {
    throw proxyError("PRX_MODEL_NOT_FOUND", { detail: basename(modelPath) });
  }
  const modelDir = dirname(modelPath);
  const defaultInstructions = join(modelDir, INSTRUCTIONS_FILE_NAME);
  const instructionsFile =
    options.instructionsFile ?? (existsSync(defaultInstructions) ? defaultInstructions : undefined);
  let instructions: Awaited<ReturnType<typeof loadInstructions>>;
  let identity: string;
  try {
    instructions = await loadInstructions(instructionsFile);
    identity = await modelIdentity(modelPath);
  } catch (cause) {
    throw proxyError("PRX_MODEL_LOAD_FAILED", { cause, detail: "instructions or model file unreadable" });
  }
  const fileName = basename(modelPath);
  const name = fileName.replace(/\.gguf$/i, "");
  const source = `model:${name}`;
  const idHash = createHash("sha256")
    .update(`${identity}\0${hashInstructions(instructions.text)}`)
    .digest("hex")
    .slice(0, 16);
  const id = `model:${fileName}@${idHash}`;
  const gpu: GpuOption = options.gpu ?? "auto";
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxTokens = options.maxTokens ?? 512;
  const contextSize = options.contextSize ?? 4096;

  let engine: Engine | undefined;
  let pool: Pool<number> | undefined;
  let closed = false;
  const counters = {
    prefixTokens: 0,
    prefixEvaluations: 0,
    prefixStateLoads: 0,
    requests: 0,
    failures: 0,
    lastPromptTokens: 0,
    lastInputTokens: 0,
    lastOutputTokens: 0,
    lastDurationMs: 0,
  };
  const loadAbort = new AbortController();
  const started = Date.now();

  const ready: Promise<void> = (async () => {
    try {
      const e = await loadEngine({
        modelPath,
        gpu,
        sequences: options.sequences,
        threads: options.threads,
        contextSize,
        prefix: promptPrefixPieces(instructions.text),
        identity: idHash,
        stateDir: options.stateDir === false ? undefined : (options.stateDir ?? modelDir),
        signal: loadAbort.signal,
      });
      if (closed) {
        await e.model.dispose();
        throw new Error("closed during load");
      }
      engine = e;
      pool = createPool(
        e.sequences.map((_, i) => i),
        options.maxQueue ?? 32,
      );
      counters.prefixTokens = e.prefixTokens.length;
      counters.prefixEvaluations = e.prefixSources.filter((s) => s === "evaluated").length;
      counters.prefixStateLoads = e.prefixSources.filter((s) => s === "state-file").length;
      logger?.info(
        {
          detector: id,
          gpu: e.llama.gpu,
          sequences: e.sequences.length,
          prefixTokens: e.prefixTokens.length,
          prefixStateLoads: counters.prefixStateLoads,
          instructions: instructions.source,
          loadMs: Date.now() - started,
        },
        "model detector ready",
      );
    } catch (cause) {
      logger?.warn({ detector: id, error: (cause as Error).name }, "model detector failed to load");
      throw proxyError("PRX_MODEL_LOAD_FAILED", { cause, detail: fileName });
    }
  })();
  // Readiness failures surface through detect() and whenReady(); never as an unhandled rejection.
  ready.catch(() => undefined);

  async function run(input: DetectInput, signal: AbortSignal): Promise<Span[]> {
    try {
      await Promise.race([ready, rejectOnAbort(signal)]);
    } catch (err) {
      if (signal.aborted) throw abortReason(signal);
      throw proxyError("PRX_DETECT_FAILED", { cause: err, detail: "model not loaded" });
    }
    const e = engine;
    const p = pool;
    if (e === undefined || p === undefined || closed)
      throw proxyError("PRX_DETECT_FAILED", { detail: "closed" });
    const slot = await p.acquire(signal);
    try {
      const seq = e.sequences[slot];
      if (seq === undefined) throw proxyError("PRX_INTERNAL");
      const suffix = tokenizePieces(
        e.model,
        promptSuffixPieces(input.text, input.userName, input.role ?? "user"),
      );
      if (e.prefixTokens.length + suffix.length + maxTokens > seq.contextSize) {
        throw proxyError("PRX_DETECT_FAILED", { detail: "message exceeds the model context" });
      }
      const g = await generate(e, seq, suffix, maxTokens, signal);
      counters.lastPromptTokens = g.promptTokens;
      counters.lastInputTokens = g.inputTokens;
      counters.lastOutputTokens = g.outputTokens;
      if (g.aborted || signal.aborted) throw abortReason(signal);
      if (g.truncated) throw proxyError("PRX_DETECT_FAILED", { detail: "answer truncated at maxTokens" });
      return findingsToSpans(input.text, parseModelOutput(g.text), source);
    } catch (err) {
      if (err instanceof ModelOutputError)
        throw proxyError("PRX_DETECT_FAILED", { cause: err, detail: "invalid answer" });
      throw err;
    } finally {
      p.release(slot);
    }
  }

  return {
    info(): DetectorInfo {
      return {
        kind: "model",
        id,
        ready: engine !== undefined && !closed,
        details: {
          model: fileName,
          quantization: quantizationOf(fileName),
          gpu: engine === undefined ? String(gpu) : String(engine.llama.gpu),
          sequences: engine?.sequences.length ?? options.sequences ?? 1,
          instructions: instructions.source,
        },
      };
    },
    whenReady: () => ready,
    stats: () => ({ ...counters }),
    async detect(input: DetectInput, callerSignal?: AbortSignal): Promise<Span[]> {
      counters.requests++;
      const t0 = Date.now();
      const { signal, dispose } = requestSignal(callerSignal, timeoutMs);
      try {
        // The work may outlive a timeout (a batch in flight cannot be interrupted); the caller does not wait.
        const work = run(input, signal);
        work.catch(() => undefined);
        return await Promise.race([work, rejectOnAbort(signal)]);
      } catch (err) {
        counters.failures++;
        if (isProxyError(err)) throw err;
        throw proxyError("PRX_DETECT_FAILED", { cause: err });
      } finally {
        counters.lastDurationMs = Date.now() - t0;
        dispose();
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      loadAbort.abort();
      pool?.close(proxyError("PRX_DETECT_FAILED", { detail: "closed" }));
      await ready.catch(() => undefined);
      await engine?.model.dispose();
      engine = undefined;
    },
  };
}

/** Combines the caller's signal and a timeout into one signal whose reason is a catalogue error. */
function requestSignal(
  caller: AbortSignal | undefined,
  timeoutMs: number,
): { signal: AbortSignal; dispose: () => void } {
  const ctl = new AbortController();
  const onAbort = (): void => ctl.abort(proxyError("PRX_DETECT_ABORTED"));
  if (caller?.aborted === true) onAbort();
  else caller?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(
    () => ctl.abort(proxyError("PRX_DETECT_TIMEOUT", { detail: `${timeoutMs} ms` })),
    timeoutMs,
  );
  return {
    signal: ctl.signal,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener("abort", onAbort);
    },
  };
}

/** A promise that rejects with the signal's reason when it aborts (and never settles otherwise). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(abortReason(signal));
    else signal.addEventListener("abort", () => reject(abortReason(signal)), { once: true });
  });
}
