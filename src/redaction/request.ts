/**
 * What the redaction pipeline takes and gives (src/redaction/pipeline.ts): the texts of one request with how
 * much detection each gets, and the outcome — redacted texts, applied spans, counts and the index the
 * response is restored with.
 */
import type { Span, TextRole } from "../detection/span.js";
import type { Policy } from "./policy.js";
import type { ScopeIndex } from "./scope-index.js";

/** One text to redact. */
export interface TextItem {
  readonly text: string;
  readonly role?: TextRole | undefined;
  /**
   * Which detectors run on this text: `true` (default) all; `"light"` only the light detector (the rules)
   * — for text the client echoes back, such as earlier assistant turns, which is also masked for every value
   * the scope already knows; `false` none (known values are still masked).
   */
  readonly detect?: boolean | "light" | undefined;
  /**
   * Where the text came from in structured tool data: a JSON number, an object key, or a string (default).
   * A number masked whole is restored as a number in JSON.
   */
  readonly kind?: "string" | "number" | "key" | undefined;
}

/** Which placeholders a response may be restored with (see docs/architecture.md, "Restoration"). */
export type RestoreScope = "exchange" | "scope";

export interface RedactRequest {
  readonly items: readonly TextItem[];
  /** Logical scope (credential hash + session); never logged. */
  readonly scope: string;
  readonly policy: Policy;
  readonly userName?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Also mask every value the scope already knows, wherever it occurs (default true). */
  readonly maskKnown?: boolean;
  /**
   * `exchange` (default): the outcome's index holds only the placeholders this request substituted, plus
   * `bound`; `scope`: every placeholder of the scope.
   */
  readonly restoreScope?: RestoreScope;
  /** Look-up keys (lower-case `name_n`) bound to the conversation this request continues. */
  readonly bound?: Iterable<string>;
  /** The client asked for JSON output: restoration of text fields is JSON-aware. */
  readonly jsonOutput?: boolean;
}

/** A span as applied: offsets into the original text, and the text that replaced it. */
export interface AppliedSpan extends Span {
  readonly replacement: string;
}

export type LevelCounts = Record<"PL2" | "PL3" | "PL4", number>;

export interface RedactionOutcome {
  readonly texts: string[];
  readonly spans: AppliedSpan[][];
  /** Replacements per level, over all texts. */
  readonly counts: LevelCounts;
  /** Replacements per type, over all texts. */
  readonly types: Record<string, number>;
  /** What the response may be restored with: this exchange's placeholders (or the scope's, if asked). */
  readonly index: ScopeIndex;
  /** Look-up keys of the placeholders this request substituted (to bind to a stateful conversation). */
  readonly sent: readonly string[];
}
