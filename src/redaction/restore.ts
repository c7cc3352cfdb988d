/**
 * Restoration: placeholders of the index (an exchange's) go back to their values — the canonical
 * `<Type_N>`, and the ways a model mangles it (case, spaces or dashes for `_`) only inside brackets or
 * emphasis (`[type n]`, `**Type N**`, `` `Type_N` ``), never as a bare word. Unknown placeholders stay as
 * they are. In JSON text values go in JSON-escaped, `\u003c…\u003e` forms are recognised, and a value the
 * client sent as a JSON number comes back as that number.
 */
import { isWrapperPair, type ScopeIndex } from "./scope-index.js";

export interface RestoreOptions {
  /**
   * The text is JSON (or the inside of a JSON string): values are inserted JSON-escaped. `"auto"`: JSON when
   * the exchange asked for JSON output or the text opens like a JSON document ({@link startsLikeJson}).
   */
  readonly json?: boolean | "auto";
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

/**
 * True when `text` opens like a JSON document: `{`, or `[` followed by a JSON value (not Markdown's `[link]`).
 * Streams decide on their first characters, so whole texts decide the same way and both agree.
 */
export function startsLikeJson(text: string): boolean {
  const head = text.trimStart();
  return head[0] === "{" || (head[0] === "[" && /^\[\s*[[{"\d\]-]/.test(head));
}

/** Whether restoration of `text` under `options` is JSON-aware. */
export function isJsonMode(text: string, index: ScopeIndex, options: RestoreOptions): boolean {
  if (options.json === "auto") return index.jsonOutput || startsLikeJson(text);
  return options.json === true;
}

/**
 * Some character that every wrapper of a placeholder opens with (`\` for `\u003c` in JSON). A text without one
 * holds no placeholder to restore: most texts are answered by this one native scan, not by the patterns.
 */
const OPENER = /[<[{*_`]/;
const JSON_OPENER = /[<[{*_`\\]/;

/** Per index: the first name tokens of its placeholders, one case-folding pattern (as `index.pattern` folds). */
const FIRST_TOKENS = new WeakMap<ScopeIndex, RegExp | null>();

function firstTokens(index: ScopeIndex): RegExp | null {
  let pattern = FIRST_TOKENS.get(index);
  if (pattern === undefined) {
    const tokens = [...new Set(index.nameTokens.map((t) => t[0] ?? ""))];
    // Letters and digits cannot hide behind a short JSON escape; anything else could (`\/`): then always test.
    pattern = tokens.every((t) => /^[\p{L}\p{N}]+$/u.test(t)) ? new RegExp(tokens.join("|"), "iu") : null;
    FIRST_TOKENS.set(index, pattern);
  }
  return pattern;
}

/**
 * False when no form of any placeholder of `index` can occur in `text`, even written inside JSON: every form
 * holds its name's first token (case folded as the restoring pattern folds it), unless a `\u` escape hides a
 * character. A response body for which this is false restores to itself, so it need not be parsed.
 */
export function mayHoldPlaceholder(text: string, index: ScopeIndex): boolean {
  if (index.isEmpty) return false;
  if (text.includes("\\u")) return true;
  return firstTokens(index)?.test(text) ?? true;
}

/** Restores every placeholder of `index` in `text`. */
export function restoreText(text: string, index: ScopeIndex, options: RestoreOptions = {}): RestoreResult {
  if (index.isEmpty || text.length === 0) return { text, restored: 0 };
  const json = isJsonMode(text, index, options);
  if (!(json ? JSON_OPENER : OPENER).test(text)) return { text, restored: 0 };
  const pattern = (json ? index.jsonPattern : index.pattern) as RegExp;
  const parts: string[] = [];
  let restored = 0;
  let at = 0;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const [whole, open, name, n, close] = m as unknown as [string, string, string, string, string];
    if (!isWrapperPair(open, close)) {
      // Not a pair: look again just after the opener (a closer further on may pair with a later opener).
      pattern.lastIndex = m.index + 1;
      continue;
    }
    const entry = index.lookup(name, n);
    if (entry === undefined) continue;
    restored++;
    let start = m.index;
    let end = m.index + whole.length;
    let value = entry.value;
    if (json) {
      const key = entry.key.toLowerCase();
      // `"<Phone_Number_1>"` whose value the client sent as a number: the number, without quotes.
      if (index.numeric.has(key) && text[start - 1] === '"' && text[end] === '"' && start - 1 >= at) {
        start--;
        end++;
      } else value = escapeJsonString(value);
    }
    parts.push(text.slice(at, start), value);
    at = end;
  }
  if (restored === 0) return { text, restored };
  parts.push(text.slice(at));
  return { text: parts.join(""), restored };
}
