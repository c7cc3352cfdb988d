/**
 * Restores placeholders in a stream of text fragments for one channel (a choice's content, one tool call's
 * arguments, one content block). It holds back only the tail that could still become a placeholder of the
 * index — it must start with a bracket or emphasis, so ordinary words are never held — bounded by the
 * longest one, so the first token is not delayed and a placeholder split across chunks is still restored.
 * The streamed result equals restoring the whole text at once.
 */
import { isJsonMode, restoreText, startsLikeJson, type RestoreOptions } from "./restore.js";
import { JSON_WRAPPERS, PLACEHOLDER_WRAPPERS, type ScopeIndex } from "./scope-index.js";

const SEPARATOR = /[ _-]/;
const DIGIT = /[0-9]/;

/** First characters of every opener (and of the quote before a numeric placeholder in JSON). */
function isCandidateCode(c: number, json: boolean): boolean {
  // < [ { * _ `
  if (c === 0x3c || c === 0x5b || c === 0x7b || c === 0x2a || c === 0x5f || c === 0x60) return true;
  // \ (\u003c) and " (a quoted numeric placeholder) only matter in JSON
  return json && (c === 0x5c || c === 0x22);
}

/** True when some character of `text` could open a placeholder ({@link isCandidateCode}). */
function hasCandidate(text: string, json: boolean): boolean {
  for (let i = 0; i < text.length; i++) if (isCandidateCode(text.charCodeAt(i), json)) return true;
  return false;
}

/** A prefix that more text could complete; a complete match and where it ends; or no match. */
type Verdict = "partial" | { readonly end: number } | "no";

/** Walks blanks, name tokens, separators, digits, blanks and a closer over `r` (lower-case). */
function matchBody(r: string, tokens: readonly string[], closers: readonly string[]): Verdict {
  let i = 0;
  let blanks = 0;
  while (i < r.length && (r[i] === " " || r[i] === "\t") && blanks < 3) {
    i++;
    blanks++;
  }
  if (i >= r.length) return "partial";
  for (const token of tokens) {
    for (let k = 0; k < token.length; k++, i++) {
      if (i >= r.length) return "partial";
      if (r[i] !== token[k]) return "no";
    }
    let seps = 0;
    while (i < r.length && SEPARATOR.test(r[i] as string) && seps < 3) {
      i++;
      seps++;
    }
    if (i >= r.length) return "partial";
    if (seps === 0) return "no";
  }
  let digits = 0;
  while (i < r.length && DIGIT.test(r[i] as string) && digits < 9) {
    i++;
    digits++;
  }
  if (digits === 0) return "no";
  if (i >= r.length) return "partial";
  blanks = 0;
  while (i < r.length && (r[i] === " " || r[i] === "\t") && blanks < 3) {
    i++;
    blanks++;
  }
  if (i >= r.length) return "partial";
  const rest = r.slice(i);
  for (const c of closers) {
    if (rest.startsWith(c)) return { end: i + c.length };
    if (c.startsWith(rest)) return "partial";
  }
  return "no";
}

/** Restores one channel of a stream. Not thread-safe; one per channel. */
export class StreamRestorer {
  readonly #index: ScopeIndex;
  readonly #options: RestoreOptions;
  /** JSON mode, fixed once known (`"auto"` decides on the first non-blank characters). */
  #json: boolean | undefined;
  #pending = "";
  /** Placeholders restored so far on this channel. */
  restored = 0;

  constructor(index: ScopeIndex, options: RestoreOptions = {}) {
    this.#index = index;
    this.#options = options;
    if (options.json !== "auto") this.#json = options.json === true;
    else if (index.jsonOutput) this.#json = true;
  }

  /** Feeds a fragment; returns the text that is safe to emit now (possibly empty). */
  push(fragment: string): string {
    if (this.#index.isEmpty) return fragment;
    // Nothing held and no opener in the fragment: nothing to hold back and nothing to restore.
    if (this.#pending.length === 0 && this.#json !== undefined && !hasCandidate(fragment, this.#json))
      return fragment;
    const buffer = this.#pending + fragment;
    if (this.#json === undefined) {
      // Auto: a channel that opens like a JSON document is JSON text (decided as the whole text would be).
      const head = buffer.trimStart();
      if (head === "" || /^\[\s*$/.test(head)) {
        this.#pending = buffer;
        return "";
      }
      this.#json = startsLikeJson(head);
    }
    const cut = this.#holdFrom(buffer);
    this.#pending = buffer.slice(cut);
    return this.#restore(buffer.slice(0, cut));
  }

  /** Emits everything still held (end of the channel). */
  flush(): string {
    const rest = this.#pending;
    this.#pending = "";
    this.#json ??= isJsonMode(rest, this.#index, this.#options);
    return rest.length === 0 ? "" : this.#restore(rest);
  }

  /** Characters currently held back. */
  get pendingLength(): number {
    return this.#pending.length;
  }

  #restore(text: string): string {
    if (text.length === 0) return text;
    const result = restoreText(text, this.#index, { json: this.#json === true });
    this.restored += result.restored;
    return result.text;
  }

  /** The earliest offset from which the buffer's tail could still become a placeholder. */
  #holdFrom(buffer: string): number {
    const from = Math.max(0, buffer.length - this.#index.maxPlaceholderLength);
    const json = this.#json === true;
    // A candidate inside a complete placeholder that starts earlier is part of it, not a new start.
    let covered = from;
    for (let p = from; p < buffer.length; p++) {
      if (!isCandidateCode(buffer.charCodeAt(p), json)) continue;
      const verdict = this.#couldStillMatch(buffer.slice(p), json);
      if (verdict === "partial") {
        if (p >= covered) return p;
      } else if (verdict !== "no") covered = Math.max(covered, p + verdict.end);
    }
    return buffer.length;
  }

  /**
   * Whether `s` is a proper prefix of something restoration would still change ("partial"), starts with a
   * complete placeholder (and how long it is), or neither.
   */
  #couldStillMatch(s: string, json: boolean): Verdict {
    let text = s;
    let quoted = 0;
    if (json && text[0] === '"') {
      if (this.#index.numeric.size === 0) return "no";
      quoted = 1;
      text = text.slice(1);
      if (text.length === 0) return "partial";
    }
    const lower = text.toLowerCase();
    const wrappers = json ? JSON_WRAPPERS : PLACEHOLDER_WRAPPERS;
    let complete: number | undefined;
    for (const [open, close] of wrappers) {
      if (open.startsWith(lower) && lower.length < open.length) return "partial";
      if (!lower.startsWith(open)) continue;
      const rest = lower.slice(open.length);
      for (const tokens of this.#index.nameTokens) {
        const verdict = matchBody(rest, tokens, [close]);
        if (verdict === "partial") return "partial";
        if (verdict === "no") continue;
        let end = quoted + open.length + verdict.end;
        // A complete quoted placeholder waits for the character after it (a closing quote makes it a
        // number, and belongs to it).
        if (quoted === 1 && end === s.length) return "partial";
        if (quoted === 1 && s[end] === '"') end++;
        complete = Math.max(complete ?? 0, end);
      }
    }
    return complete === undefined ? "no" : { end: complete };
  }
}
