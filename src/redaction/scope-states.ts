/**
 * The scopes the pipeline has seen (src/redaction/pipeline.ts), most recently used last: per scope its known
 * values (both vault partitions, typed and generic), where it stands in the vault's change feed, and the index
 * of the whole scope (built only when asked, again only when the values changed).
 *
 * After a restart the vault's warm-up hands over each stored scope it loaded, by tag, with the feed's first
 * read; its known values are built here a chunk per turn of the event loop, before any request asks. The first
 * request of that scope adopts them (finishing what is left of the build, its scope's remaining share) and
 * continues the feed from the warm-up's cursor, so it sees every write since: never a partial or stale view.
 */
import type { ChangeCursor, ScopeChanges, Vault, VaultEntry } from "../vault/vault.js";
import { backgroundTurn, KnownValues } from "./known-values.js";
import { ScopeIndex } from "./scope-index.js";

/** The vault partition used by the `generic` mode, so a value can have a typed and a generic placeholder. */
export function genericPartition(scope: string): string {
  return `${scope}\u0000generic`;
}

/** A vault partition handed over by the warm-up, its known values built a chunk per turn (typed). */
interface Prepared {
  readonly known: KnownValues;
  readonly entries: readonly VaultEntry[];
  /** How many of `entries` are applied to `known` so far. */
  applied: number;
  readonly cursor: ChangeCursor;
  /** Settles the promise `prepare` returned: built, adopted or dropped. */
  readonly settle: () => void;
}

/** Entries a background turn applies to a prepared scope (enough to defer their matcher blocks, see known-values.ts). */
const PREPARE_CHUNK = 4096;

/** One scope: its known values, where it stands in both partitions' change feeds, its index. */
interface ScopeState {
  /** Replaced whole when a large read starts over (see `#readChanges`), never mutated into a partial set. */
  known: KnownValues;
  typed: ChangeCursor | undefined;
  generic: ChangeCursor | undefined;
  index: { revision: number; index: ScopeIndex } | undefined;
  /** The read in flight: one at a time per scope, so cursors and resets never interleave. */
  refreshing: Promise<void> | undefined;
  /** The read that starts when the one in flight ends, shared by everyone who asked meanwhile. */
  queued: Promise<void> | undefined;
  /** Its partitions' vault tags (where the vault names scopes by tag): a later hand-over of them is ignored. */
  readonly tags: readonly string[];
}

/** Known values per scope, kept up to date with the vault by its change feed (an LRU of `maxScopes`). */
export class ScopeStates {
  readonly #vault: Vault;
  readonly #maxScopes: number;
  readonly #scopes = new Map<string, ScopeState>();
  /** Partitions the warm-up handed over, by tag, that no request has adopted yet (oldest first). */
  readonly #prepared = new Map<string, Prepared>();
  /** The tags of the partitions of every scope in `#scopes`: fed by the vault already, never handed over. */
  readonly #liveTags = new Set<string>();
  #closed = false;

  constructor(vault: Vault, maxScopes: number) {
    this.#vault = vault;
    this.#maxScopes = maxScopes;
  }

  /** Partitions handed over by the warm-up and not yet adopted (tests, benchmarks). */
  get preparedCount(): number {
    return this.#prepared.size;
  }

