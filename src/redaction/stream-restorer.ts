/**
 * Restores placeholders in a stream of text fragments for one channel (a choice's content, one tool call's
 * arguments, one content block). It holds back only the tail that could still become a known placeholder —
 * bounded by the longest one — so the first token is not delayed and a placeholder split across chunks is
 * still restored.
 */
import { restoreText, type RestoreOptions } from "./restore.js";
import { isCloseBracket, isOpenBracket, type ScopeIndex } from "./scope-index.js";

const SEPARATOR = /[ _-]/;
const DIGIT = /[0-9]/;
const WORD = /[A-Za-z0-9_]/;
/** A JSON escape whose letter ends a word (`\n`, `\t`…), for text inside JSON strings. */
const JSON_ESCAPE = /^\\[nrtbf]$/;

/**
 * Whether `s` (starting at a candidate start) is a proper prefix of a placeholder match that the next
 * characters could complete. A complete match, or text that can no longer match, is not held.
 */
function couldStillMatch(s: string, names: readonly (readonly string[])[]): boolean {
  let i = 0;
  let opened = false;
  if (i < s.length && isOpenBracket(s[i] as string)) {
    opened = true;
    i++;
    while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  }
  if (i >= s.length) return opened;
  const rest = s.slice(i).toLowerCase();
  for (const tokens of names) {
    const verdict = matchAfterName(rest, tokens, opened);
    if (verdict) return true;
  }
  return false;
}

/** Walks name tokens, separators, digits and an optional close; true when `r` ends inside that shape. */
function matchAfterName(r: string, tokens: readonly string[], opened: boolean): boolean {
  let i = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] as string;
    for (let k = 0; k < token.length; k++, i++) {
      if (i >= r.length) return true;
      if (r[i] !== token[k]) return false;
    }
    // separators between tokens and before the number: 1–3 of [ _-]
    let seps = 0;
    while (i < r.length && SEPARATOR.test(r[i] as string) && seps < 3) {
      i++;
      seps++;
    }
    if (i >= r.length) return true;
    if (seps === 0) return false;
  }
  let digits = 0;
  while (i < r.length && DIGIT.test(r[i] as string) && digits < 9) {
    i++;
    digits++;
  }
  if (digits === 0) return false;
  // Ends in digits: more digits or a closing bracket may follow.
  if (i >= r.length) return true;
  if (!opened) return false;
  let blanks = 0;
  while (i < r.length && (r[i] === " " || r[i] === "\t") && blanks < 3) {
    i++;
    blanks++;
  }
  return i >= r.length;
}

/** Restores one channel of a stream. Not thread-safe; one per channel. */
export class StreamRestorer {
  readonly #index: ScopeIndex;
  readonly #options: RestoreOptions;
  #pending = "";
  /** The last character handed to restoration (context for word boundaries). */
  #before = "";
  /** Placeholders restored so far on this channel. */
  restored = 0;

  constructor(index: ScopeIndex, options: RestoreOptions = {}) {
    this.#index = index;
    this.#options = options;
  }

  /** Feeds a fragment; returns the text that is safe to emit now (possibly empty). */
  push(fragment: string): string {
    if (this.#index.pattern === null) return fragment;
    const buffer = this.#pending + fragment;
    const cut = this.#holdFrom(buffer);
    this.#pending = buffer.slice(cut);
    return this.#restore(buffer.slice(0, cut));
  }

  /** Emits everything still held (end of the channel). */
  flush(): string {
    const rest = this.#pending;
    this.#pending = "";
    return rest.length === 0 ? "" : this.#restore(rest);
  }

  /** Characters currently held back. */
  get pendingLength(): number {
    return this.#pending.length;
  }

  #restore(text: string): string {
    if (text.length === 0) return text;
    const result = restoreText(text, this.#index, this.#options, this.#before);
    this.#before = (this.#before + text).slice(-2);
    this.restored += result.restored;
    return result.text;
  }

  /** The earliest offset from which the buffer's tail could still become a placeholder. */
  #holdFrom(buffer: string): number {
    const from = Math.max(0, buffer.length - this.#index.maxPlaceholderLength);
    for (let p = from; p < buffer.length; p++) {
      const c = buffer[p] as string;
      const context = this.#before + buffer.slice(Math.max(0, p - 2), p);
      const prev = context.slice(-1);
      const afterEscape = this.#options.json === true && JSON_ESCAPE.test(context.slice(-2));
      const startsWord =
        WORD.test(c) && (prev === "" || !WORD.test(prev) || afterEscape) && !isOpenBracket(prev);
      if (!isOpenBracket(c) && !startsWord) continue;
      if (isCloseBracket(c)) continue;
      if (couldStillMatch(buffer.slice(p), this.#index.nameTokens)) return p;
    }
    return buffer.length;
  }
}
