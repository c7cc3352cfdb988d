/**
 * Shared batches during generation on the tiny model: sequences of one context that generate at the same time
 * decode together (one forward pass per step, not one per sequence per step), and every sequence's greedy
 * answer is token for token what it is on a context of one sequence — with a sequence finishing early, one
 * joining late, one aborted, and with drafting.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import type { Token } from "node-llama-cpp";
import { loadEngine } from "../../../src/detection/model/engine.js";
import type { Engine } from "../../../src/detection/model/engine.js";
import { generate } from "../../../src/detection/model/generate.js";
import type { Generation } from "../../../src/detection/model/generate.js";
import { DEFAULT_INSTRUCTIONS } from "../../../src/detection/model/instructions.js";
import { promptPrefixPieces, promptSuffixPieces } from "../../../src/detection/model/prompt.js";
import { tinyGguf } from "../../fixtures/tiny-model/tiny-gguf.js";

vi.setConfig({ testTimeout: 180_000 });

const engines: Engine[] = [];

async function engine(sequences: number, draft: boolean): Promise<Engine> {
  const e = await loadEngine({
    modelPath: await tinyGguf(),
    gpu: false,
    sequences,
    threads: 1,
    contextSize: 2048,
    prefix: promptPrefixPieces(DEFAULT_INSTRUCTIONS),
    identity: "batching-test",
    stateDir: undefined,
    draft,
  });
  engines.push(e);
  return e;
}

afterAll(async () => {
  for (const e of engines) await e.model.dispose();
});

const TEXTS = [
  'Please email "Priya Raman" at priya.raman@example.org, password "hunter2".',
  "张伟的手机号是13800138000，住在北京市朝阳区。",
  "Call Bob on +44 20 7946 0958 tomorrow about invoice 4471.",
];
/** Different lengths, so one sequence finishes while the others still generate. */
const MAX_TOKENS = [48, 20, 35];

function suffixes(e: Engine): Token[][] {
  return TEXTS.map((t) =>
    promptSuffixPieces(t, "Priya Raman", "user").flatMap((p) => e.model.tokenize(p.text, p.special)),
  );
}

const never = new AbortController().signal;

/** Generates every suffix alone on the engine's first sequence; the answers and the passes each took. */
async function alone(e: Engine, grammar: boolean): Promise<{ tokens: Token[][]; passes: number[] }> {
  const tokens: Token[][] = [];
  const passes: number[] = [];
  for (const [i, s] of suffixes(e).entries()) {
    const before = e.counters.forwardPasses;
    const g = await generate(e, e.sequences[0]!, s, MAX_TOKENS[i]!, never, { greedy: true, grammar });
    passes.push(e.counters.forwardPasses - before);
    tokens.push([...g.tokens]);
  }
  return { tokens, passes };
}

describe("generation in shared batches", () => {
  it("decodes concurrent sequences together, with the same greedy tokens as one sequence", async () => {
    const one = await engine(1, false);
    const three = await engine(3, false);
    expect(three.gate.installed).toBe(true);
    expect(three.countsPasses).toBe(true);
    for (const grammar of [false, true]) {
      const ref = await alone(one, grammar);
      const before = three.counters.forwardPasses;
      const together = await Promise.all(
        suffixes(three).map((s, i) =>
          generate(three, three.sequences[i]!, s, MAX_TOKENS[i]!, never, { greedy: true, grammar }),
        ),
      );
      const passes = three.counters.forwardPasses - before;
      expect(together.map((g) => g.tokens)).toEqual(ref.tokens);
      const longest = Math.max(...ref.passes);
      const sum = ref.passes.reduce((a, b) => a + b, 0);
      if (!grammar) {
        // Unconstrained, the tiny model writes to maxTokens: 103 tokens in all, one pass per step.
        expect(together.map((g) => g.tokens.length)).toEqual(MAX_TOKENS);
        expect(sum).toBeGreaterThanOrEqual(103);
      }
      // Each prompt is decoded alone (one pass each) and every generation step is shared: the longest
      // answer's passes plus one for each other prompt.
      expect(passes).toBeLessThanOrEqual(longest + TEXTS.length - 1);
      if (!grammar) expect(passes).toBeLessThan(sum / 2);
    }
  });

  it("keeps answers identical when a sequence joins late, one is aborted, and sequences draft", async () => {
    const one = await engine(1, false);
    const drafting = await engine(3, true);
    const ref = await alone(one, false);
    const [a, b, c] = suffixes(drafting);
    const abort = new AbortController();
    const opts = { greedy: true, grammar: false } as const;
    const first = generate(drafting, drafting.sequences[0]!, a!, MAX_TOKENS[0]!, never, opts);
    // The second is aborted while the others generate; its sequence leaves the lockstep.
    const second = generate(drafting, drafting.sequences[1]!, b!, MAX_TOKENS[1]!, abort.signal, opts);
    setImmediate(() => abort.abort(new Error("client went away")));
    // The third joins after the first has started generating.
    const third = (async (): Promise<Generation> => {
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      return generate(drafting, drafting.sequences[2]!, c!, MAX_TOKENS[2]!, never, opts);
    })();
    const [g1, g2, g3] = await Promise.all([first, second, third]);
    expect(g1.tokens).toEqual(ref.tokens[0]);
    expect(g3.tokens).toEqual(ref.tokens[2]);
    expect(g2.aborted).toBe(true);
    expect(ref.tokens[1]!.slice(0, g2.tokens.length)).toEqual(g2.tokens);
    // Every sequence is back at the prefix and decodes the same again, alone.
    const again = await generate(drafting, drafting.sequences[1]!, b!, MAX_TOKENS[1]!, never, opts);
    expect(again.tokens).toEqual(ref.tokens[1]);
  });
});
