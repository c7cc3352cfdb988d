/**
 * The local model's figures for monitoring (Prometheus, via src/server/metrics.ts): each is a numeric key
 * of the detector's `info().details`, read at scrape time, with a fixed metric name — numbers only, no
 * labels, so no text can reach a metric.
 */

/** One figure: where it is read, what it is called, and whether it only grows. */
export interface ModelFigure {
  /** Key in `info().details`. */
  readonly key: string;
  readonly name: string;
  readonly help: string;
  readonly kind: "gauge" | "counter";
}

/** Every figure the model detector exports. */
export const MODEL_FIGURES: readonly ModelFigure[] = [
  {
    key: "tokensPerSecond",
    name: "memprivacy_model_tokens_per_second",
    help: "Tokens the local model evaluated per second of busy time (prompts, fed-back and drafted tokens).",
    kind: "gauge",
  },
  {
    key: "generatedTokensPerSecond",
    name: "memprivacy_model_generated_tokens_per_second",
    help: "Tokens the local model generated per second of busy time.",
    kind: "gauge",
  },
  {
    key: "queueDepth",
    name: "memprivacy_model_queue_depth",
    help: "Chunks waiting for a model sequence.",
    kind: "gauge",
  },
  {
    key: "sequencesBusy",
    name: "memprivacy_model_sequences_busy",
    help: "Model context sequences working on a chunk.",
    kind: "gauge",
  },
  {
    key: "chunksEvaluated",
    name: "memprivacy_model_chunks_evaluated_total",
    help: "Chunks the local model evaluated (cache misses).",
    kind: "counter",
  },
  {
    key: "chunkCacheHits",
    name: "memprivacy_model_chunk_cache_hits_total",
    help: "Chunks answered from the per-chunk cache.",
    kind: "counter",
  },
  {
    key: "inputTokens",
    name: "memprivacy_model_input_tokens_total",
    help: "Tokens fed to the local model (prompts, generated tokens fed back, drafted tokens checked).",
    kind: "counter",
  },
  {
    key: "outputTokens",
    name: "memprivacy_model_output_tokens_total",
    help: "Tokens the local model generated.",
    kind: "counter",
  },
  {
    key: "forwardPasses",
    name: "memprivacy_model_forward_passes_total",
    help: "llama.cpp decode calls, each shared by the sequences in its batch.",
    kind: "counter",
  },
  {
    key: "draftsAccepted",
    name: "memprivacy_model_drafts_accepted_total",
    help: "Drafted tokens the model confirmed (speculative decoding from the message).",
    kind: "counter",
  },
  {
    key: "draftsRejected",
    name: "memprivacy_model_drafts_rejected_total",
    help: "Drafted tokens the model refuted.",
    kind: "counter",
  },
];

/** A figure's value in `details`: a finite number from 0 up, else undefined (absent or not countable). */
export function figureValue(
  details: Readonly<Record<string, string | number | boolean>> | undefined,
  key: string,
): number | undefined {
  const value = details?.[key];
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}
