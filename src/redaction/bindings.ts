/**
 * Restoration bindings of stateful APIs: which placeholders an exchange sent under an upstream id (a
 * Responses `previous_response_id` chain, a `conversation`, a message batch), so that a later request that
 * continues the id is restored with them too (see docs/architecture.md, "Restoration"). Kept in the vault —
 * the scope as its keyed tag, the id as a keyed MAC, the keys encrypted — for the longest retention, so a
 * conversation survives a restart; a binding is renewed every time its id is bound again.
 */
import type { Vault } from "../vault/vault.js";

/** Binds and looks up placeholder keys by upstream id, per scope. */
export interface Bindings {
  /** Adds `keys` (lower-case `name_n`) to what `id` is bound to in `scope`. */
  bind(scope: string, id: string, keys: Iterable<string>): Promise<void>;
  /** The keys bound to any of `ids` in `scope`. */
  bound(scope: string, ids: readonly string[]): Promise<Set<string>>;
}

/** Bindings stored in `vault`, each living `ttlMs` after it was last bound. */
export function createBindings(vault: Vault, ttlMs: number): Bindings {
  return {
    bind: (scope, id, keys) => vault.bind(scope, id, [...keys], ttlMs),
    bound: async (scope, ids) => (ids.length === 0 ? new Set() : vault.bound(scope, ids)),
  };
}