  /** Entries of those partitions not yet applied to their known values (tests, benchmarks). */
  get preparedBacklog(): number {
    let backlog = 0;
    for (const p of this.#prepared.values()) backlog += p.entries.length - p.applied;
    return backlog;
  }

  /**
   * Takes a partition the vault's warm-up loaded (`tag`, and the feed's first read): its known values are built
   * a chunk per turn of the event loop until a request of its scope adopts them. Ignored without a whole live set
   * or where the vault cannot name scopes by tag. Resolves once they are built, adopted or dropped.
   */
  prepare(tag: string, changes: ScopeChanges): Promise<void> {
    if (!changes.reset || this.#vault.scopeTag === undefined || this.#closed || this.#liveTags.has(tag))
      return Promise.resolve();
    const prepared = this.#prepared;
    this.#drop(tag);
    if (prepared.size >= this.#maxScopes) {
      const oldest = prepared.keys().next();
      if (oldest.done !== true) this.#drop(oldest.value);
    }
    // The turns keep the process alive: `Redactor.warm` awaits them (a chunk each, done in well under a second).
    let settle: () => void = () => undefined;
    const built = new Promise<void>((resolve) => (settle = resolve));
    // The matcher blocks wait until every chunk is in (or the scope is adopted): the chunks come first.
    const entry: Prepared = {
      known: new KnownValues({ held: true }),
      entries: changes.entries,
      applied: 0,
      cursor: changes.cursor,
      settle,
    };
    prepared.set(tag, entry);
    const turn = (): void => {
      if (prepared.get(tag) !== entry) return; // adopted or dropped meanwhile
      const rest = entry.entries.length - entry.applied;
      // The last chunk takes what is left, so every chunk but a small scope's one defers its matcher blocks.
      const take = rest < 2 * PREPARE_CHUNK ? rest : PREPARE_CHUNK;
      applyPrepared(entry, take);
      if (entry.applied < entry.entries.length) return backgroundTurn(turn, true);
      entry.known.release();
      settle();
    };
    if (entry.entries.length > 0) backgroundTurn(turn, true);
    else settle();
    return built;
  }

  /** Drops every hand-over not adopted yet (their background turns stop) and ignores later ones. */
  close(): void {
    this.#closed = true;
    for (const tag of [...this.#prepared.keys()]) this.#drop(tag);
  }

  #drop(tag: string): void {
    const entry = this.#prepared.get(tag);
    if (entry === undefined) return;
    this.#prepared.delete(tag);
    entry.settle();
  }

  /** The scope's known values, up to date with the vault. */
  async known(scope: string): Promise<KnownValues> {
    const state = this.#stateOf(scope);
    await this.#refresh(scope, state);
    return state.known;
  }

  /** The scope's whole index, up to date with the vault. */
  async index(scope: string): Promise<ScopeIndex> {
    const state = this.#stateOf(scope);
    await this.#refresh(scope, state);
    return this.#indexOf(state);
  }

  /**
   * The whole index of `known`, a scope's known values as a request holds them (no vault read): the scope's
   * cached index while `known` is still its current set, else one built for `known` — never an empty one for a
   * scope state evicted, or replaced, while the request was in flight.
   */
  indexOfKnown(scope: string, known: KnownValues): ScopeIndex {
    const state = this.#scopes.get(scope);
    return state !== undefined && state.known === known
      ? this.#indexOf(state)
      : new ScopeIndex(known.entries());
  }

  /** Reads what changed in the vault for a scope still cached (after this process wrote to it). */
  async refreshCached(scope: string): Promise<void> {
    const state = this.#scopes.get(scope);
    if (state !== undefined) await this.#refresh(scope, state);
  }

  /**
   * Brings a scope's known values up to the vault: only what changed since the last look (any writer, any
   * replica). One read per scope at a time: a caller arriving while one is in flight waits for it and then for
   * one more read, shared by every caller that arrived meanwhile — so each sees every write that finished
   * before it asked, and a burst of requests costs two reads, not one each.
   */
  #refresh(scope: string, state: ScopeState): Promise<void> {
    if (state.queued !== undefined) return state.queued;
    if (state.refreshing === undefined) return this.#start(scope, state);
    const queued = state.refreshing
      .catch(() => undefined)
      .then(() => {
        state.queued = undefined;
        return this.#start(scope, state);
      });
    state.queued = queued;
    return queued;
  }

  #start(scope: string, state: ScopeState): Promise<void> {
    const run = this.#readChanges(scope, state).finally(() => {
      if (state.refreshing === run) state.refreshing = undefined;
    });
    state.refreshing = run;
    return run;
  }

  async #readChanges(scope: string, state: ScopeState): Promise<void> {
    const vault = this.#vault;
    const generic = genericPartition(scope);
    const first = { typed: state.typed === undefined, generic: state.generic === undefined };
    let [typed, gen] = await Promise.all([
      vault.changes(scope, state.typed),
      vault.changes(generic, state.generic),
    ]);
    // A partition's first read is a reset by definition; only a reset past a cursor means entries left.
    const left = (typed.reset && !first.typed) || (gen.reset && !first.generic);
    if (left) {
      // Entries left the live set: start over from both partitions' whole live sets.
      [typed, gen] = await Promise.all([
        typed.reset ? typed : vault.changes(scope),
        gen.reset ? gen : vault.changes(generic),
      ]);
    }
    const whole = left || (first.typed && first.generic);
    if (whole && typed.entries.length + gen.entries.length > 2 * PREPARE_CHUNK) {
      // Many values from scratch (a cold scope, or after a purge): built into a fresh set a chunk per turn of the
      // event loop, swapped in once complete — a reader holding the set from before keeps a whole one meanwhile.
      const fresh = new KnownValues({ held: true });
      await applyInTurns(fresh, typed.entries, false);
      await applyInTurns(fresh, gen.entries, true);
      fresh.release();
      state.known = fresh;
      state.index = undefined;
    } else {
      if (left) state.known.clear();
      state.known.apply(typed.entries, false);
      state.known.apply(gen.entries, true);
    }
    state.typed = typed.cursor;
    state.generic = gen.cursor;
  }

  /** The scope's state, moved to the most recently used end. */
  #stateOf(scope: string): ScopeState {
    const scopes = this.#scopes;
    let state = scopes.get(scope);
    if (state === undefined) {
      const tags =
        this.#vault.scopeTag === undefined
          ? []
          : [this.#vault.scopeTag(scope), this.#vault.scopeTag(genericPartition(scope))];
      state = {
        ...this.#adopt(scope, tags),
        index: undefined,
        refreshing: undefined,
        queued: undefined,
        tags,
      };
      for (const tag of tags) this.#liveTags.add(tag);
      if (scopes.size >= this.#maxScopes) {
        const oldest = scopes.keys().next();
        if (oldest.done !== true) {
          for (const tag of scopes.get(oldest.value)?.tags ?? []) this.#liveTags.delete(tag);
          scopes.delete(oldest.value);
        }
      }
    } else {
      scopes.delete(scope); // re-inserted below: Map order is the LRU order
    }
    scopes.set(scope, state);
    return state;
  }

  /**
   * A new scope's known values and cursors: what the warm-up prepared for its partitions (the rest of the build
   * done now), or nothing yet. The feed continues from the prepared cursors at the scope's first read.
   */
  #adopt(scope: string, tags: readonly string[]): Pick<ScopeState, "known" | "typed" | "generic"> {
    const [typedTag, genericTag] = tags;
    if (this.#prepared.size === 0 || typedTag === undefined || genericTag === undefined) {
      return { known: new KnownValues(), typed: undefined, generic: undefined };
    }
    const typed = this.#prepared.get(typedTag);
    const generic = this.#prepared.get(genericTag);
    this.#drop(typedTag);
    this.#drop(genericTag);
    let known: KnownValues;
    if (typed === undefined) {
      known = new KnownValues();
    } else {
      applyPrepared(typed, typed.entries.length - typed.applied);
      known = typed.known;
      known.release();
    }
    // A generic partition was prepared as typed values: its entries go in again, as generic ones.
    if (generic !== undefined) known.apply(generic.entries, true);
    return { known, typed: typed?.cursor, generic: generic?.cursor };
  }

  /** The index of a scope's known values as they stand (built again only when they changed). */
  #indexOf(state: ScopeState): ScopeIndex {
    const known = state.known;
    if (state.index?.revision !== known.revision)
      state.index = { revision: known.revision, index: new ScopeIndex(known.entries()) };
    return state.index.index;
  }
}

/** Applies `entries` to `known` {@link PREPARE_CHUNK} at a time, with a turn of the event loop after each chunk. */
async function applyInTurns(
  known: KnownValues,
  entries: readonly VaultEntry[],
  generic: boolean,
): Promise<void> {
  for (let from = 0; from < entries.length; from += PREPARE_CHUNK) {
    known.apply(entries.slice(from, from + PREPARE_CHUNK), generic);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Applies the next `count` entries of a prepared partition to its known values. */
function applyPrepared(prepared: Prepared, count: number): void {
  if (count <= 0) return;
  const from = prepared.applied;
  prepared.known.apply(prepared.entries.slice(from, from + count), false);
  prepared.applied = from + count;
}
