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
 *
 * A bulk load (the first sight of a scope that already holds thousands of values, as after a restart) does not
 * build its automata on the request path: the new ids stay pending, found by a look-up of each substring whose
 * length some pending value has, while the blocks over them are built a few milliseconds at a time on later
 * turns of the event loop. Every stored value is matchable from the moment `apply` returns; a text too large
 * for the look-up finishes the build first (never a partial answer).
 */
import { performance } from "node:perf_hooks";
import type { VaultEntry } from "../vault/vault.js";
import { MultiPatternMatcher } from "./aho-corasick.js";

/**
 * Runs `fn` on a later turn of the event loop, by default without keeping the process alive (`keepAlive`: for
 * work someone awaits). A zero timer, not an unref'd immediate: an unref'd immediate does not keep the loop from
 * sleeping in its poll for I/O, so on an idle server each background step would wait for some other timer or
 * socket to wake the loop.
 */
export function backgroundTurn(fn: () => void, keepAlive = false): void {
  const timer = setTimeout(fn, 0);
  if (!keepAlive) timer.unref();
}

/** One occurrence of a known value in a text (UTF-16 offsets). */
export interface KnownMatch {
  readonly entry: VaultEntry;
  readonly start: number;
  readonly end: number;
}

/** From this many new ids in one `apply`, the matcher blocks are built in the background (see above). */
export const DEFER_FROM = 1024;

/** Most substring look-ups one text may cost while ids are pending; past it the build is finished at once. */
const LOOKUP_BUDGET = 1 << 17;

/** Time one background turn may spend building blocks (it always builds at least one). */
const BUILD_SLICE_MS = 8;

export interface KnownValuesOptions {
  /** New ids in one `apply` from which their blocks are built in the background (default {@link DEFER_FROM}). */
  readonly deferFrom?: number;
  /**
   * Start with the background build held until {@link KnownValues.release} (default false): a scope being
   * filled a chunk per turn builds its blocks once it is whole, not between its chunks.
   */
  readonly held?: boolean;
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
  /** Lower-case key → value id, per partition (a superseded id's entry is undefined: the key no longer answers). */
  readonly #typedIds = new Map<string, number>();
  readonly #genericIds = new Map<string, number>();
  readonly #typedByValue = new Map<string, number>();
  readonly #genericByValue = new Map<string, number>();
  readonly #blocks: Block[] = [];
  /**
   * Ids 0..covered-1 are in blocks; the rest are pending, found through the by-value maps (which hold each
   * partition's one live id per value), with how many pending ids have each length.
   */
  #covered = 0;
  readonly #pendingLengths = new Map<number, number>();
  /** Bumped by `clear`, so a background build scheduled before it stops. */
  #generation = 0;
  #scheduled = false;
  #held: boolean;
  readonly #deferFrom: number;
  #live = 0;
  #longest = 0;
  #revision = 0;

  constructor(options: KnownValuesOptions = {}) {
    this.#deferFrom = options.deferFrom ?? DEFER_FROM;
    this.#held = options.held === true;
  }

  /** Lets a held background build start (see {@link KnownValuesOptions.held}); idempotent. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    if (this.pendingCount > 0) this.#schedule();
  }

  /** Number of live entries (both partitions). */
  get size(): number {
    return this.#live;
  }

  /** Changes whenever an entry is added, replaced or dropped (for caches built over this set). */
  get revision(): number {
    return this.#revision;
  }

  /** Length of the longest value added since the last `clear` (a bound for matching a text in windows). */
  get longest(): number {
    return this.#longest;
  }

  /** Current matcher blocks (for tests and benchmarks: at most log2(n) + 1). */
  get blockCount(): number {
    return this.#blocks.length;
  }

  /** Ids not yet in a matcher block (found by look-up until the background build reaches them). */
  get pendingCount(): number {
    return this.#values.length - this.#covered;
  }

