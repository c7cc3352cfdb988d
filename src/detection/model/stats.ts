/**
 * The model detector's counters: work since load, the last text's work, and the time with at least one
 * sequence busy, over which throughput is measured. Counts and timings only, never text.
 */
import type { Engine } from "./engine.js";
import type { ModelDetectorStats } from "./types.js";

/** One chunk's work, as generation reports it. */
export interface ChunkWork {
  readonly promptTokens: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly draftsAccepted: number;
  readonly draftsRejected: number;
}

/** A text's work, summed over its chunks. */
export interface TextWork {
  prompt: number;
  input: number;
  output: number;
  accepted: number;
  rejected: number;
}

/** An empty {@link TextWork}. */
export function emptyTextWork(): TextWork {
  return { prompt: 0, input: 0, output: 0, accepted: 0, rejected: 0 };
}

/** Mutable counters behind {@link ModelDetectorStats}. */
export class DetectorCounters {
  prefixTokens = 0;
  prefixEvaluations = 0;
  prefixStateLoads = 0;
  sequences = 0;
  requests = 0;
  failures = 0;
  lastPromptTokens = 0;
  lastInputTokens = 0;
  lastOutputTokens = 0;
  lastDraftsAccepted = 0;
  lastDraftsRejected = 0;
  lastChunks = 0;
  lastChunksEvaluated = 0;
  lastDurationMs = 0;
  chunksEvaluated = 0;
  chunkCacheHits = 0;
  inputTokens = 0;
  outputTokens = 0;
  draftsAccepted = 0;
  draftsRejected = 0;
  peakSequencesBusy = 0;
  #busy = 0;
  #busyMs = 0;
  #busySince = 0;

  /** Records what loading gave. */
  loaded(e: Engine): void {
    this.prefixTokens = e.prefixTokens.length;
    this.sequences = e.sequences.length;
    this.prefixEvaluations = e.prefixSources.filter((s) => s === "evaluated").length;
    this.prefixStateLoads = e.prefixSources.filter((s) => s === "state-file").length;
  }

  /** Sequences working on a chunk now. */
  get sequencesBusy(): number {
    return this.#busy;
  }

  /** A sequence starts working on a chunk. */
  startBusy(): void {
    if (this.#busy++ === 0) this.#busySince = performance.now();
    this.peakSequencesBusy = Math.max(this.peakSequencesBusy, this.#busy);
  }

  /** A sequence is done with its chunk. */
  endBusy(): void {
    if (--this.#busy === 0) this.#busyMs += performance.now() - this.#busySince;
  }

  /** Adds one chunk's work to the totals and to its text's. */
  addChunk(g: ChunkWork, text: TextWork): void {
    text.prompt += g.promptTokens;
    text.input += g.inputTokens;
    text.output += g.outputTokens;
    text.accepted += g.draftsAccepted;
    text.rejected += g.draftsRejected;
    this.chunksEvaluated++;
    this.inputTokens += g.inputTokens;
    this.outputTokens += g.outputTokens;
    this.draftsAccepted += g.draftsAccepted;
    this.draftsRejected += g.draftsRejected;
  }

  /** Records the last text's work. */
  finishText(text: TextWork, chunks: number, evaluated: number): void {
    this.lastPromptTokens = text.prompt;
    this.lastInputTokens = text.input;
    this.lastOutputTokens = text.output;
    this.lastDraftsAccepted = text.accepted;
    this.lastDraftsRejected = text.rejected;
    this.lastChunks = chunks;
    this.lastChunksEvaluated = evaluated;
  }

  /** The counters now, with throughput over the busy time. */
  snapshot(engine: Engine | undefined, queueDepth: number): ModelDetectorStats {
    const busyMs = this.#busyMs + (this.#busy > 0 ? performance.now() - this.#busySince : 0);
    const perSecond = (n: number): number => (busyMs > 0 ? Math.round((n / busyMs) * 10_000) / 10 : 0);
    const countable = engine === undefined || engine.countsPasses;
    return {
      prefixTokens: this.prefixTokens,
      prefixEvaluations: this.prefixEvaluations,
      prefixStateLoads: this.prefixStateLoads,
      sequences: this.sequences,
      requests: this.requests,
      failures: this.failures,
      lastPromptTokens: this.lastPromptTokens,
      lastInputTokens: this.lastInputTokens,
      lastOutputTokens: this.lastOutputTokens,
      lastDraftsAccepted: this.lastDraftsAccepted,
      lastDraftsRejected: this.lastDraftsRejected,
      lastChunks: this.lastChunks,
      lastChunksEvaluated: this.lastChunksEvaluated,
      lastDurationMs: this.lastDurationMs,
      chunksEvaluated: this.chunksEvaluated,
      chunkCacheHits: this.chunkCacheHits,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      draftsAccepted: this.draftsAccepted,
      draftsRejected: this.draftsRejected,
      forwardPasses: countable ? (engine?.counters.forwardPasses ?? 0) : -1,
      sharedBatches: engine?.gate.installed ?? false,
      sequencesBusy: this.#busy,
      peakSequencesBusy: this.peakSequencesBusy,
      busyMs: Math.round(busyMs),
      tokensPerSecond: perSecond(this.inputTokens),
      generatedTokensPerSecond: perSecond(this.outputTokens),
      queueDepth,
    };
  }
}
