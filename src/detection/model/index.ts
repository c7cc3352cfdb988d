/**
 * The local MemPrivacy model detector (node-llama-cpp): loads in the background, reuses the instruction
 * prefix's KV state for every message, splits long texts into chunks at natural boundaries (chunk.ts,
 * plan.ts), caches results per chunk, schedules chunks across the context's sequences fairly between requests
 * (pool.ts) where generating sequences share batches (batching.ts), drafts from the message (draft.ts), and
 * fails closed — any load error, timeout, abort, truncation, invalid answer or work beyond the per-request
 * bound rejects.
 */
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { isProxyError, proxyError } from "../../errors/catalogue.js";
import { createChunkCache } from "../cache.js";
import type { DetectorInfo, DetectInput, Span, TextRole } from "../span.js";
import { mapChunkSpans } from "./chunk.js";
import { loadEngine, modelIdentity } from "./engine.js";
import type { Engine } from "./engine.js";
import { generate } from "./generate.js";
import { hashInstructions, INSTRUCTIONS_FILE_NAME, loadInstructions } from "./instructions.js";
import { findingsToSpans, ModelOutputError, parseModelOutput } from "./output.js";
import { planChunks } from "./plan.js";
import type { PlannedChunk } from "./plan.js";
import { abortReason, createPool } from "./pool.js";
import type { Pool } from "./pool.js";
import { promptPrefixPieces } from "./prompt.js";
import { createRequestGroups, rejectOnAbort } from "./request-group.js";
import type { RequestGroup } from "./request-group.js";
import { DetectorCounters, emptyTextWork } from "./stats.js";
import type { TextWork } from "./stats.js";
import type { ModelDetector, ModelDetectorOptions, ModelDetectorStats } from "./types.js";

export { findModelFile } from "./find.js";
export type { GpuOption } from "./engine.js";
export type { DetectorLogger, ModelDetector, ModelDetectorOptions, ModelDetectorStats } from "./types.js";

/** Every role a text can have. */
export const ALL_ROLES: readonly TextRole[] = ["user", "tool", "system", "developer", "assistant"];

function quantizationOf(fileName: string): string {
  const m = /\.(f16|f32|bf16|q\d_[a-z0-9_]+)\.gguf$/i.exec(fileName);
  return m?.[1] !== undefined ? m[1].toUpperCase() : "unknown";
}

/** How far a text's chunks have come (for the progress lines): of its chunks, those the model evaluates. */
interface TextProgress {
  readonly chunks: number;
  readonly evaluating: number;
  done: number;
}

