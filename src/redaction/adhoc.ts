/**
 * Ad-hoc redaction of one text, as `POST /v1/redact` and `memprivacy redact` answer it: the redacted text and
 * its spans (placeholder, type, level, offsets into the original), with the original values only when the
 * caller asks for them. The server and the command line share it, so both describe a redaction one way.
 */
import type { PrivacyLevel } from "../taxonomy/levels.js";
import type { Redactor } from "./pipeline.js";
import type { RedactionOutcome, RedactRequest } from "./request.js";

/** One replaced span of an ad-hoc redaction. */
export interface AdhocSpan {
  readonly placeholder: string;
  readonly type: string;
  readonly level: PrivacyLevel;
  readonly start: number;
  readonly end: number;
  /** The original value: present only with `includeOriginals`. */
  readonly original?: string;
}

/** What to redact, in which scope, under which policy. */
export interface AdhocRequest extends Pick<RedactRequest, "scope" | "policy" | "userName" | "signal"> {
  readonly text: string;
  /** Put each span's original value into the answer (the caller's own choice to see it). */
  readonly includeOriginals: boolean;
}

/** The answer of an ad-hoc redaction, and the pipeline's outcome behind it (for counts and logs). */
export interface AdhocRedaction {
  readonly text: string;
  readonly spans: readonly AdhocSpan[];
  readonly outcome: RedactionOutcome;
}

/**
 * Redacts `text` as a user turn. Values the scope already knows are not masked unless detected again:
 * the answer describes what detection found in this text.
 */
export async function redactOneText(redactor: Redactor, request: AdhocRequest): Promise<AdhocRedaction> {
  const outcome = await redactor.redact({
    items: [{ text: request.text, role: "user" }],
    scope: request.scope,
    policy: request.policy,
    userName: request.userName,
    signal: request.signal,
    maskKnown: false,
  });
  const spans = (outcome.spans[0] ?? []).map((s) => ({
    placeholder: s.replacement,
    type: s.type,
    level: s.level,
    start: s.start,
    end: s.end,
    ...(request.includeOriginals ? { original: s.text } : {}),
  }));
  return { text: outcome.texts[0] ?? "", spans, outcome };
}
