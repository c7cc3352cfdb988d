/**
 * Redaction policy: which levels are masked, allow and deny lists, and the mode (docs/architecture.md, "Redaction").
 */
import type { RedactionMode } from "../config/schema.js";
import type { PrivacyLevel } from "../taxonomy/levels.js";

export interface Policy {
  /** Levels to mask; PL1 is never masked even if listed. */
  readonly levels: readonly PrivacyLevel[];
  readonly mode: RedactionMode;
  /** Values never masked (exact). */
  readonly allow: readonly string[];
  /** Values always masked (exact), as {@link DENY_TYPE} at PL4 unless detected higher. */
  readonly deny: readonly string[];
}

/** Type given to deny-list values that no detector classified. */
export const DENY_TYPE = "Custom";

/** True when the policy masks spans of this level. */
export function masksLevel(policy: Policy, level: PrivacyLevel): boolean {
  return level !== "PL1" && policy.levels.includes(level);
}
