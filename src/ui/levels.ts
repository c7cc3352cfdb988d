/** Privacy levels as the page shows them: PL2 identifying, PL3 sensitive, PL4 secrets. */

export const LEVELS = ["PL2", "PL3", "PL4"] as const;
export type Level = (typeof LEVELS)[number];

/** The level as one of PL2–PL4; anything unexpected is shown as the most sensitive. */
export function asLevel(value: string): Level {
  return (LEVELS as readonly string[]).includes(value) ? (value as Level) : "PL4";
}

/** The more sensitive of two levels. */
export function higher(a: Level, b: Level): Level {
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
}

/** CSS class of a level (`pl2` …). */
export function levelClass(level: Level): string {
  return level.toLowerCase();
}
