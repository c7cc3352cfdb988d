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

/** Restores every known placeholder in `text`. `before` is context only (the text that preceded it). */
export function restoreText(
  text: string,
  index: ScopeIndex,
  options: RestoreOptions = {},
  before = "",
): RestoreResult {
  const pattern = options.json === true ? index.jsonPattern : index.pattern;
  if (pattern === null || text.length === 0) return { text, restored: 0 };
  // The context lets the word-boundary look-behind see what was already emitted (two chars: a JSON escape).
  const context = before.slice(-2);
  const full = context + text;
  const parts: string[] = [];
  let restored = 0;
  let at = context.length;
  pattern.lastIndex = context.length;
  for (let m = pattern.exec(full); m !== null; m = pattern.exec(full)) {
    const [whole, open, name, n, close] = m as unknown as [
      string,
      string | undefined,
      string,
      string,
      string | undefined,
    ];
    const entry = index.lookup(name, n);
    if (entry === undefined) continue;
    restored++;
    const value = options.json === true ? escapeJsonString(entry.value) : entry.value;
    parts.push(full.slice(at, m.index), value);
    // A closing bracket belongs to the placeholder only when an opening one did.
    if (open === undefined && close !== undefined) parts.push(whole.slice(whole.search(/[ \t]*[>\]})]$/)));
    at = m.index + whole.length;
  }
  if (restored === 0) return { text, restored };
  parts.push(full.slice(at));
  return { text: parts.join(""), restored };
}
