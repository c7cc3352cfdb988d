/**
 * The model detector's public shapes: its resolved options (every default comes from the configuration
 * schema, src/config/schema.ts), its counters and the detector itself.
 */
import type { Detector, TextRole } from "../span.js";
import type { TextRange } from "./chunk.js";
import type { GpuOption } from "./engine.js";

/** A structured logger (pino-compatible subset). Lines carry counts, timings and ids only. */
export interface DetectorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

/** Options of the model detector, every one resolved by the caller. */
export interface ModelDetectorOptions {
  /** The GGUF file. */
  readonly modelPath: string;
  /** Instruction file; undefined: `<model dir>/memprivacy-instructions.txt` when present, else our own text. */
  readonly instructionsFile: string | undefined;
  readonly gpu: GpuOption;
  /** Parallel context sequences; undefined: chosen from the hardware (CPU cores, free memory, GPU). */
  readonly sequences: number | undefined;
  /** CPU threads for evaluation; undefined: node-llama-cpp's choice. */
  readonly threads: number | undefined;
  /** Context size in tokens per sequence. */
  readonly contextSize: number;
  /**
   * Deadline of one request's model work (all its texts, queueing included) for up to 1,000 tokens; each
   * further 1,000 tokens adds as much again, up to {@link timeoutMaxMs}.
   */
  readonly timeoutMs: number;
  /** Cap of the scaled deadline (never below `timeoutMs`). */
  readonly timeoutMaxMs: number;
  /** Generation cap per chunk; reaching it is a failure (truncated JSON). */
  readonly maxTokens: number;
  /** Chunks allowed to wait for a sequence; more are refused. */
  readonly maxQueue: number;
  /** Where the prefix state file is kept; `false` disables it. */
  readonly stateDir: string | false;
  /** Roles whose texts the model reads; other texts get no model spans (the rules still run). */
  readonly roles: readonly TextRole[];
  /** Longest chunk in UTF-16 code units (smaller when its tokens do not fit the context). */
  readonly chunkChars: number;
  /** Prompt tokens the model may evaluate for one request (cache misses of all its texts). */
  readonly maxRequestTokens: number;
  /** Chunk results kept (LRU); 0 disables. */
  readonly chunkCacheSize: number;
  /** Draft from the message (speculative decoding). Output is the same either way when greedy. */
  readonly draft: boolean;
  /** Greedy decoding instead of the paper's (temperature 0.1, top-p 0.1). */
  readonly greedy: boolean;
  /** Ranges of a text no chunk cut may fall inside (the values the rules found); undefined: none. */
  readonly protect: ((text: string) => readonly TextRange[] | Promise<readonly TextRange[]>) | undefined;
  readonly logger: DetectorLogger | undefined;
}

/** Counters exposed for tests, the benchmark, the status page, metrics and logs (counts only, never text). */
export interface ModelDetectorStats {
  /** Tokens of the shared instruction prefix. */
  readonly prefixTokens: number;
  /** Sequences whose prefix was evaluated / loaded from the state file. */
  readonly prefixEvaluations: number;
  readonly prefixStateLoads: number;
  readonly sequences: number;
  readonly requests: number;
  readonly failures: number;
  /**
   * Last text: suffix tokens (fields + template) of its chunks that reached the model, tokens fed to the
   * model (suffixes, generated tokens fed back and drafted tokens checked), tokens generated, drafts.
   */
  readonly lastPromptTokens: number;
  readonly lastInputTokens: number;
  readonly lastOutputTokens: number;
  readonly lastDraftsAccepted: number;
  readonly lastDraftsRejected: number;
  /** Last text: chunks it was split into, and those the model evaluated (the rest came from the cache). */
  readonly lastChunks: number;
  readonly lastChunksEvaluated: number;
  readonly lastDurationMs: number;
  /** Since load. */
  readonly chunksEvaluated: number;
  readonly chunkCacheHits: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly draftsAccepted: number;
  readonly draftsRejected: number;
  /** llama.cpp decode calls (shared by all sequences); -1 when the binding does not let them be counted. */
  readonly forwardPasses: number;
  /** Whether generating sequences share batches (the lockstep gate is installed). */
  readonly sharedBatches: boolean;
  /** Sequences busy now, and the most busy at once. */
  readonly sequencesBusy: number;
  readonly peakSequencesBusy: number;
  /** Wall time with at least one sequence busy, and the throughput over it. */
  readonly busyMs: number;
  readonly tokensPerSecond: number;
  readonly generatedTokensPerSecond: number;
  /** Chunks waiting for a sequence now. */
  readonly queueDepth: number;
}

/** The model detector: a {@link Detector} with readiness and counters. */
export interface ModelDetector extends Detector {
  /** Resolves when the model and prefix are loaded; rejects (PRX_MODEL_LOAD_FAILED) when loading failed. */
  whenReady(): Promise<void>;
  stats(): ModelDetectorStats;
}
