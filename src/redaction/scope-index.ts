/**
 * A scope's known placeholders, indexed for restoration and for masking known values:
 * placeholder key → entry, a matcher for the mangled forms a model produces, and a value matcher.
 * Built from vault entries and cached by the pipeline until the scope's vault version changes.
 */
import { GENERIC_NAME } from "../taxonomy/placeholder.js";
import type { VaultEntry } from "../vault/vault.js";
import { MultiPatternMatcher } from "./aho-corasick.js";

const OPEN = "<[{(";
const CLOSE = ">]})";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Known placeholders and values of one scope. Immutable. */
export class ScopeIndex {
  /** Lower-case `name_n` → entry. */
  readonly byKey: ReadonlyMap<string, VaultEntry>;
  /** Lower-case names, tokens split on `_`, for the stream restorer's prefix test. */
  readonly nameTokens: readonly (readonly string[])[];
  /** Longest text that can still be a placeholder (bounded hold-back for streams). */
  readonly maxPlaceholderLength: number;
  /** Finds candidate placeholders (canonical and mangled); null when the scope has none. */
  readonly pattern: RegExp | null;
  /**
   * The same for text inside a JSON string, where an escape such as `\n` also ends a word: the letter of the
   * escape must not hide a placeholder that follows it.
   */
  readonly jsonPattern: RegExp | null;
  readonly entries: readonly VaultEntry[];
  #values: MultiPatternMatcher | undefined;
  #byValue: Map<string, VaultEntry> | undefined;
  #byValueGeneric: Map<string, VaultEntry> | undefined;

  constructor(entries: readonly VaultEntry[]) {
    this.entries = entries;
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
    // brackets, inner spaces, separators and up to 9 digits
    this.maxPlaceholderLength = longest + 24;
    if (this.nameTokens.length === 0) {
      this.pattern = null;
      this.jsonPattern = null;
    } else {
      const alternatives = this.nameTokens
        .map((tokens) => tokens.map(escapeRegExp).join("[ _\\-]{1,3}"))
        .sort((a, b) => b.length - a.length)
        .join("|");
      // open bracket (then optional blanks) or a word boundary; name; separator; number; optional close.
      const body = `(${alternatives})[ _\\-]{1,3}(\\d{1,9})(?:[ \\t]{0,3}([>\\]})])|(?![A-Za-z0-9_]))`;
      this.pattern = new RegExp(`(?:([<\\[{(])[ \\t]{0,3}|(?<![A-Za-z0-9_]))${body}`, "giu");
      this.jsonPattern = new RegExp(
        `(?:([<\\[{(])[ \\t]{0,3}|(?<![A-Za-z0-9_])|(?<=\\\\[nrtbf]))${body}`,
        "giu",
      );
    }
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

/** True when `c` opens a placeholder bracket. */
export function isOpenBracket(c: string): boolean {
  return c.length === 1 && OPEN.includes(c);
}

/** True when `c` closes a placeholder bracket. */
export function isCloseBracket(c: string): boolean {
  return c.length === 1 && CLOSE.includes(c);
}
