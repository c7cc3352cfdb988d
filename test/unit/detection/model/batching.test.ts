/**
 * The lockstep gate without a model: a fake context that batches what is queued when its dispatch runs,
 * and whose answers come back after different delays per sequence (as sampling does), so that sequences
 * left alone fall out of step. With the gate every step batch holds every generating sequence, a prompt is
 * always alone in its batch, and a sequence that leaves or fails never holds the others up.
 */
import { describe, expect, it } from "vitest";
import type { LlamaContext, LlamaContextSequence } from "node-llama-cpp";
import { createLockstepGate } from "../../../../src/detection/model/batching.js";

interface Item {
  readonly sequenceId: number;
  readonly tokens: readonly number[];
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A context whose dispatch takes whatever is queued on the next turn of the event loop. */
function fakeContext(): { context: LlamaContext; batches: Item[][]; decode: (item: Item) => Promise<void> } {
  const batches: Item[][] = [];
  let queued: { item: Item; resolve: () => void }[] = [];
  let scheduled = false;
  const holder = {
    _decodeTokens(item: Item): Promise<void> {
      return new Promise((resolve) => {
        queued.push({ item, resolve });
        if (scheduled) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          const batch = queued;
          queued = [];
          batches.push(batch.map((q) => q.item));
          // Sequence n's answer takes n + 1 turns (its sampling): the first to finish queues first.
          for (const q of batch) {
            void (async () => {
              for (let i = 0; i <= q.item.sequenceId; i++) await tick();
              q.resolve();
            })();
          }
        });
      });
    },
  };
  const context = holder as unknown as LlamaContext;
  // Calls go through the property, so a gate installed later sees them.
  const decode = (item: Item): Promise<void> => holder._decodeTokens(item);
  return { context, batches, decode };
}

const seq = (id: number): LlamaContextSequence => ({ _sequenceId: id }) as unknown as LlamaContextSequence;

/** One generation: a prompt of 40 tokens, then `steps` steps of one token. */
async function generation(decode: (item: Item) => Promise<void>, id: number, steps: number): Promise<void> {
  await decode({ sequenceId: id, tokens: Array.from({ length: 40 }, () => 1) });
  for (let i = 0; i < steps; i++) await decode({ sequenceId: id, tokens: [1] });
}

const isPrompt = (item: Item): boolean => item.tokens.length > 9;

describe("createLockstepGate", () => {
  it("puts every generating sequence's step in one batch and every prompt alone", async () => {
    const steps = [6, 3, 5];
    const ungated = fakeContext();
    await Promise.all(steps.map((n, id) => generation(ungated.decode, id, n)));
    const ungatedSteps = ungated.batches.filter((b) => !b.some(isPrompt)).length;

    const gated = fakeContext();
    const gate = createLockstepGate(gated.context, 9);
    expect(gate.installed).toBe(true);
    await Promise.all(steps.map((n, id) => gate.run(seq(id), () => generation(gated.decode, id, n))));
    const all = gated.batches.flat();
    expect(all.filter(isPrompt)).toHaveLength(3);
    expect(all.filter((i) => !isPrompt(i))).toHaveLength(14);
    for (const batch of gated.batches) {
      if (batch.some(isPrompt)) expect(batch).toHaveLength(1);
      expect(new Set(batch.map((i) => i.sequenceId)).size).toBe(batch.length);
    }
    const gatedSteps = gated.batches.filter((b) => !b.some(isPrompt)).length;
    // The prompts first (each alone), then the steps in lockstep: as many batches as the longest generation.
    // Left alone, the sequences alternate.
    expect(gated.batches.slice(0, 3).every((b) => b.length === 1 && isPrompt(b[0]!))).toBe(true);
    expect(gatedSteps).toBe(Math.max(...steps));
    expect(ungatedSteps).toBeGreaterThan(gatedSteps);
  });

  it("releases the others when a sequence leaves or fails, and passes other decodes through", async () => {
    const { context, batches, decode } = fakeContext();
    const gate = createLockstepGate(context, 9);
    const failing = gate.run(seq(1), async () => {
      await decode({ sequenceId: 1, tokens: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
      throw new Error("model failed");
    });
    const short = gate.run(seq(2), () => generation(decode, 2, 1));
    const long = gate.run(seq(0), () => generation(decode, 0, 4));
    await expect(failing).rejects.toThrow("model failed");
    await Promise.all([short, long]);
    // A sequence outside `run` (a prefix loaded at start) is not held.
    await decode({ sequenceId: 3, tokens: [1] });
    expect(batches.flat().filter((i) => i.sequenceId === 0 && !isPrompt(i))).toHaveLength(4);
    expect(batches.at(-1)).toEqual([{ sequenceId: 3, tokens: [1] }]);
  });

  it("is not installed on a context without the expected internals, and then only runs the work", async () => {
    const gate = createLockstepGate({} as unknown as LlamaContext, 9);
    expect(gate.installed).toBe(false);
    expect(await gate.run(seq(0), () => Promise.resolve(42))).toBe(42);
  });
});
