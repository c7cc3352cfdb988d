/**
 * The MemPrivacy output contract: the JSON schema the decoder is constrained to, parsing of the model's
 * answer (strict: anything else is a failure) and its conversion to spans located by searching the message.
 */
import { isPrivacyLevel } from "../../taxonomy/levels.js";
import type { PrivacyLevel } from "../../taxonomy/levels.js";
import { makeSpan } from "../span.js";
import type { Span } from "../span.js";

/** JSON schema of the answer: an array of {original_text, privacy_type, privacy_level ∈ PL2..PL4}. */
export const OUTPUT_SCHEMA = {
  type: "array",
  items: {
    type: "object",
    properties: {
      original_text: { type: "string" },
      privacy_type: { type: "string" },
      privacy_level: { enum: ["PL2", "PL3", "PL4"] },
    },
    required: ["original_text", "privacy_type", "privacy_level"],
    additionalProperties: false,
  },
} as const;

/** One finding as the model states it. */
export interface ModelFinding {
  readonly originalText: string;
  readonly privacyType: string;
  readonly privacyLevel: Exclude<PrivacyLevel, "PL1">;
}

/** Thrown when the answer is not a schema-valid array; carries no model output. */
export class ModelOutputError extends Error {
  constructor(reason: string) {
    super(`model output rejected: ${reason}`);
    this.name = "ModelOutputError";
  }
}

/** Parses the model's answer; throws {@link ModelOutputError} unless it is a schema-valid JSON array. */
export function parseModelOutput(text: string): ModelFinding[] {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new ModelOutputError("not JSON");
  }
  if (!Array.isArray(value)) throw new ModelOutputError("not an array");
  return value.map((item: unknown, i): ModelFinding => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new ModelOutputError(`element ${i} is not an object`);
    }
    const o = item as Record<string, unknown>;
    const { original_text: originalText, privacy_type: privacyType, privacy_level: level } = o;
    if (typeof originalText !== "string" || typeof privacyType !== "string") {
      throw new ModelOutputError(`element ${i} lacks a string field`);
    }
    if (!isPrivacyLevel(level) || level === "PL1") throw new ModelOutputError(`element ${i} has a bad level`);
    return { originalText, privacyType, privacyLevel: level };
  });
}

/**
 * Locates findings in the message: one span per non-overlapping occurrence of each `original_text`
 * (searched as given, then trimmed). Findings whose text does not occur (hallucinations) or whose text or
 * type is blank are dropped. Duplicates collapse; the result is sorted by position.
 */
export function findingsToSpans(message: string, findings: readonly ModelFinding[], source: string): Span[] {
  const seen = new Set<string>();
  const spans: Span[] = [];
  for (const f of findings) {
    const type = f.privacyType.trim();
    if (type === "") continue;
    let needle = f.originalText;
    if (needle.trim() === "") continue;
    if (!message.includes(needle)) needle = needle.trim();
    if (!message.includes(needle)) continue;
    for (let at = message.indexOf(needle); at !== -1; at = message.indexOf(needle, at + needle.length)) {
      const key = `${at}:${at + needle.length}:${type}:${f.privacyLevel}`;
      if (seen.has(key)) continue;
      seen.add(key);
      spans.push(makeSpan(message, at, at + needle.length, type, f.privacyLevel, source));
    }
  }
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}
