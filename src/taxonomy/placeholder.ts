/**
 * Placeholder naming: any type string becomes a safe name, `<Name_N>` is the rendered form.
 * "Third-Party Identifiable Info" → `Third_Party_Identifiable_Info`; numbers count per scope and name.
 */

/** Name used by the `generic` mode. */
export const GENERIC_NAME = "Private";
/** Text used by the `complete` mode (irreversible, never stored). */
export const COMPLETE_MASK = "[REDACTED]";
/** Name used when a type string has no ASCII letters or digits at all (e.g. a Chinese free-form type). */
export const FALLBACK_NAME = "Private_Info";
/** Longest name kept; longer type strings are cut so placeholders stay short and bounded. */
export const MAX_NAME_LENGTH = 48;

/**
 * Turns a type string into a placeholder name: every run of characters outside [A-Za-z0-9] becomes `_`,
 * leading and trailing `_` are trimmed, and the result is capped at {@link MAX_NAME_LENGTH}.
 * The counter is always the last `_` group, so names ending in digits stay unambiguous.
 */
export function placeholderNameFor(type: string): string {
  const name = type
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, MAX_NAME_LENGTH)
    .replace(/_+$/g, "");
  if (name === "") return FALLBACK_NAME;
  // Keep the generic name reserved for the generic mode.
  if (name.toLowerCase() === GENERIC_NAME.toLowerCase()) return FALLBACK_NAME;
  return name;
}

/** Renders a placeholder: `<Name_N>`. */
export function formatPlaceholder(name: string, n: number): string {
  return `<${name}_${n}>`;
}

/** The key a placeholder is looked up by: lower-case `name_n`, tolerant of case differences. */
export function placeholderKey(name: string, n: number): string {
  return `${name.toLowerCase()}_${n}`;
}

/** Matches canonical placeholders `<Name_N>` anywhere in a text (the form the proxy emits). */
export const CANONICAL_PLACEHOLDER_RE = /<([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)_(\d{1,9})>/g;

/** Every canonical placeholder-looking token in a text, as `{name, n}` (used to reserve numbers). */
export function findPlaceholderTokens(text: string): { name: string; n: number }[] {
  const out: { name: string; n: number }[] = [];
  for (const m of text.matchAll(CANONICAL_PLACEHOLDER_RE)) {
    if (m[1] !== undefined && m[2] !== undefined) out.push({ name: m[1], n: Number(m[2]) });
  }
  return out;
}

const NUMBER_AFTER_SEPARATOR = /[ _-]{1,3}(\d{1,9})(?![0-9])/g;
/** How far before a number its words are looked for, and how many of them. */
const WORDS_WINDOW = 160;
const MAX_WORDS = 8;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isSeparator(c: number): boolean {
  return c === 32 || c === 95 || c === 45;
}

/**
 * Every look-up key (`name_n`, lower-case) that text already in a request could be read as, canonical or
 * mangled (`[phone number 1]` → `phone_number_1`, `number_1`). New placeholders never take these numbers,
 * so restoring a response can never turn the caller's own text into some value.
 *
 * The words before a number: up to eight ASCII words ending where its separator starts, each pair joined by one
 * to three of " ", "_", "-", within the 160 units before it (a word the window cuts counts from the cut). They
 * are read by walking back from the number, a few units per word: a regex anchored at the window's end is tried
 * at every start of the window, which on text packed with numbers ("12 34 12 34 …") cost seconds per MiB.
 */
export function reservedKeysIn(text: string): Set<string> {
  const keys = new Set<string>();
  if (!/[0-9]/.test(text)) return keys;
  const starts: number[] = [];
  const ends: number[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(NUMBER_AFTER_SEPARATOR)) {
    const floor = Math.max(0, m.index - WORDS_WINDOW);
    starts.length = 0;
    ends.length = 0;
    let e = m.index;
    while (starts.length < MAX_WORDS && e > floor && isAlnum(text.charCodeAt(e - 1))) {
      let s = e - 1;
      while (s > floor && isAlnum(text.charCodeAt(s - 1))) s--;
      starts.push(s);
      ends.push(e);
      // One to three separators before the word, then another word inside the window.
      let g = s;
      while (g > floor && s - g < 4 && isSeparator(text.charCodeAt(g - 1))) g--;
      if (g === s || s - g > 3) break;
      e = g;
    }
    const last = starts.length - 1;
    if (last < 0) continue;
    // Text packed with the same words and numbers gives the same keys again: each run of words and its number once.
    const whole = text.slice(starts[last], m.index + m[0].length);
    if (seen.has(whole)) continue;
    seen.add(whole);
    const n = Number(m[1]);
    let key = "";
    for (let k = 0; k < starts.length; k++) {
      const word = text.slice(starts[k], ends[k]).toLowerCase();
      key = k === 0 ? word : `${word}_${key}`;
      keys.add(`${key}_${n}`);
    }
  }
  return keys;
}
