/**
 * Grammar-constrained generation of one answer on one sequence, after the shared instruction prefix: in
 * lockstep with the other generating sequences of the context (shared batches, see batching.ts) and
 * drafting from the message when the sequence has a predictor (see draft.ts).
 */
import { LlamaGrammarEvaluationState } from "node-llama-cpp";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { Engine } from "./engine.js";
import { sameTokens } from "./prefix-state.js";

/** Decoding settings of the MemPrivacy paper. */
export const DECODING = { temperature: 0.1, topP: 0.1, repeatPenalty: 1.05, seed: 42 } as const;

/** Result of one generation. */
export interface Generation {
  readonly text: string;
  /** Generated token ids (tests compare them with and without drafting, on one sequence and on several). */
  readonly tokens: readonly Token[];
  /** Drafted tokens the model confirmed and used / drafted tokens it refuted. */
  readonly draftsAccepted: number;
  readonly draftsRejected: number;
  readonly truncated: boolean;
  readonly aborted: boolean;
  readonly promptTokens: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** How {@link generate} decodes. */
export interface GenerateOptions {
  /** Temperature 0 instead of the paper's sampling ({@link DECODING}). */
  readonly greedy: boolean;
  /** The JSON-schema grammar; false only for checks of the decoder itself. */
  readonly grammar: boolean;
}

/**
 * Evaluates `suffix` after the prefix and generates an answer of at most `maxTokens` tokens; stops early
 * when `signal` aborts. Always erases everything after the prefix afterwards.
 */
export function generate(
  engine: Engine,
  seq: LlamaContextSequence,
  suffix: readonly Token[],
  maxTokens: number,
  signal: AbortSignal,
  options: GenerateOptions,
): Promise<Generation> {
  return engine.gate.run(seq, () => generateOn(engine, seq, { suffix, maxTokens, signal, options }));
}

/** One generation's inputs, as {@link generate} takes them. */
interface GenerationJob {
  readonly suffix: readonly Token[];
  readonly maxTokens: number;
  readonly signal: AbortSignal;
  readonly options: GenerateOptions;
}

/** {@link generate}'s work, run while the gate holds the sequence. */
async function generateOn(
  engine: Engine,
  seq: LlamaContextSequence,
  job: GenerationJob,
): Promise<Generation> {
  const { suffix, maxTokens, signal, options } = job;
  const prefixLength = engine.prefixTokens.length;
  if (seq.nextTokenIndex !== prefixLength || !sameTokens(seq.contextTokens, engine.prefixTokens)) {
    await seq.clearHistory();
    await seq.evaluateWithoutGeneratingNewTokens([...engine.prefixTokens]);
  }
  const before = seq.tokenMeter.getState();
  const draftsBefore = seq.tokenPredictions;
  seq.tokenPredictor?.updateInputTokens([...suffix]);
  const generated: Token[] = [];
  let truncated = false;
  let aborted = false;
  try {
    const grammarEvaluationState = options.grammar
      ? new LlamaGrammarEvaluationState({ model: engine.model, grammar: engine.grammar })
      : undefined;
    const iterator = seq.evaluate([...suffix], {
      ...(options.greedy
        ? { temperature: 0 }
        : { temperature: DECODING.temperature, topP: DECODING.topP, seed: DECODING.seed }),
      ...(grammarEvaluationState === undefined ? {} : { grammarEvaluationState }),
      repeatPenalty: {
        penalty: DECODING.repeatPenalty,
        punishTokens: () => [...suffix, ...generated].slice(-64),
      },
    });
    for await (const token of iterator) {
      if (signal.aborted) {
        aborted = true;
        break;
      }
      generated.push(token);
      if (generated.length >= maxTokens) {
        truncated = true;
        break;
      }
    }
    if (signal.aborted) aborted = true;
  } finally {
    if (seq.nextTokenIndex > prefixLength) {
      await seq.eraseContextTokenRanges([{ start: prefixLength, end: seq.nextTokenIndex }]);
    }
  }
  const used = seq.tokenMeter.diff(before);
  const draftsAfter = seq.tokenPredictions;
  return {
    text: engine.model.detokenize(generated),
    tokens: generated,
    draftsAccepted: draftsAfter.used - draftsBefore.used,
    draftsRejected: draftsAfter.refuted - draftsBefore.refuted,
    truncated,
    aborted,
    promptTokens: suffix.length,
    inputTokens: used.usedInputTokens,
    outputTokens: used.usedOutputTokens,
  };
}
