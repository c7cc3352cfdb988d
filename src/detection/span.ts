/**
 * The span: one private value found in a text, and the detector contract every detector implements.
 * Offsets are UTF-16 code units into the text the detector was given.
 */
import type { PrivacyLevel } from "../taxonomy/levels.js";

/** One detected private value. `text === input.slice(start, end)` always holds. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Type string: a standard tag ("Phone Number") or a free-form one ("Internal IP"). */
  readonly type: string;
  readonly level: PrivacyLevel;
  /** Who found it: `rule:<id>`, `model:<name>`, `vault`, `deny-list`, `user-name`. */
  readonly source: string;
}

/** Role of the message a text came from (the model contract analyses one turn at a time). */
export type TextRole = "user" | "assistant" | "system" | "tool" | "developer";

/** What a detector is asked to analyse. */
export interface DetectInput {
  readonly text: string;
  /** The user's real name: spans of it are the user's own Real Name (PL2). */
  readonly userName?: string | undefined;
  readonly role?: TextRole | undefined;
}

/** What a detector says about itself (for `/readyz`, logs and the status page). */
export interface DetectorInfo {
  /** `rules`, `model`, `remote`. */
  readonly kind: string;
  /** Stable identity used in cache keys, e.g. `rules@1` or `model:MemPrivacy-4B-RL.Q8_0`. */
  readonly id: string;
  readonly ready: boolean;
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** A detector finds spans in one text. It may be slow (a model) and must honour the abort signal. */
export interface Detector {
  info(): DetectorInfo;
  /** Finds spans in `input.text`. Rejects (never resolves partially) when detection cannot complete. */
  detect(input: DetectInput, signal?: AbortSignal): Promise<Span[]>;
  /**
   * The spans for `input` when they are at hand without any work (a cache hit), else undefined. Lets a
   * request whose texts were all seen before skip the timer, the abort plumbing and the promise round trips.
   */
  peek?(input: DetectInput): Span[] | undefined;
  /** Releases resources (model contexts, sockets). Idempotent. */
  close(): Promise<void>;
}

/** Builds a span from offsets, taking its text from the input so the invariant cannot drift. */
export function makeSpan(
  input: string,
  start: number,
  end: number,
  type: string,
  level: PrivacyLevel,
  source: string,
): Span {
  return { start, end, text: input.slice(start, end), type, level, source };
}