/** Creates the detector and starts loading; rejects PRX_MODEL_NOT_FOUND at once when the file is missing. */
export async function createModelDetector(options: ModelDetectorOptions): Promise<ModelDetector> {
  const { modelPath, logger, gpu, contextSize, maxTokens, chunkChars, maxRequestTokens, greedy } = options;
  if (!existsSync(modelPath) || !statSync(modelPath).isFile()) {
    throw proxyError("PRX_MODEL_NOT_FOUND", { detail: basename(modelPath) });
  }
  const modelDir = dirname(modelPath);
  const besideModel = join(modelDir, INSTRUCTIONS_FILE_NAME);
  const instructionsFile = options.instructionsFile ?? (existsSync(besideModel) ? besideModel : undefined);
  let instructions: Awaited<ReturnType<typeof loadInstructions>>;
  let identity: string;
  try {
    instructions = await loadInstructions(instructionsFile);
    identity = await modelIdentity(modelPath);
  } catch (cause) {
    throw proxyError("PRX_MODEL_LOAD_FAILED", { cause, detail: "instructions or model file unreadable" });
  }
  const fileName = basename(modelPath);
  const source = `model:${fileName.replace(/\.gguf$/i, "")}`;
  const idHash = createHash("sha256")
    .update(`${identity}\0${hashInstructions(instructions.text)}`)
    .digest("hex")
    .slice(0, 16);
  const id = `model:${fileName}@${idHash}`;
  const roles = new Set<TextRole>(options.roles);
  const chunkCache = createChunkCache(options.chunkCacheSize);
  const groups = createRequestGroups(options.timeoutMs, options.timeoutMaxMs);
  const counters = new DetectorCounters();

  let engine: Engine | undefined;
  let pool: Pool<number> | undefined;
  let closed = false;
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
        stateDir: options.stateDir === false ? undefined : options.stateDir,
        draft: options.draft,
        signal: loadAbort.signal,
      });
      if (closed) {
        await e.model.dispose();
        throw new Error("closed during load");
      }
      engine = e;
      pool = createPool(
        e.sequences.map((_, i) => i),
        options.maxQueue,
      );
      counters.loaded(e);
      logger?.info(
        {
          detector: id,
          gpu: e.llama.gpu,
          sequences: e.sequences.length,
          sharedBatches: e.gate.installed,
          draft: e.draft,
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

  /** Detects one chunk on a free sequence; resolves spans relative to the chunk. */
  async function detectChunk(
    e: Engine,
    p: Pool<number>,
    chunk: PlannedChunk,
    text: string,
    group: RequestGroup,
    work: TextWork,
    progress: TextProgress,
  ): Promise<Span[]> {
    const signal = group.controller.signal;
    const slot = await p.acquire(signal, group.owner);
    const t0 = performance.now();
    counters.startBusy();
    try {
      const seq = e.sequences[slot];
      if (seq === undefined) throw proxyError("PRX_INTERNAL");
      const g = await generate(e, seq, chunk.suffix, maxTokens, signal, { greedy, grammar: true });
      counters.addChunk(g, work);
      if (g.aborted || signal.aborted) throw abortReason(signal);
      if (g.truncated) throw proxyError("PRX_DETECT_FAILED", { detail: "answer truncated at maxTokens" });
      const piece = text.slice(chunk.start, chunk.end);
      const spans = findingsToSpans(piece, parseModelOutput(g.text), source);
      chunkCache.set(chunk.key, spans);
      progress.done++;
      const ms = performance.now() - t0;
      const line = {
        detector: id,
        chunk: progress.done,
        of: progress.evaluating,
        textChunks: progress.chunks,
        chunkChars: chunk.end - chunk.start,
        promptTokens: g.promptTokens,
        outputTokens: g.outputTokens,
        tokensPerSecond: ms > 0 ? Math.round(((g.inputTokens + g.outputTokens) / ms) * 10_000) / 10 : 0,
        draftsAccepted: g.draftsAccepted,
        spans: spans.length,
        ms: Math.round(ms),
        sequencesBusy: counters.sequencesBusy,
        queueDepth: p.waiting,
      };
      // Progress of a long text at info level, one line per chunk; a one-chunk text at debug level.
      if (progress.chunks > 1) logger?.info(line, "model chunk detected");
      else logger?.debug?.(line, "model chunk detected");
      return spans;
    } catch (err) {
      if (err instanceof ModelOutputError)
        throw proxyError("PRX_DETECT_FAILED", { cause: err, detail: "invalid answer" });
      throw err;
    } finally {
      counters.endBusy();
      p.release(slot);
    }
  }

  async function run(input: DetectInput, group: RequestGroup): Promise<Span[]> {
    const signal = group.controller.signal;
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
    const t0 = performance.now();
    const protect = options.protect === undefined ? [] : await options.protect(input.text);
    if (signal.aborted) throw abortReason(signal);
    const plan = planChunks(e, input, protect, {
      contextSize,
      maxTokens,
      chunkChars,
      keyOf: (chunk) => chunkCache.keyOf(id, chunk),
    });
    const cached = plan.map((c) => chunkCache.get(c.key));
    const misses = plan.filter((_, i) => cached[i] === undefined);
    counters.chunkCacheHits += plan.length - misses.length;
    const missTokens = misses.reduce((n, c) => n + c.suffix.length, 0);
    if (group.tokens + missTokens > maxRequestTokens) {
      throw proxyError("PRX_DETECT_WORK_LIMIT", {
        detail: `${group.tokens + missTokens} prompt tokens > modelMaxRequestTokens ${maxRequestTokens}`,
      });
    }
    groups.addWork(group, missTokens);
    const work = emptyTextWork();
    const progress: TextProgress = { chunks: plan.length, evaluating: misses.length, done: 0 };
    const fresh = await Promise.all(
      misses.map((c) => detectChunk(e, p, c, input.text, group, work, progress)),
    );
    counters.finishText(work, plan.length, misses.length);
    if (plan.length > 1) {
      logger?.info(
        {
          detector: id,
          chunks: plan.length,
          chunksEvaluated: misses.length,
          promptTokens: work.prompt,
          outputTokens: work.output,
          draftsAccepted: work.accepted,
          ms: Math.round(performance.now() - t0),
          queueDepth: p.waiting,
        },
        "model text detected in chunks",
      );
    }
    let k = 0;
    const perChunk = plan.map((_, i) => cached[i] ?? fresh[k++] ?? []);
    return mapChunkSpans(input.text, plan, perChunk);
  }

  const snapshot = (): ModelDetectorStats => counters.snapshot(engine, pool?.waiting ?? 0);

  return {
    info(): DetectorInfo {
      const s = snapshot();
      return {
        kind: "model",
        id,
        ready: engine !== undefined && !closed,
        details: {
          model: fileName,
          quantization: quantizationOf(fileName),
          gpu: engine === undefined ? String(gpu) : String(engine.llama.gpu),
          sequences: engine?.sequences.length ?? options.sequences ?? 0,
          sharedBatches: s.sharedBatches,
          instructions: instructions.source,
          draft: engine?.draft ?? options.draft,
          roles: [...roles].join(","),
          chunkChars,
          chunksEvaluated: s.chunksEvaluated,
          chunkCacheHits: s.chunkCacheHits,
          inputTokens: s.inputTokens,
          outputTokens: s.outputTokens,
          tokensPerSecond: s.tokensPerSecond,
          generatedTokensPerSecond: s.generatedTokensPerSecond,
          forwardPasses: s.forwardPasses,
          draftsAccepted: s.draftsAccepted,
          draftsRejected: s.draftsRejected,
          sequencesBusy: s.sequencesBusy,
          queueDepth: s.queueDepth,
        },
      };
    },
    whenReady: () => ready,
    stats: snapshot,
    async detect(input: DetectInput, callerSignal?: AbortSignal): Promise<Span[]> {
      counters.requests++;
      if (!roles.has(input.role ?? "user")) return [];
      const t0 = Date.now();
      const group = groups.join(callerSignal);
      const { signal } = group.controller;
      try {
        // The work may outlive a timeout (a batch in flight cannot be interrupted); the caller does not wait.
        const work = run(input, group);
        work.catch(() => undefined);
        return await Promise.race([work, rejectOnAbort(signal)]);
      } catch (err) {
        counters.failures++;
        // One text failing fails the request: stop its other texts' chunks too.
        if (!signal.aborted)
          group.controller.abort(isProxyError(err) ? err : proxyError("PRX_DETECT_FAILED"));
        if (isProxyError(err)) throw err;
        throw proxyError("PRX_DETECT_FAILED", { cause: err });
      } finally {
        counters.lastDurationMs = Date.now() - t0;
        groups.leave(group);
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
