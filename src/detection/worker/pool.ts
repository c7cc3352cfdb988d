/**
 * The rule detector off the event loop: texts of `minChars` UTF-16 units or more run on a pool of worker
 * threads (node:worker_threads), so one large or hostile text cannot keep `/healthz` or any other request
 * waiting; shorter texts run inline, where a worker round trip would cost more than the rules themselves.
 *
 * The detect deadline is real: the pipeline's timer fires on a free event loop, the request fails closed, and
 * the signal it aborts makes the pool reject at once and terminate the worker still busy with that text (a
 * replacement starts on the next demand), so the text stops costing a core too. Workers start on demand and
 * hold the process open only while they have work.
 *
 * The worker entry is `rules-worker.js` beside this module in a build (`dist/`); when this module runs from its
 * `.ts` source (vitest, tsx) the worker registers the `tsx` loader and imports `rules-worker.ts`.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { RULES_VERSION, detectRules } from "../rules/index.js";
import type { DetectInput, Detector, DetectorInfo, Span } from "../span.js";
import { unpackSpans, type RulesWorkerData, type WorkerReply, type WorkerRequest } from "./protocol.js";

/** Texts shorter than this (UTF-16 units) are detected inline. */
export const DEFAULT_WORKER_MIN_CHARS = 16 * 1024;

/** Default pool size: one worker per core the event loop leaves free, at least one. */
export function defaultDetectWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

export interface RulePoolOptions {
  /** Worker threads at most (0: every text inline, on the event loop). */
  readonly workers: number;
  /** Default {@link DEFAULT_WORKER_MIN_CHARS}. */
  readonly minChars?: number;
  /** Regions for national phone numbers, inline and in every worker (the rules' default when absent). */
  readonly phoneRegions?: readonly string[] | undefined;
}

/** What the pool is doing (counts only). */
export interface RulePoolStats {
  readonly workers: number;
  readonly busy: number;
  readonly queued: number;
  /** Workers terminated because their text's deadline passed or its request went away. */
  readonly terminated: number;
  /** Texts detected on a worker. */
  readonly offloaded: number;
}

export interface RulePoolDetector extends Detector {
  poolStats(): RulePoolStats;
}

interface Job {
  readonly id: number;
  readonly text: string;
  readonly userName: string | undefined;
  readonly resolve: (spans: Span[]) => void;
  readonly reject: (err: Error) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | undefined;
}

/**
 * How to start a worker: the compiled entry beside this module, or — from TypeScript sources — a bootstrap
 * that registers tsx's ESM loader in the worker thread first (a `--import` in a worker's execArgv comes too
 * late for its entry module) and then imports the `.ts` entry.
 */
function workerEntry(): { entry: URL | string; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { entry: new URL("./rules-worker.js", here), eval: false };
  const tsxDir = path.dirname(createRequire(here).resolve("tsx/package.json"));
  const api = pathToFileURL(path.join(tsxDir, "dist", "esm", "api", "index.mjs")).href;
  const target = new URL("./rules-worker.ts", here).href;
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(target)}); });`;
  return { entry: code, eval: true };
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error("aborted");
}

/**
 * Creates the rule detector (`rules@<version>`, the same id and results as the inline one) backed by up to
 * `workers` threads for texts of `minChars` or more.
 */
export function createRulePoolDetector(options: RulePoolOptions): RulePoolDetector {
  const size = Math.max(0, Math.floor(options.workers));
  const minChars = options.minChars ?? DEFAULT_WORKER_MIN_CHARS;
  const info: DetectorInfo = {
    kind: "rules",
    id: `rules@${RULES_VERSION}`,
    ready: true,
    details: { workers: size },
  };
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 0;
  let terminated = 0;
  let offloaded = 0;
  let closed = false;
  let entry: ReturnType<typeof workerEntry> | undefined;

  const settle = (job: Job): void => {
    job.signal?.removeEventListener("abort", job.onAbort);
  };

  const drop = (slot: Slot): void => {
    const at = slots.indexOf(slot);
    if (at !== -1) slots.splice(at, 1);
  };

  const spawn = (): Slot => {
    entry ??= workerEntry();
    const workerData: RulesWorkerData = { phoneRegions: options.phoneRegions };
    const worker = new Worker(entry.entry, { eval: entry.eval, workerData });
    const slot: Slot = { worker, job: undefined };
    worker.unref();
    worker.on("message", (reply: WorkerReply) => {
      const job = slot.job;
      if (job?.id !== reply.id) return;
      slot.job = undefined;
      worker.unref();
      settle(job);
      if ("spans" in reply) {
        offloaded++;
        job.resolve(unpackSpans(job.text, reply.spans));
      } else {
        job.reject(new Error("rule detection failed in a worker"));
      }
      dispatch();
    });
    const lost = (): void => {
      drop(slot);
      const job = slot.job;
      slot.job = undefined;
      if (job !== undefined) {
        settle(job);
        job.reject(new Error("a rule worker stopped"));
      }
      dispatch();
    };
    worker.on("error", lost);
    worker.on("exit", lost);
    slots.push(slot);
    return slot;
  };

  function dispatch(): void {
    while (!closed && queue.length > 0) {
      let slot = slots.find((s) => s.job === undefined);
      if (slot === undefined && slots.length < size) slot = spawn();
      if (slot === undefined) return;
      const job = queue.shift() as Job;
      slot.job = job;
      slot.worker.ref();
      const message: WorkerRequest = { id: job.id, text: job.text, userName: job.userName };
      slot.worker.postMessage(message);
    }
  }

  const offload = (input: DetectInput, signal: AbortSignal | undefined): Promise<Span[]> =>
    new Promise<Span[]>((resolve, reject) => {
      const id = ++nextId;
      const onAbort = (): void => {
        const queued = queue.indexOf(job);
        if (queued !== -1) {
          queue.splice(queued, 1);
        } else {
          const slot = slots.find((s) => s.job === job);
          if (slot !== undefined) {
            // The text may run for a long time yet: stop it rather than let it hold a core.
            slot.job = undefined;
            drop(slot);
            terminated++;
            void slot.worker.terminate();
          }
        }
        settle(job);
        reject(abortReason(signal));
        dispatch();
      };
      const job: Job = { id, text: input.text, userName: input.userName, resolve, reject, signal, onAbort };
      signal?.addEventListener("abort", onAbort, { once: true });
      queue.push(job);
      dispatch();
    });

  return {
    info: () => info,
    detect(input: DetectInput, signal?: AbortSignal): Promise<Span[]> {
      if (signal?.aborted === true) return Promise.reject(abortReason(signal));
      if (closed) return Promise.reject(new Error("the rule pool is closed"));
      if (size === 0 || input.text.length < minChars) {
        try {
          return Promise.resolve(
            detectRules(input.text, { userName: input.userName, phoneRegions: options.phoneRegions }),
          );
        } catch (err) {
          return Promise.reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
      return offload(input, signal);
    },
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      const jobs = [...queue.splice(0), ...slots.flatMap((s) => (s.job === undefined ? [] : [s.job]))];
      const stopping = slots.splice(0).map((s) => s.worker.terminate());
      for (const job of jobs) {
        settle(job);
        job.reject(new Error("the rule pool is closed"));
      }
      return Promise.all(stopping).then(() => undefined);
    },
    poolStats: () => ({
      workers: slots.length,
      busy: slots.filter((s) => s.job !== undefined).length,
      queued: queue.length,
      terminated,
      offloaded,
    }),
  };
}
