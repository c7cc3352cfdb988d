/**
 * Shared batches across a context's sequences, and a count of the forward passes they take.
 *
 * node-llama-cpp decodes in one batch what the sequences of a context have queued when its dispatch runs,
 * but the dispatch loop starts the next batch as soon as any sequence has queued again. During generation the
 * sequence whose sampling finished first queues alone, the others queue while that batch runs, and from then
 * on the sequences alternate: one forward pass per sequence per token, however many sequences there are
 * (measured on node-llama-cpp 3.21.1: two sequences generating 40 tokens each took 79 decode calls). The
 * lockstep gate fixes that: while sequences generate, a decode of one of them is held until every generating
 * sequence has queued its own (or finished), and then all are queued in the same tick — so one step of N
 * generating sequences is one forward pass. Every sequence decodes the same tokens at the same positions,
 * only in company — but llama.cpp's CPU kernels are not exactly batch-invariant, so a near tie can still
 * fall the other way (see createLockstepGate).
 *
 * Both hooks sit on members node-llama-cpp marks internal (`_ctx`, `_decodeTokens`, `_sequenceId`). When their
 * shape differs they are not installed and everything works as before, without shared generation steps or a
 * pass count; `test/integration/model/batching.test.ts` fails then, so an upgrade cannot lose them unnoticed.
 */
import type { LlamaContext, LlamaContextSequence } from "node-llama-cpp";

/** Counts of one context's work since load (forward passes are llama.cpp decode calls, shared by sequences). */
export interface PassCounter {
  forwardPasses: number;
}

/**
 * Counts llama.cpp decode calls (one per shared batch) by putting a counting proxy in front of the context's
 * native binding; false when the binding's shape does not allow it (the count then stays 0).
 */
export function countForwardPasses(context: LlamaContext, counter: PassCounter): boolean {
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
                  counter.forwardPasses++;
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

/** Makes the generating sequences of one context decode in the same batches (see the module comment). */
export interface LockstepGate {
  /** Whether the gate is in place (false: node-llama-cpp's own scheduling, see the module comment). */
  readonly installed: boolean;
  /**
   * Runs `work` with `seq` counted as generating: its generation steps wait until every generating sequence
   * has one queued or has left, and its prompts run alone. Settles as `work` does; one `work` per sequence.
   */
  run<T>(seq: LlamaContextSequence, work: () => Promise<T>): Promise<T>;
}

type DecodeTokens = (item: DecodeItem, ...rest: unknown[]) => Promise<unknown>;
interface DecodeItem {
  readonly sequenceId: number;
  readonly tokens: readonly unknown[];
}

/**
 * Installs the lockstep gate on a context (once per context). A decode of at most `stepTokens` tokens (one
 * token plus its drafts) is a generation step and waits for the other generating sequences' steps; a longer
 * one (a prompt) is decoded alone, with nothing else in its batch. llama.cpp's numbers for one sequence
 * depend slightly on what else a batch holds: measured on the tiny model, whose logits are nearly flat, a
 * prompt sharing a batch moved a logit by 1e-4 and flipped a near tie, so prompts go alone (a prompt is
 * compute-bound anyway; the steps are where sharing pays). Steps of three sequences still changed a near tie
 * now and then (5 of 25 chunks of a 40 KB text on three sequences; none with every decode alone, none on
 * two sequences in most runs): the answers equal one sequence's in the tests, not by construction.
 */
export function createLockstepGate(context: LlamaContext, stepTokens: number): LockstepGate {
  const holder = context as unknown as { _decodeTokens?: unknown };
  const original = holder._decodeTokens;
  if (typeof original !== "function") return { installed: false, run: (_seq, work) => work() };
  const decode = (original as DecodeTokens).bind(context);
  /** Sequence ids inside `run`; those with a prompt waiting or decoding; the step each has waiting. */
  const members = new Set<number>();
  const prompting = new Set<number>();
  const steps = new Map<number, () => Promise<void>>();
  /** Prompts waiting, in order of arrival. */
  const prompts: (() => Promise<void>)[] = [];
  /** Decodes dispatched by the gate and not settled: nothing else is dispatched meanwhile. */
  let inFlight = 0;

  const dispatch = (starts: readonly (() => Promise<void>)[]): void => {
    inFlight += starts.length;
    // Queued synchronously, one after another: node-llama-cpp's dispatch sees all of them or none.
    for (const start of starts) {
      void start().finally(() => {
        if (--inFlight === 0) release();
      });
    }
  };

  function release(): void {
    if (inFlight > 0) return;
    // A waiting prompt first: it makes one more sequence generate, and there is at most one per sequence,
    // so steps wait for at most that many prompts. Then the steps, once every generating sequence (a member
    // not at its prompt) has one waiting.
    const prompt = prompts.shift();
    if (prompt !== undefined) dispatch([prompt]);
    else if (steps.size > 0 && steps.size >= members.size - prompting.size) {
      const ready = [...steps.values()];
      steps.clear();
      dispatch(ready);
    }
  }

  holder._decodeTokens = (item: DecodeItem, ...rest: unknown[]): Promise<unknown> => {
    const id = item.sequenceId;
    if (!members.has(id) || steps.has(id) || prompting.has(id)) return decode(item, ...rest);
    // A sequence at its prompt is not generating meanwhile: the others' steps do not wait for it.
    const prompt = item.tokens.length > stepTokens;
    if (prompt) prompting.add(id);
    return new Promise((resolve, reject) => {
      // Back among the generating before its caller resumes, so that its first step waits for the others.
      const settle = (): void => {
        if (prompt) prompting.delete(id);
      };
      const start = (): Promise<void> =>
        decode(item, ...rest).then(
          (value) => {
            settle();
            resolve(value);
          },
          (err: Error) => {
            settle();
            reject(err);
          },
        );
      if (prompt) prompts.push(start);
      else steps.set(id, start);
      release();
    });
  };

  return {
    installed: true,
    async run(seq, work) {
      const id = (seq as unknown as { _sequenceId?: unknown })._sequenceId;
      if (typeof id !== "number") return work();
      members.add(id);
      try {
        return await work();
      } finally {
        members.delete(id);
        // The others' steps may have been waiting for this sequence.
        release();
      }
    },
  };
}
