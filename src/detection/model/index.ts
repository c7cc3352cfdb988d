/**
 * The local MemPrivacy model detector (node-llama-cpp): loads in the background, reuses the instruction
 * prefix's KV state for every message, splits long texts into chunks at natural boundaries (see chunk.ts),
 * caches results per chunk, schedules chunks across the context's sequences fairly between requests,
 * drafts from the message (speculative decoding), and fails closed — any
 * load error, timeout, abort, truncation, invalid answer or work beyond the per-request bound rejects.
 */
import { createHash } from "node:crypto";
import { setMaxListeners } from "node:events";
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
export { findModelFile } from "./find.js";
import { isProxyError, proxyError } from "../../errors/catalogue.js";
import { createChunkCache } from "../cache.js";
import type { Detector, DetectorInfo, DetectInput, Span, TextRole } from "../span.js";
import { mapChunkSpans, splitIntoChunks } from "./chunk.js";
import type { TextRange } from "./chunk.js";
import { generate, loadEngine, modelIdentity, tokenizePieces } from "./engine.js";
import type { Engine, GpuOption } from "./engine.js";
import type { Token } from "node-llama-cpp";
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
  debug?(obj: object, msg?: string): void;
}

/** Every role a text can have; the default of {@link ModelDetectorOptions.roles}. */
export const ALL_ROLES: readonly TextRole[] = ["user", "tool", "system", "developer", "assistant"];

/** Options of {@link createModelDetector}. */
export interface ModelDetectorOptions {
  /** The GGUF file. */
  readonly modelPath: string;
  /** Instruction file; default `<model dir>/memprivacy-instructions.txt` when present, else our own text. */
  readonly instructionsFile?: string;
  /** Default `auto`. */
  readonly gpu?: GpuOption;
  /** Parallel context sequences; default chosen from the hardware (CPU cores, free memory, GPU). */
  readonly sequences?: number;
  /** CPU threads for evaluation; default node-llama-cpp's choice. */
  readonly threads?: number;
  /** Context size in tokens per sequence; default 4096. */
  readonly contextSize?: number;
  /**
   * Deadline of one request's model work (all its texts, queueing included) for up to 1,000 tokens; each
   * further 1,000 tokens adds as much again, up to {@link timeoutMaxMs}. Default 60 000 ms.
   */
  readonly timeoutMs?: number;
  /** Cap of the scaled deadline; default 600 000 ms (never below `timeoutMs`). */
  readonly timeoutMaxMs?: number;
  /** Generation cap per chunk; reaching it is a failure (truncated JSON). Default 512. */
  readonly maxTokens?: number;
  /** Chunks allowed to wait for a sequence; more are refused. Default 256. */
  readonly maxQueue?: number;
  /** Where the prefix state file is kept; default the model's directory; `false` disables it. */
  readonly stateDir?: string | false;
  /** Roles whose texts the model reads; other texts get no model spans (the rules still run). Default all. */
  readonly roles?: readonly TextRole[];
  /** Longest chunk in UTF-16 code units (smaller when its tokens do not fit the context). Default 6000. */
  readonly chunkChars?: number;
  /** Prompt tokens the model may evaluate for one request (cache misses of all its texts). Default 16 384. */
  readonly maxRequestTokens?: number;
  /** Chunk results kept (LRU); default 10 000; 0 disables. */
  readonly chunkCacheSize?: number;
  /** Draft from the message (speculative decoding); default true. Output is the same either way. */
  readonly draft?: boolean;
  /** Greedy decoding instead of the paper's (temperature 0.1, top-p 0.1); default: greedy when drafting. */
  readonly greedy?: boolean;
  /** Ranges of a text no chunk cut may fall inside: the values the rules found. */
  readonly protect?: (text: string) => readonly TextRange[] | Promise<readonly TextRange[]>;
  readonly logger?: DetectorLogger;
}

/** Counters exposed for tests, the benchmark, the status page and logs (counts only, never text). */
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
  /** Most sequences busy at once. */
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

