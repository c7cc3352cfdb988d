/**
 * Privacy levels of the MemPrivacy taxonomy and their ordering.
 * PL4 is the most sensitive; PL1 (preferences) is never extracted or masked.
 */

export const PRIVACY_LEVELS = ["PL1", "PL2", "PL3", "PL4"] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

/** The levels that can be masked (PL1 never is). */
export const MASKABLE_LEVELS = ["PL2", "PL3", "PL4"] as const satisfies readonly PrivacyLevel[];

/** Default policy: mask PL2, PL3 and PL4. */
export const DEFAULT_LEVELS: readonly PrivacyLevel[] = ["PL2", "PL3", "PL4"];

/** Returns true when `value` is one of PL1–PL4. */
export function isPrivacyLevel(value: unknown): value is PrivacyLevel {
  return typeof value === "string" && (PRIVACY_LEVELS as readonly string[]).includes(value);
}

/** Numeric rank of a level: PL1 → 1 … PL4 → 4. */
export function levelRank(level: PrivacyLevel): number {
  return PRIVACY_LEVELS.indexOf(level) + 1;
}

/** The more sensitive of two levels ("when in doubt the higher level wins"). */
export function maxLevel(a: PrivacyLevel, b: PrivacyLevel): PrivacyLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}

/**
 * Parses a level selection: `PL4`, `PL3+`, `PL2-PL4`, `PL2,PL4`, `all` (PL2–PL4), `none`.
 * Returns the selected levels sorted ascending, or undefined when the text is not a valid selection.
 */
export function parseLevelSelection(spec: string): PrivacyLevel[] | undefined {
  const text = spec.trim().toUpperCase();
  if (text === "ALL") return [...MASKABLE_LEVELS];
  if (text === "NONE" || text === "") return [];
  const out = new Set<PrivacyLevel>();
  for (const raw of text.split(",")) {
    const part = raw.trim();
    const plus = /^PL([1-4])\+$/.exec(part);
    const range = /^PL([1-4])\s*-\s*PL([1-4])$/.exec(part);
    const single = /^PL([1-4])$/.exec(part);
    if (plus?.[1] !== undefined) {
      for (let i = Number(plus[1]); i <= 4; i++) out.add(`PL${i}` as PrivacyLevel);
    } else if (range?.[1] !== undefined && range[2] !== undefined) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      if (lo > hi) return undefined;
      for (let i = lo; i <= hi; i++) out.add(`PL${i}` as PrivacyLevel);
    } else if (single?.[1] !== undefined) {
      out.add(`PL${single[1]}` as PrivacyLevel);
    } else {
      return undefined;
    }
  }
  out.delete("PL1");
  return PRIVACY_LEVELS.filter((l) => out.has(l));
}
