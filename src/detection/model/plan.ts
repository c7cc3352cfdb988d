/**
 * A text's chunk plan: the chunks (see chunk.ts) whose prompt fits the context next to the instruction
 * prefix and the answer, each tokenized and keyed for the per-chunk cache. A chunk whose tokens do not fit
 * is split again with half the window.
 */
import type { Token } from "node-llama-cpp";
import { proxyError } from "../../errors/catalogue.js";
import type { DetectInput } from "../span.js";
import { splitIntoChunks } from "./chunk.js";
import type { TextRange } from "./chunk.js";
import { tokenizePieces } from "./engine.js";
import type { Engine } from "./engine.js";
import { promptSuffixPieces } from "./prompt.js";

/** A chunk of one text, tokenized. */
export interface PlannedChunk {
  readonly start: number;
  readonly end: number;
  readonly suffix: readonly Token[];
  readonly key: string;
}

/** What a plan needs besides the text. */
export interface PlanOptions {
  readonly contextSize: number;
  readonly maxTokens: number;
  readonly chunkChars: number;
  /** The cache key of a chunk (its text, the user name and the role). */
  readonly keyOf: (chunk: DetectInput) => string;
}

/** Splits a text into chunks whose prompt fits the context; rejects when not even 64 characters fit. */
export function planChunks(
  e: Engine,
  input: DetectInput,
  protect: readonly TextRange[],
  o: PlanOptions,
): PlannedChunk[] {
  const room = o.contextSize - e.prefixTokens.length - o.maxTokens;
  const role = input.role ?? "user";
  const plan: PlannedChunk[] = [];
  const visit = (offset: number, text: string, window: number, ranges: readonly TextRange[]): void => {
    for (const c of splitIntoChunks(text, { maxChars: window, protect: ranges })) {
      const piece = text.slice(c.start, c.end);
      const suffix = tokenizePieces(e.model, promptSuffixPieces(piece, input.userName, role));
      if (suffix.length <= room) {
        const key = o.keyOf({ text: piece, userName: input.userName, role });
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
  visit(0, input.text, o.chunkChars, protect);
  return plan;
}