function quantizationOf(fileName: string): string {
  const m = /\.(f16|f32|bf16|q\d_[a-z0-9_]+)\.gguf$/i.exec(fileName);
  return m?.[1] !== undefined ? m[1].toUpperCase() : "unknown";
}

/** One request's shared state: the caller's signal groups the texts of one request. */
interface RequestGroup {
  /** Identity for fair scheduling. */
  readonly owner: object;
  readonly controller: AbortController;
  readonly startedAt: number;
  /** Prompt tokens of the chunks sent to the model so far. */
  tokens: number;
  active: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  dispose: () => void;
}

/** A chunk of one text, tokenized. */
interface PlannedChunk {
  readonly start: number;
  readonly end: number;
  readonly suffix: readonly Token[];
  readonly key: string;
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
  const timeoutMaxMs = Math.max(timeoutMs, options.timeoutMaxMs ?? 600_000);
  const maxTokens = options.maxTokens ?? 512;
  const contextSize = options.contextSize ?? 4096;
  const roles = new Set<TextRole>(options.roles ?? ALL_ROLES);
  const chunkChars = options.chunkChars ?? 6000;
  const maxRequestTokens = options.maxRequestTokens ?? 16_384;
  const chunkCache = createChunkCache(options.chunkCacheSize ?? 10_000);
  // Drafting leaves only a greedy answer unchanged (a sampled one would draw differently), so drafting
  // decodes greedily; the paper's temperature 0.1 / top-p 0.1 is near-greedy anyway.
  const greedy = options.greedy ?? options.draft !== false;

