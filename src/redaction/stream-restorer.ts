/**
 * Restores placeholders in a stream of text fragments for one channel (a choice's content, one tool call's
 * arguments, one content block). It holds back only the tail that could still become a known placeholder —
 * bounded by the longest one — so the first token is not delayed and a placeholder split across chunks is
 * still restored.
 */
import { restoreText, type RestoreOptions } from "./restore.js";
import { isOpenBracket, type ScopeIndex } from "./scope-index.js";

const SEPARATOR = /[ _-]/;
const DIGIT = /[0-9]/;
/** Letters of JSON escapes that end a word (`\n`, `\t`…), as char codes: n r t b f. */
const JSON_ESCAPE_LETTERS = [0x6e, 0x72, 0x74, 0x62, 0x66];

/** [A-Za-z0-9_] by char code. */
function isWordCode(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

/** One of < [ { ( by char code. */
function isOpenCode(c: number): boolean {
  return c === 0x3c || c === 0x5b || c === 0x7b || c === 0x28;
}

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
    const json = this.#options.json === true;
    for (let p = from; p < buffer.length; p++) {
      const c = buffer.charCodeAt(p);
      let candidate = isOpenCode(c);
      if (!candidate && isWordCode(c)) {
        // A word starts here: the previous character is not a word character (or is the letter of a JSON
        // escape such as \n), and not an open bracket (that position was the candidate).
        const prev = p > 0 ? buffer.charCodeAt(p - 1) : this.#before.charCodeAt(this.#before.length - 1);
        const prev2 =
          p > 1 ? buffer.charCodeAt(p - 2) : this.#before.charCodeAt(this.#before.length - (2 - p));
        const afterEscape = json && prev2 === 0x5c && JSON_ESCAPE_LETTERS.includes(prev);
        candidate = Number.isNaN(prev) || ((!isWordCode(prev) || afterEscape) && !isOpenCode(prev));
      }
      if (candidate && couldStillMatch(buffer.slice(p), this.#index.nameTokens)) return p;
    }
    return buffer.length;
  }
}
