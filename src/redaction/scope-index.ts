/**
 * Placeholders indexed for restoration — key → entry and a matcher for the forms a model writes them in —
 * and, for a whole scope, a matcher over its values. A response is restored with the index of its
 * exchange: only the placeholders the request as forwarded carried (see docs/architecture.md).
 */
import { GENERIC_NAME } from "../taxonomy/placeholder.js";
import type { VaultEntry } from "../vault/vault.js";
import { MultiPatternMatcher } from "./aho-corasick.js";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The brackets and emphasis a placeholder may wear, each opener with its closer. A mangled placeholder
 * (case, spaces or dashes for `_`) is restored only inside one of these pairs, never as a bare word:
 * `password_1 = input()` in generated code stays code.
 */
export const PLACEHOLDER_WRAPPERS: readonly (readonly [string, string])[] = [
  ["<", ">"],
  ["[", "]"],
  ["{", "}"],
  ["**", "**"],
  ["__", "__"],
  ["*", "*"],
  ["`", "`"],
];
/** Inside JSON text, `<` and `>` may also be written as `\u003c` / `\u003e` (Go encoders do). */
export const JSON_WRAPPERS: readonly (readonly [string, string])[] = [
  ...PLACEHOLDER_WRAPPERS,
  ["\\u003c", "\\u003e"],
];

function alternation(wrappers: readonly (readonly [string, string])[], side: 0 | 1): string {
  return [...new Set(wrappers.map((w) => w[side]))]
    .sort((a, b) => b.length - a.length)
    .map((t) => escapeRegExp(t).replace(/u003c|u003e/g, (m) => `u003[${m.endsWith("c") ? "cC" : "eE"}]`))
    .join("|");
}

const ALTERNATIONS = new Map<readonly (readonly [string, string])[], readonly [string, string]>([
  [PLACEHOLDER_WRAPPERS, [alternation(PLACEHOLDER_WRAPPERS, 0), alternation(PLACEHOLDER_WRAPPERS, 1)]],
  [JSON_WRAPPERS, [alternation(JSON_WRAPPERS, 0), alternation(JSON_WRAPPERS, 1)]],
]);

/** True when `open` and `close` (as matched, any case) form one of the wrapper pairs. */
export function isWrapperPair(open: string, close: string): boolean {
  const o = open.toLowerCase();
  const c = close.toLowerCase();
  return JSON_WRAPPERS.some(([a, b]) => a === o && b === c);
}

export interface ScopeIndexOptions {
  readonly numeric?: ReadonlySet<string>;
  readonly jsonOutput?: boolean;
}

/**
 * Placeholders that may be restored (an exchange's, or a whole scope's) and their values. Immutable.
 */
export class ScopeIndex {
  /** Lower-case `name_n` → entry. */
  readonly byKey: ReadonlyMap<string, VaultEntry>;
  /** Lower-case names, tokens split on `_`, for the stream restorer's prefix test. */
  readonly nameTokens: readonly (readonly string[])[];
  /** Longest text that can still be a placeholder (bounded hold-back for streams). */
  readonly maxPlaceholderLength: number;
  readonly entries: readonly VaultEntry[];
  /** The name alternation of the patterns (built with them, on first use). */
  #alternatives: string | undefined;
  #pattern: RegExp | null | undefined;
  #jsonPattern: RegExp | null | undefined;
  #values: MultiPatternMatcher | undefined;
  #byValue: Map<string, VaultEntry> | undefined;
  #byValueGeneric: Map<string, VaultEntry> | undefined;

  /** Look-up keys whose value the client sent as a JSON number (restored as a number in JSON). */
  readonly numeric: ReadonlySet<string>;
  /** The client asked for JSON output (a JSON response format): text fields are restored JSON-escaped. */
  readonly jsonOutput: boolean;

  constructor(entries: readonly VaultEntry[], options: ScopeIndexOptions = {}) {
    this.entries = entries;
    this.numeric = options.numeric ?? new Set();
    this.jsonOutput = options.jsonOutput === true;
    const byKey = new Map<string, VaultEntry>();
    const names = new Map<string, string[]>();
    for (const e of entries) {
      byKey.set(e.key.toLowerCase(), e);
      const lower = e.name.toLowerCase();
      if (!names.has(lower))
        names.set(
          lower,
          lower.split("_").filter((t) => t.length > 0),
        );
    }
    this.byKey = byKey;
    this.nameTokens = [...names.values()];
    let longest = 0;
    for (const tokens of this.nameTokens)
      longest = Math.max(longest, tokens.join("_").length + tokens.length * 2);
    // wrappers (up to 6 characters each side), inner blanks, separators and up to 9 digits
    this.maxPlaceholderLength = longest + 36;
  }

  #build(wrappers: readonly (readonly [string, string])[]): RegExp | null {
    if (this.nameTokens.length === 0) return null;
    this.#alternatives ??= this.nameTokens
      .map((tokens) => tokens.map(escapeRegExp).join("[ _\\-]{1,3}"))
      .sort((a, b) => b.length - a.length)
      .join("|");
    const [open, close] = ALTERNATIONS.get(wrappers) ?? [alternation(wrappers, 0), alternation(wrappers, 1)];
    // opener, optional blanks, name, separator, number, optional blanks, closer (paired in restore.ts).
    return new RegExp(
      `(${open})[ \\t]{0,3}(${this.#alternatives})[ _\\-]{1,3}(\\d{1,9})[ \\t]{0,3}(${close})`,
      "giu",
    );
  }

  /** True when the index holds no placeholder: nothing restores with it (answered without building `pattern`). */
  get isEmpty(): boolean {
    return this.nameTokens.length === 0;
  }

  /**
   * Finds wrapped placeholders (canonical and mangled); null when there are none. Groups: open, name, n,
   * close. Built on first use: a request whose response is never restored does not pay for it.
   */
  get pattern(): RegExp | null {
    if (this.#pattern === undefined) this.#pattern = this.#build(PLACEHOLDER_WRAPPERS);
    return this.#pattern;
  }

  /** The same for text inside JSON, where `<` and `>` may also be `\u003c` / `\u003e`. */
  get jsonPattern(): RegExp | null {
    if (this.#jsonPattern === undefined) this.#jsonPattern = this.#build(JSON_WRAPPERS);
    return this.#jsonPattern;
  }

  /** A matcher over every known value (built lazily: restoration does not need it). */
  get valueMatcher(): MultiPatternMatcher {
    this.#values ??= new MultiPatternMatcher(this.entries.map((e) => e.value));
    return this.#values;
  }

  /** The scope's entry for a value in the typed or the generic partition. */
  entryForValue(value: string, generic: boolean): VaultEntry | undefined {
    if (this.#byValue === undefined || this.#byValueGeneric === undefined) {
      this.#byValue = new Map();
      this.#byValueGeneric = new Map();
      for (const e of this.entries)
        (e.name === GENERIC_NAME ? this.#byValueGeneric : this.#byValue).set(e.value, e);
    }
    return (generic ? this.#byValueGeneric : this.#byValue).get(value);
  }

  /** The entry for a placeholder match, tolerant of case, spaces and dashes. */
  lookup(name: string, n: string): VaultEntry | undefined {
    const key = `${name.toLowerCase().replace(/[ _-]+/g, "_")}_${Number(n)}`;
    return this.byKey.get(key);
  }
}
