/**
 * Restoration (DESIGN §5): known placeholders of the scope go back to their values, including the ways a
 * model mangles them (case, spaces for `_`, other or missing brackets). Unknown placeholders stay as they are.
 */
import type { ScopeIndex } from "./scope-index.js";

export interface RestoreOptions {
  /** The text is the inside of a JSON string: values are inserted JSON-escaped. */
  readonly json?: boolean;
}

export interface RestoreResult {
  readonly text: string;
  /** How many placeholders were restored. */
  readonly restored: number;
}

/** JSON-escapes a value for insertion inside a JSON string literal (without the quotes). */
export function escapeJsonString(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** Restores every known placeholder in `text`. */
export function restoreText(text: string, index: ScopeIndex, options: RestoreOptions = {}): RestoreResult {
  const pattern = index.pattern;
  if (pattern === null || text.length === 0) return { text, restored: 0 };
  let restored = 0;
  pattern.lastIndex = 0;
  const out = text.replace(
    pattern,
    (whole: string, open: string | undefined, name: string, n: string, close: string | undefined) => {
      const entry = index.lookup(name, n);
      if (entry === undefined) return whole;
      restored++;
      const value = options.json === true ? escapeJsonString(entry.value) : entry.value;
      // A closing bracket belongs to the placeholder only when an opening one did.
      return open === undefined && close !== undefined
        ? `${value}${whole.slice(whole.search(/[ \t]*[>\]})]$/))}`
        : value;
    },
  );
  return { text: out, restored };
}
