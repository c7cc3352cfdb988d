/** Messages between the rule pool (pool.ts) and its worker threads (rules-worker.ts). */
import type { Span } from "../span.js";

/** One text to detect. */
export interface WorkerRequest {
  readonly id: number;
  readonly text: string;
  readonly userName?: string | undefined;
}

/** The spans of one text, or the fact that detection failed (never why: messages could quote the text). */
export type WorkerReply =
  { readonly id: number; readonly spans: Span[] } | { readonly id: number; readonly failed: true };
