/**
 * The in-memory vault: the same contract as the SQLite vault, for tests and `--ephemeral`. Nothing touches
 * disk and nothing is logged; values live only in this process's Maps and vanish with it.
 */
import { createHash } from "node:crypto";
import type { PrivacyLevel } from "../taxonomy/levels.js";
import {
  clockOf,
  expiryOf,
  isExpired,
  makeEntry,
  needsTouch,
  normaliseReserved,
  pickNumber,
  raisedLevel,
  validateItems,
} from "./allocation.js";
import { BindingStore } from "./memory-bindings.js";
import { DEFAULT_RETENTION } from "./vault.js";
import type { ExportedEntry, Retention, Vault, VaultEntry } from "./vault.js";

interface Stored {
  entry: VaultEntry;
  readonly created: number;
  lastUsed: number;
  expires: number;
}

interface ScopeState {
  /** By exact value; insertion order is allocation order. */
  readonly byValue: Map<string, Stored>;
  /** By lower-case key `name_n`. */
  readonly byKey: Map<string, Stored>;
  /** Next number per lower-case name; kept after purges so numbers are never reused. */
  readonly counters: Map<string, number>;
  version: number;
  /**
   * No live entry expires before this (a lower bound, lowered by every write that sets an earlier expiry). Passing it costs
   * one scan, which either finds entries gone or sets the exact bound again.
   */
  nextExpiry: number;
  /** The latest clock reading seen: entries past their retention by then are known to be gone. */
  lastScan: number;
  /** Changes since the last reset: the change feed's entries, in order. */
  log: VaultEntry[];
  /** Bumped whenever entries leave the live set: readers at an older epoch start over. */
  epoch: number;
}

/** Upstream ids whose bindings are remembered at once (oldest dropped first). */
const MAX_BINDINGS = 100_000;