  let engine: Engine | undefined;
  let pool: Pool<number> | undefined;
  let closed = false;
  const counters = {
    prefixTokens: 0,
    prefixEvaluations: 0,
    prefixStateLoads: 0,
    sequences: 0,
    requests: 0,
    failures: 0,
    lastPromptTokens: 0,
    lastInputTokens: 0,
    lastOutputTokens: 0,
    lastDraftsAccepted: 0,
    lastDraftsRejected: 0,
    lastChunks: 0,
    lastChunksEvaluated: 0,
    lastDurationMs: 0,
    chunksEvaluated: 0,
    chunkCacheHits: 0,
    inputTokens: 0,
    outputTokens: 0,
    draftsAccepted: 0,
    draftsRejected: 0,
    peakSequencesBusy: 0,
    busyMs: 0,
  };
  let busy = 0;
  let busySince = 0;
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
        draft: options.draft !== false,
        signal: loadAbort.signal,
      });
      if (closed) {
        await e.model.dispose();
        throw new Error("closed during load");
      }
      engine = e;
      pool = createPool(
        e.sequences.map((_, i) => i),
        options.maxQueue ?? 256,
      );
      counters.prefixTokens = e.prefixTokens.length;
      counters.sequences = e.sequences.length;
      counters.prefixEvaluations = e.prefixSources.filter((s) => s === "evaluated").length;
      counters.prefixStateLoads = e.prefixSources.filter((s) => s === "state-file").length;
      logger?.info(
        {
          detector: id,
          gpu: e.llama.gpu,
          sequences: e.sequences.length,
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

  const groups = new WeakMap<AbortSignal, RequestGroup>();

  /** Joins (or opens) the group of the caller's signal; a call without a signal is a group of its own. */
  function joinGroup(caller: AbortSignal | undefined): RequestGroup {
    const existing = caller === undefined ? undefined : groups.get(caller);
    if (existing !== undefined) {
      existing.active++;
      return existing;
    }
    const controller = new AbortController();
    // Every chunk of every text of the request waits on this one signal.
    setMaxListeners(0, controller.signal);
    const onAbort = (): void => controller.abort(proxyError("PRX_DETECT_ABORTED"));
    if (caller?.aborted === true) onAbort();
    else caller?.addEventListener("abort", onAbort, { once: true });
    const group: RequestGroup = {
      owner: {},
      controller,
      startedAt: Date.now(),
      tokens: 0,
      active: 1,
      timer: undefined,
      dispose: () => {
        clearTimeout(group.timer);
        caller?.removeEventListener("abort", onAbort);
        if (caller !== undefined && groups.get(caller) === group) groups.delete(caller);
      },
    };
    if (caller !== undefined) groups.set(caller, group);
    armDeadline(group);
    return group;
  }

  /** (Re)sets the group's deadline: `timeoutMs` per 1,000 tokens of model work, within `timeoutMaxMs`. */
  function armDeadline(group: RequestGroup): void {
    const budget = Math.min(timeoutMaxMs, timeoutMs * Math.max(1, group.tokens / 1000));
    clearTimeout(group.timer);
    const left = Math.max(0, group.startedAt + budget - Date.now());
    group.timer = setTimeout(
      () => group.controller.abort(proxyError("PRX_DETECT_TIMEOUT", { detail: `${Math.round(budget)} ms` })),
      left,
    );
  }

  function leaveGroup(group: RequestGroup): void {
    if (--group.active === 0) group.dispose();
  }

  /** Splits a text into chunks whose prompt fits the context (halving the window where one does not). */
  function planChunks(e: Engine, input: DetectInput, protect: readonly TextRange[]): PlannedChunk[] {
    const room = contextSize - e.prefixTokens.length - maxTokens;
    const role = input.role ?? "user";
    const plan: PlannedChunk[] = [];
    const visit = (offset: number, text: string, window: number, ranges: readonly TextRange[]): void => {
      for (const c of splitIntoChunks(text, { maxChars: window, protect: ranges })) {
        const piece = text.slice(c.start, c.end);
        const suffix = tokenizePieces(e.model, promptSuffixPieces(piece, input.userName, role));
        if (suffix.length <= room) {
          const key = chunkCache.keyOf(id, { text: piece, userName: input.userName, role });
          plan.push({ start: offset + c.start, end: offset + c.end, suffix, key });
          continue;
        }
        if (piece.length <= 64) {
          throw proxyError("PRX_DETECT_FAILED", {
            detail: "the context leaves no room for a chunk (raise modelContextSize or lower modelMaxTokens)",
          });
        }
        const inner = ranges
          .filter((r) => r.end > c.start && r.start < c.end)
          .map((r) => ({
            start: Math.max(0, r.start - c.start),
            end: Math.min(piece.length, r.end - c.start),
          }));
        visit(offset + c.start, piece, Math.max(64, Math.floor(Math.min(window, piece.length) / 2)), inner);
      }
    };
    visit(0, input.text, chunkChars, protect);
    return plan;
  }

  function startBusy(): void {
    if (busy++ === 0) busySince = performance.now();
    counters.peakSequencesBusy = Math.max(counters.peakSequencesBusy, busy);
  }

  function endBusy(): void {
    if (--busy === 0) counters.busyMs += performance.now() - busySince;
  }

  /** Detects one chunk on a free sequence; resolves spans relative to the chunk. */
  async function detectChunk(
    e: Engine,
    p: Pool<number>,
    chunk: PlannedChunk,
    text: string,
    group: RequestGroup,
    last: { prompt: number; input: number; output: number; accepted: number; rejected: number },
  ): Promise<Span[]> {
    const signal = group.controller.signal;
    const slot = await p.acquire(signal, group.owner);
    const t0 = performance.now();
    startBusy();
    try {
      const seq = e.sequences[slot];
      if (seq === undefined) throw proxyError("PRX_INTERNAL");
      const g = await generate(e, seq, chunk.suffix, maxTokens, signal, { greedy });
      last.prompt += g.promptTokens;
      last.input += g.inputTokens;
      last.output += g.outputTokens;
      last.accepted += g.draftsAccepted;
      last.rejected += g.draftsRejected;
      counters.chunksEvaluated++;
      counters.inputTokens += g.inputTokens;
      counters.outputTokens += g.outputTokens;
      counters.draftsAccepted += g.draftsAccepted;
      counters.draftsRejected += g.draftsRejected;
      if (g.aborted || signal.aborted) throw abortReason(signal);
      if (g.truncated) throw proxyError("PRX_DETECT_FAILED", { detail: "answer truncated at maxTokens" });
      const piece = text.slice(chunk.start, chunk.end);
      const spans = findingsToSpans(piece, parseModelOutput(g.text), source);
      chunkCache.set(chunk.key, spans);
      const line = {
        detector: id,
        chunkChars: chunk.end - chunk.start,
        promptTokens: g.promptTokens,
        outputTokens: g.outputTokens,
        draftsAccepted: g.draftsAccepted,
        spans: spans.length,
        ms: Math.round(performance.now() - t0),
        queueDepth: p.waiting,
      };
      if (logger?.debug !== undefined) logger.debug(line, "model chunk detected");
      return spans;
    } catch (err) {
      if (err instanceof ModelOutputError)
        throw proxyError("PRX_DETECT_FAILED", { cause: err, detail: "invalid answer" });
      throw err;
    } finally {
      endBusy();
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
    const plan = planChunks(e, input, protect);
    const cached = plan.map((c) => chunkCache.get(c.key));
    const misses = plan.filter((_, i) => cached[i] === undefined);
    counters.chunkCacheHits += plan.length - misses.length;
    const missTokens = misses.reduce((n, c) => n + c.suffix.length, 0);
    if (group.tokens + missTokens > maxRequestTokens) {
      throw proxyError("PRX_DETECT_WORK_LIMIT", {
        detail: `${group.tokens + missTokens} prompt tokens > modelMaxRequestTokens ${maxRequestTokens}`,
      });
    }
    group.tokens += missTokens;
    if (missTokens > 0) armDeadline(group);
    const last = { prompt: 0, input: 0, output: 0, accepted: 0, rejected: 0 };
    const fresh = await Promise.all(misses.map((c) => detectChunk(e, p, c, input.text, group, last)));
    counters.lastPromptTokens = last.prompt;
    counters.lastInputTokens = last.input;
    counters.lastOutputTokens = last.output;
    counters.lastDraftsAccepted = last.accepted;
    counters.lastDraftsRejected = last.rejected;
    counters.lastChunks = plan.length;
    counters.lastChunksEvaluated = misses.length;
    if (plan.length > 1) {
      logger?.info(
        {
          detector: id,
          chunks: plan.length,
          chunksEvaluated: misses.length,
          promptTokens: last.prompt,
          outputTokens: last.output,
          draftsAccepted: last.accepted,
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
          sequences: engine?.sequences.length ?? options.sequences ?? 1,
          instructions: instructions.source,
          draft: engine?.draft ?? options.draft !== false,
          roles: [...roles].join(","),
          chunkChars,
          chunksEvaluated: s.chunksEvaluated,
          tokensPerSecond: s.tokensPerSecond,
          generatedTokensPerSecond: s.generatedTokensPerSecond,
          draftsAccepted: s.draftsAccepted,
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
      const group = joinGroup(callerSignal);
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
        leaveGroup(group);
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

  function snapshot(): ModelDetectorStats {
    const busyMs = counters.busyMs + (busy > 0 ? performance.now() - busySince : 0);
    const perSecond = (n: number): number => (busyMs > 0 ? Math.round((n / busyMs) * 10_000) / 10 : 0);
    return {
      ...counters,
      busyMs: Math.round(busyMs),
      forwardPasses: engine === undefined || engine.countsPasses ? (engine?.counters.forwardPasses ?? 0) : -1,
      tokensPerSecond: perSecond(counters.inputTokens),
      generatedTokensPerSecond: perSecond(counters.outputTokens),
      queueDepth: pool?.waiting ?? 0,
    };
  }
}

/** A promise that rejects with the signal's reason when it aborts (and never settles otherwise). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(abortReason(signal));
    else signal.addEventListener("abort", () => reject(abortReason(signal)), { once: true });
  });
}