  /** Forgets everything (the vault's change feed started over). */
  clear(): void {
    this.#entries.length = 0;
    this.#values.length = 0;
    this.#typedIds.clear();
    this.#genericIds.clear();
    this.#typedByValue.clear();
    this.#genericByValue.clear();
    this.#blocks.length = 0;
    this.#covered = 0;
    this.#pendingLengths.clear();
    this.#generation++;
    this.#scheduled = false;
    this.#live = 0;
    this.#longest = 0;
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
    const byValue = generic ? this.#genericByValue : this.#typedByValue;
    const idsByKey = generic ? this.#genericIds : this.#typedIds;
    for (const entry of entries) {
      const key = entry.key.toLowerCase();
      const known = idsByKey.get(key);
      if (known !== undefined) {
        const before = this.#entries[known];
        if (before === entry || (before?.level === entry.level && before.value === entry.value)) continue;
        this.#entries[known] = entry;
        changed = true;
        continue;
      }
      // The same value under a new key (its old entry expired): the old id no longer answers.
      const previous = byValue.get(entry.value);
      if (previous !== undefined) {
        const old = this.#entries[previous];
        if (old !== undefined) this.#live--;
        this.#entries[previous] = undefined;
      }
      const id = this.#values.length;
      this.#values.push(entry.value);
      this.#entries.push(entry);
      idsByKey.set(key, id);
      byValue.set(entry.value, id);
      this.#live++;
      if (entry.value.length > this.#longest) this.#longest = entry.value.length;
      fresh.push(id);
      changed = true;
    }
    if (fresh.length > 0) {
      if (this.pendingCount > fresh.length || fresh.length >= this.#deferFrom) this.#defer(fresh);
      else this.#grow(fresh.length);
    }
    if (changed) this.#revision++;
    return changed;
  }

  /** Makes `ids` pending and schedules their blocks. */
  #defer(ids: readonly number[]): void {
    for (const id of ids) this.#addPending(id);
    this.#schedule();
  }

  #addPending(id: number): void {
    const length = (this.#values[id] as string).length;
    this.#pendingLengths.set(length, (this.#pendingLengths.get(length) ?? 0) + 1);
  }

  #schedule(): void {
    if (this.#scheduled || this.#held) return;
    this.#scheduled = true;
    const generation = this.#generation;
    const turn = (): void => {
      if (generation !== this.#generation) return;
      const until = performance.now() + BUILD_SLICE_MS;
      do this.#buildStep();
      while (this.pendingCount > 0 && performance.now() < until);
      if (this.pendingCount > 0) backgroundTurn(turn);
      else this.#scheduled = false;
    };
    backgroundTurn(turn);
  }

  /** Builds pending blocks now, at most `steps` of them (a text too large to look up piecewise; tests). */
  build(steps = Number.POSITIVE_INFINITY): void {
    for (let i = 0; i < steps && this.pendingCount > 0; i++) this.#buildStep();
  }

  /**
   * Moves the next pending ids into one block, keeping the sizes decreasing: the largest power of two that
   * fits the pending count and stays below the last block (an equal one carries into its neighbour).
   */
  #buildStep(): void {
    const pending = this.pendingCount;
    if (pending === 0) return;
    const last = this.#blocks[this.#blocks.length - 1];
    let size = largestPowerOfTwo(pending);
    if (last !== undefined && size > last.size) size = last.size;
    const from = this.#covered;
    this.#push(from, size);
    this.#covered = from + size;
    for (let id = from; id < from + size; id++) this.#dropPending(id);
    this.#carry();
  }

  #dropPending(id: number): void {
    const length = (this.#values[id] as string).length;
    const left = (this.#pendingLengths.get(length) ?? 1) - 1;
    if (left === 0) this.#pendingLengths.delete(length);
    else this.#pendingLengths.set(length, left);
  }

  /** Extends the blocks over the last `added` ids, keeping the invariant. */
  #grow(added: number): void {
    const total = this.#values.length;
    this.#covered = total;
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
    const generic = this.#genericIds.get(key);
    const entry = generic === undefined ? undefined : this.#entries[generic];
    if (entry !== undefined) return entry;
    const typed = this.#typedIds.get(key);
    return typed === undefined ? undefined : this.#entries[typed];
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
    if (this.pendingCount > 0 && text.length * this.#pendingLengths.size > LOOKUP_BUDGET) this.build();
    for (const block of this.#blocks) {
      for (const m of block.matcher.findAll(text)) {
        const entry = this.#entries[block.from + m.pattern];
        if (entry !== undefined) out.push({ entry, start: m.start, end: m.end });
      }
    }
    // Pending ids (all above the blocks' ids): every substring of a pending value's length, looked up by value;
    // the lower id first, as the blocks would list the same value twice.
    if (this.pendingCount === 0) return out;
    const covered = this.#covered;
    for (const length of this.#pendingLengths.keys()) {
      if (length === 0) continue; // as the automata: an empty value matches nowhere
      for (let start = 0; start + length <= text.length; start++) {
        const piece = text.slice(start, start + length);
        const typed = this.#typedByValue.get(piece);
        const generic = this.#genericByValue.get(piece);
        if (typed === undefined && generic === undefined) continue;
        const first = generic === undefined || (typed !== undefined && typed < generic) ? typed : generic;
        const second = first === typed ? generic : typed;
        for (const id of [first, second]) {
          if (id === undefined || id < covered) continue;
          const entry = this.#entries[id];
          if (entry !== undefined) out.push({ entry, start, end: start + length });
        }
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