/** Creates an in-memory vault with the given retention (default {@link DEFAULT_RETENTION}). */
export function createMemoryVault(options?: { retention?: Retention }): Vault {
  const retention = options?.retention ?? DEFAULT_RETENTION;
  const scopes = new Map<string, ScopeState>();
  const bindings = new BindingStore({ maxIds: MAX_BINDINGS });
  // One counter for every scope, so a version number is never handed out twice, even after a purge.
  let versions = 0;
  let epochs = 0;

  const stateOf = (scope: string): ScopeState => {
    let state = scopes.get(scope);
    if (state === undefined) {
      state = {
        byValue: new Map(),
        byKey: new Map(),
        counters: new Map(),
        version: ++versions,
        nextExpiry: Number.POSITIVE_INFINITY,
        lastScan: Number.NEGATIVE_INFINITY,
        log: [],
        epoch: ++epochs,
      };
      scopes.set(scope, state);
    }
    return state;
  };

  const changed = (state: ScopeState): void => {
    state.version = ++versions;
  };

  /** Entries left the live set: the change feed starts over. */
  const resetFeed = (state: ScopeState): void => {
    state.epoch = ++epochs;
    state.log = [];
  };

  /** Entries that passed their retention since the last reading of the clock leave the live set: a change. */
  const checkExpiry = (state: ScopeState, now: number): void => {
    if (now < state.lastScan) {
      // A clock set back (tests): entries past their retention then may be live again.
      state.lastScan = now;
      state.nextExpiry = earliestExpiry(state, now);
      resetFeed(state);
      return;
    }
    const since = state.lastScan;
    state.lastScan = now;
    if (state.nextExpiry > now) return;
    let passed = false;
    for (const stored of state.byValue.values()) {
      if (stored.expires > since && isExpired(stored.expires, now)) {
        passed = true;
        break;
      }
    }
    state.nextExpiry = earliestExpiry(state, now);
    if (passed) {
      state.version = ++versions;
      resetFeed(state);
    }
  };

  const remove = (state: ScopeState, stored: Stored): void => {
    state.byValue.delete(stored.entry.value);
    state.byKey.delete(stored.entry.key);
  };

  const earliestExpiry = (state: ScopeState, now: number): number => {
    let next = Number.POSITIVE_INFINITY;
    for (const stored of state.byValue.values()) {
      if (!isExpired(stored.expires, now) && stored.expires < next) next = stored.expires;
    }
    return next;
  };

  return {
    kind: "memory",

    async ready() {},

    async allocate(scope, items, allocateOptions) {
      validateItems(items);
      if (items.length === 0) return [];
      const now = clockOf(allocateOptions?.now);
      const reserved = normaliseReserved(allocateOptions?.reserved);
      const state = stateOf(scope);
      let dirty = false;
      for (const item of items) {
        let stored = state.byValue.get(item.value);
        if (stored !== undefined && isExpired(stored.expires, now)) {
          remove(state, stored);
          stored = undefined;
          dirty = true;
          resetFeed(state);
        }
        if (stored !== undefined) {
          if (
            needsTouch(retention, { level: stored.entry.level, lastUsed: stored.lastUsed }, item.level, now)
          ) {
            const level: PrivacyLevel = raisedLevel(stored.entry.level, item.level);
            if (level !== stored.entry.level) {
              stored.entry = makeEntry({ ...stored.entry, level });
              state.log.push(stored.entry);
            }
            stored.lastUsed = Math.max(stored.lastUsed, now);
            stored.expires = expiryOf(retention, level, stored.lastUsed);
            // A raised level may have a shorter retention: the bound can come earlier.
            state.nextExpiry = Math.min(state.nextExpiry, stored.expires);
            dirty = true;
          }
          continue;
        }
        const lower = item.name.toLowerCase();
        const n = pickNumber(item.name, state.counters.get(lower) ?? 1, reserved, (key) =>
          state.byKey.has(key),
        );
        state.counters.set(lower, n + 1);
        const entry = makeEntry({
          name: item.name,
          n,
          type: item.type,
          level: item.level,
          value: item.value,
        });
        const fresh: Stored = {
          entry,
          created: now,
          lastUsed: now,
          expires: expiryOf(retention, item.level, now),
        };
        state.byValue.set(item.value, fresh);
        state.byKey.set(entry.key, fresh);
        state.log.push(entry);
        state.nextExpiry = Math.min(state.nextExpiry, fresh.expires);
        dirty = true;
      }
      if (dirty) changed(state);
      // Read back after the loop so repeated items all get the final entry (with the highest level seen).
      return items.map((item) => {
        const stored = state.byValue.get(item.value);
        if (stored === undefined) throw new Error("unreachable: allocated value missing");
        return stored.entry;
      });
    },

    async resolve(scope, keys, readOptions) {
      const out = new Map<string, VaultEntry>();
      const state = scopes.get(scope);
      if (state === undefined) return out;
      const now = clockOf(readOptions?.now);
      for (const key of keys) {
        const stored = state.byKey.get(key.toLowerCase());
        if (stored !== undefined && !isExpired(stored.expires, now)) out.set(key, stored.entry);
      }
      return out;
    },

    async entries(scope, readOptions) {
      const state = scopes.get(scope);
      if (state === undefined) return [];
      const now = clockOf(readOptions?.now);
      return [...state.byValue.values()].filter((s) => !isExpired(s.expires, now)).map((s) => s.entry);
    },

    async changes(scope, since, readOptions) {
      const state = stateOf(scope);
      const now = clockOf(readOptions?.now);
      checkExpiry(state, now);
      const cursor = { epoch: state.epoch, seq: state.log.length };
      if (since?.epoch !== state.epoch || since.seq > state.log.length) {
        const live: VaultEntry[] = [];
        for (const stored of state.byValue.values())
          if (!isExpired(stored.expires, now)) live.push(stored.entry);
        return { reset: true, entries: live, cursor };
      }
      const added: VaultEntry[] = [];
      for (let i = since.seq; i < state.log.length; i++) {
        const entry = state.log[i] as VaultEntry;
        const stored = state.byKey.get(entry.key);
        if (stored !== undefined && !isExpired(stored.expires, now)) added.push(entry);
      }
      return { reset: false, entries: added, cursor };
    },

    async version(scope, readOptions) {
      const state = stateOf(scope);
      // An entry passing its retention changes the live set without a write.
      checkExpiry(state, clockOf(readOptions?.now));
      return state.version;
    },

    async stats(scope, readOptions) {
      const now = clockOf(readOptions?.now);
      const byLevel: Record<string, number> = {};
      const byType: Record<string, number> = {};
      let entries = 0;
      let expired = 0;
      let scopeCount = 0;
      for (const [name, state] of scopes) {
        if (scope !== undefined && name !== scope) continue;
        if (state.byValue.size > 0) scopeCount++;
        for (const stored of state.byValue.values()) {
          entries++;
          if (isExpired(stored.expires, now)) expired++;
          byLevel[stored.entry.level] = (byLevel[stored.entry.level] ?? 0) + 1;
          byType[stored.entry.type] = (byType[stored.entry.type] ?? 0) + 1;
        }
      }
      return { scopes: scopeCount, entries, expired, byLevel, byType };
    },

    async exportEntries(scope, readOptions) {
      const now = clockOf(readOptions?.now);
      const out: ExportedEntry[] = [];
      for (const [name, state] of scopes) {
        if (scope !== undefined && name !== scope) continue;
        // Nothing keyed exists in memory: an unkeyed hash keeps the logical scope out of the export.
        const scopeTag = createHash("sha256").update(name).digest("hex");
        for (const stored of state.byValue.values()) {
          if (isExpired(stored.expires, now)) continue;
          const { placeholder, type, level, value } = stored.entry;
          out.push({
            scopeTag,
            placeholder,
            type,
            level,
            value,
            created: stored.created,
            lastUsed: stored.lastUsed,
            expires: stored.expires,
          });
        }
      }
      return out;
    },

    async purge(purgeOptions) {
      const now = clockOf(purgeOptions?.now);
      let deleted = 0;
      for (const [name, state] of scopes) {
        if (purgeOptions?.scope !== undefined && name !== purgeOptions.scope) continue;
        let removed = 0;
        for (const stored of [...state.byValue.values()]) {
          if (purgeOptions?.expiredOnly === true && !isExpired(stored.expires, now)) continue;
          remove(state, stored);
          removed++;
        }
        if (removed > 0) {
          changed(state);
          resetFeed(state);
        }
        deleted += removed;
      }
      return deleted;
    },

    async bind(scope, id, keys, ttlMs, readOptions) {
      bindings.bind(scope, id, keys, ttlMs, clockOf(readOptions?.now));
    },

    async bound(scope, ids, readOptions) {
      return bindings.bound(scope, ids, clockOf(readOptions?.now));
    },

    async close() {
      scopes.clear();
    },
  };
}
