/**
 * Copy-fast generation: the token predictor each sequence drafts with. The answer copies `original_text`
 * verbatim from the message and the grammar forces the JSON keys, so the next tokens are looked up in the
 * message and in the answer's key skeleton (node-llama-cpp's input-lookup predictor) and verified many per
 * forward pass. Drafts never change a greedy answer: a drafted token is kept only when the model would have
 * chosen it.
 */
import { InputLookupTokenPredictor } from "node-llama-cpp";
import type { LlamaModel, Token } from "node-llama-cpp";

/** A JSON answer with every key and level: what the grammar forces between copied spans. */
const ANSWER_SKELETON =
  '[{"original_text": "", "privacy_type": "", "privacy_level": "PL2"}, {"original_text": "", "privacy_type": "", "privacy_level": "PL3"}, {"original_text": "", "privacy_type": "", "privacy_level": "PL4"}]';

/** Most tokens drafted at once: a generation step decodes at most 1 + DRAFT_MAX tokens. */
export const DRAFT_MAX = 8;

/** Drafts from the message (the input tokens) followed by the answer skeleton; up to DRAFT_MAX tokens at a time. */
class MessageLookupPredictor extends InputLookupTokenPredictor {
  constructor(private readonly skeleton: readonly Token[]) {
    super({ patternLength: { min: 1 }, predictionLength: { min: 1, max: DRAFT_MAX } });
  }

  override updateInputTokens(tokens: Token[]): void {
    super.updateInputTokens([...tokens, ...this.skeleton]);
  }
}

/** A new predictor for one sequence of `model`. */
export function createMessagePredictor(model: LlamaModel): InputLookupTokenPredictor {
  return new MessageLookupPredictor(model.tokenize(ANSWER_SKELETON, false));
}
