/**
 * A scope's known values (both vault partitions: typed and generic), kept up to date incrementally so that a
 * request's cost does not grow with how many values the scope holds: entries by placeholder key, by value per
 * partition, and a matcher that finds every known value in a text.
 *
 * The matcher is a logarithmic method over Aho–Corasick automata (a binary counter). Invariant: the value ids
 * 0..n-1 are cut into consecutive blocks whose sizes are powers of two, strictly decreasing from the first block
 * to the last, and each block has one immutable matcher over its ids. Appending a value adds a block of one and
 * merges the last two blocks while they are the same size (one rebuild over the merged range), exactly like
 * carrying in a binary counter. So each value is rebuilt O(log n) times over its life, a text is searched by at
 * most log2(n) + 1 matchers, and nothing but an append touches a matcher: a retention renewal never reaches this
 * class, and a raised level replaces the entry behind its id in place.
 */
import type { VaultEntry } from "../vault/vault.js";
import { MultiPatternMatcher } from "./aho-corasick.js";

/** One occurrence of a known value in a text (UTF-16 offsets). */
export interface KnownMatch {
  readonly entry: VaultEntry;
  readonly start: number;
  readonly end: number;
}

interface Block {
  readonly from: number;
  readonly size: number;
  readonly matcher: MultiPatternMatcher;
}

/** The known values of one scope. Mutable; owned by one redactor. */
export class KnownValues {
  /** Value id → current entry; undefined once superseded by another key for the same value. */
  readonly #entries: (VaultEntry | undefined)[] = [];
  readonly #values: string[] = [];
  /** Partition + lower-case key → value id. */
  readonly #ids = new Map<string, number>();
  readonly #typedByKey = new Map<string, VaultEntry>();
  readonly #genericByKey = new Map<string, VaultEntry>();
  readonly #typedByValue = new Map<string, number>();
  readonly #genericByValue = new Map<string, number>();
  readonly #blocks: Block[] = [];
  #live = 0;
  #revision = 0;

  /** Number of live entries (both partitions). */
  get size(): number {
    return this.#live;
  }

  /** Changes whenever an entry is added, replaced or dropped (for caches built over this set). */
  get revision(): number {
    return this.#revision;
  }

  /** Current matcher blocks (for tests and benchmarks: at most log2(n) + 1). */
  get blockCount(): number {
    return this.#blocks.length;
  }

  /** Forgets everything (the vault's change feed started over). */
  clear(): void {
    this.#entries.length = 0;
    this.#values.length = 0;
    this.#ids.clear();
    this.#typedByKey.clear();
    this.#genericByKey.clear();
    this.#typedByValue.clear();
    this.#genericByValue.clear();
    this.#blocks.length = 0;
    this.#live = 0;
    this.#revision++;
  }

  /**
   * Adds entries of one partition, or replaces those it holds (same key: a raised level). A bulk load builds one
   * matcher per power of two of the count; later appends carry as described above. Returns whether anything
   * changed.
   */
  apply(entries: readonly VaultEntry[], generic: boolean): boolean {
    let changed = false;
    const fresh: number[] = [];
    const byKey = generic ? this.#genericByKey : this.#typedByKey;
    const byValue = generic ? this.#genericByValue : this.#typedByValue;
    for (const entry of entries) {
      const key = entry.key.toLowerCase();
      const idKey = `${generic ? "g" : "t"}\u0000${key}`;
      const known = this.#ids.get(idKey);
      if (known !== undefined) {
        const before = this.#entries[known];
        if (before === entry || (before?.level === entry.level && before.value === entry.value)) continue;
        this.#entries[known] = entry;
        byKey.set(key, entry);
        changed = true;
        continue;
      }
      // The same value under a new key (its old entry expired): the old id no longer answers.
      const previous = byValue.get(entry.value);
      if (previous !== undefined) {
        const old = this.#entries[previous];
        if (old !== undefined) {
          byKey.delete(old.key.toLowerCase());
          this.#live--;
        }
        this.#entries[previous] = undefined;
      }
      const id = this.#values.length;
      this.#values.push(entry.value);
      this.#entries.push(entry);
      this.#ids.set(idKey, id);
      byKey.set(key, entry);
      byValue.set(entry.value, id);
      this.#live++;
      fresh.push(id);
      changed = true;
    }
    if (fresh.length > 0) this.#grow(fresh.length);
    if (changed) this.#revision++;
    return changed;
  }

  /** Extends the blocks over the last `added` ids, keeping the invariant. */
  #grow(added: number): void {
    const total = this.#values.length;
    if (added >= total - added) {
      // At least as many new ids as old ones (a first load): cut everything by the binary digits of the count.
      this.#blocks.length = 0;
      let from = 0;
      for (let rest = total; rest > 0;) {
        const size = largestPowerOfTwo(rest);
        this.#push(from, size);
        from += size;
        rest -= size;
      }
      return;
    }
    for (let id = total - added; id < total; id++) {
      this.#push(id, 1);
      this.#carry();
    }
  }

  #push(from: number, size: number): void {
    this.#blocks.push({
      from,
      size,
      matcher: new MultiPatternMatcher(this.#values.slice(from, from + size)),
    });
  }

  /** Merges the last two blocks while they are the same size. */
  #carry(): void {
    for (;;) {
      const last = this.#blocks[this.#blocks.length - 1];
      const before = this.#blocks[this.#blocks.length - 2];
      if (last === undefined || before === undefined || before.size !== last.size) return;
      this.#blocks.length -= 2;
      this.#push(before.from, before.size * 2);
    }
  }

  /** The entry for a lower-case placeholder key (`email_3`); the generic partition answers first. */
  entryForKey(key: string): VaultEntry | undefined {
    return this.#genericByKey.get(key) ?? this.#typedByKey.get(key);
  }

  /** The entry for a value in the typed or the generic partition. */
  entryForValue(value: string, generic: boolean): VaultEntry | undefined {
    const id = (generic ? this.#genericByValue : this.#typedByValue).get(value);
    return id === undefined ? undefined : this.#entries[id];
  }

  /** Whether some live entry passes `test` (stops at the first). */
  some(test: (entry: VaultEntry) => boolean): boolean {
    for (const entry of this.#entries) if (entry !== undefined && test(entry)) return true;
    return false;
  }

  /** Every live entry, in the order they became known (typed and generic interleaved). */
  entries(): VaultEntry[] {
    const out: VaultEntry[] = [];
    for (const entry of this.#entries) if (entry !== undefined) out.push(entry);
    return out;
  }

  /** Every occurrence of every known value in `text` (overlapping ones included), block by block. */
  findAll(text: string): KnownMatch[] {
    const out: KnownMatch[] = [];
    if (this.#live === 0 || text.length === 0) return out;
    for (const block of this.#blocks) {
      for (const m of block.matcher.findAll(text)) {
        const entry = this.#entries[block.from + m.pattern];
        if (entry !== undefined) out.push({ entry, start: m.start, end: m.end });
      }
    }
    return out;
  }
}

function largestPowerOfTwo(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}
