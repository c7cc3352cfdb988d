/**
 * The scopes the pipeline has seen (src/redaction/pipeline.ts), most recently used last: per scope its known
 * values (both vault partitions, typed and generic), where it stands in the vault's change feed, and the index
 * of the whole scope (built only when asked, again only when the values changed).
 */
import type { ChangeCursor, Vault } from "../vault/vault.js";
import { KnownValues } from "./known-values.js";
import { ScopeIndex } from "./scope-index.js";

/** The vault partition used by the `generic` mode, so a value can have a typed and a generic placeholder. */
export function genericPartition(scope: string): string {
  return `${scope}\u0000generic`;
}

/** One scope: its known values, where it stands in both partitions' change feeds, its index. */
interface ScopeState {
  readonly known: KnownValues;
  typed: ChangeCursor | undefined;
  generic: ChangeCursor | undefined;
  index: { revision: number; index: ScopeIndex } | undefined;
  /** The read in flight: one at a time per scope, so cursors and resets never interleave. */
  refreshing: Promise<void> | undefined;
  /** The read that starts when the one in flight ends, shared by everyone who asked meanwhile. */
  queued: Promise<void> | undefined;
}

/** Known values per scope, kept up to date with the vault by its change feed (an LRU of `maxScopes`). */
export class ScopeStates {
  readonly #vault: Vault;
  readonly #maxScopes: number;
  readonly #scopes = new Map<string, ScopeState>();

  constructor(vault: Vault, maxScopes: number) {
    this.#vault = vault;
    this.#maxScopes = maxScopes;
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

  /** The scope's whole index as its known values stand (no vault read). */
  currentIndex(scope: string): ScopeIndex {
    return this.#indexOf(this.#stateOf(scope));
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
    let [typed, gen] = await Promise.all([
      vault.changes(scope, state.typed),
      vault.changes(generic, state.generic),
    ]);
    if (typed.reset || gen.reset) {
      // Entries left the live set: start over from both partitions' whole live sets.
      [typed, gen] = await Promise.all([
        typed.reset ? typed : vault.changes(scope),
        gen.reset ? gen : vault.changes(generic),
      ]);
      state.known.clear();
    }
    state.known.apply(typed.entries, false);
    state.known.apply(gen.entries, true);
    state.typed = typed.cursor;
    state.generic = gen.cursor;
  }

  /** The scope's state, moved to the most recently used end. */
  #stateOf(scope: string): ScopeState {
    const scopes = this.#scopes;
    let state = scopes.get(scope);
    if (state === undefined) {
      state = {
        known: new KnownValues(),
        typed: undefined,
        generic: undefined,
        index: undefined,
        refreshing: undefined,
        queued: undefined,
      };
      if (scopes.size >= this.#maxScopes) {
        const oldest = scopes.keys().next();
        if (oldest.done !== true) scopes.delete(oldest.value);
      }
    } else {
      scopes.delete(scope); // re-inserted below: Map order is the LRU order
    }
    scopes.set(scope, state);
    return state;
  }

  /** The index of a scope's known values as they stand (built again only when they changed). */
  #indexOf(state: ScopeState): ScopeIndex {
    const known = state.known;
    if (state.index?.revision !== known.revision)
      state.index = { revision: known.revision, index: new ScopeIndex(known.entries()) };
    return state.index.index;
  }
}
