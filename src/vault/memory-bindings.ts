/**
 * Restoration bindings of stateful APIs held in memory (the memory vault's; the SQLite vault stores them in
 * its file): which placeholders were sent under an upstream id (a Responses `previous_response_id` chain, a
 * `conversation`, a message batch), so that a later request continuing that id may be restored with them
 * (see docs/architecture.md, "Restoration"). Slots are scope-bound hashes of the id (an id from another scope
 * finds nothing); bindings expire and the store is bounded (oldest dropped first).
 */
import { createHash } from "node:crypto";

export interface BindingStoreOptions {
  /** Most ids remembered. */
  readonly maxIds: number;
  /** Most placeholder keys remembered per id. */
  readonly maxKeysPerId?: number;
}

interface Binding {
  keys: Set<string>;
  expires: number;
}

/** Bindings of placeholder keys to upstream ids, per scope. */
export class BindingStore {
  readonly #maxIds: number;
  readonly #maxKeys: number;
  readonly #map = new Map<string, Binding>();

  constructor(options: BindingStoreOptions) {
    this.#maxIds = options.maxIds;
    this.#maxKeys = options.maxKeysPerId ?? 100_000;
  }

  #slot(scope: string, id: string): string {
    return createHash("sha256").update(scope).update("\u0000").update(id).digest("base64url");
  }

  /** Adds `keys` to what `id` is bound to in `scope` for `ttlMs` (an id continuing another inherits its keys). */
  bind(scope: string, id: string, keys: Iterable<string>, ttlMs: number, now = Date.now()): void {
    if (id.length === 0) return;
    const slot = this.#slot(scope, id);
    let binding = this.#map.get(slot);
    if (binding === undefined || binding.expires <= now) binding = { keys: new Set(), expires: 0 };
    for (const key of keys) if (binding.keys.size < this.#maxKeys) binding.keys.add(key);
    binding.expires = now + ttlMs;
    this.#map.delete(slot);
    this.#map.set(slot, binding);
    while (this.#map.size > this.#maxIds) {
      const oldest = this.#map.keys().next();
      if (oldest.done === true) break;
      this.#map.delete(oldest.value);
    }
  }

  /** The keys bound to any of `ids` in `scope` (empty for unknown or expired ids). */
  bound(scope: string, ids: Iterable<string>, now = Date.now()): Set<string> {
    const out = new Set<string>();
    for (const id of ids) {
      const slot = this.#slot(scope, id);
      const binding = this.#map.get(slot);
      if (binding === undefined) continue;
      if (binding.expires <= now) {
        this.#map.delete(slot);
        continue;
      }
      for (const key of binding.keys) out.add(key);
    }
    return out;
  }

  /** Ids remembered (for metrics). */
  get size(): number {
    return this.#map.size;
  }
}
