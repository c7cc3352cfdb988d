/**
 * The vault contract (docs/architecture.md, "The vault"): one placeholder per value per scope, stable across turns,
 * restarts and — with the PostgreSQL backend — proxy replicas. Implementations: SQLite (encrypted, durable, one
 * machine), PostgreSQL (encrypted, shared by replicas) and memory (tests, `--ephemeral`). The contract is
 * asynchronous because a shared database is; every method is atomic on its own, in the backend's database.
 */
import type { PrivacyLevel } from "../taxonomy/levels.js";

/** A value to pseudonymise. `name` is the placeholder name (already derived from the type). */
export interface AllocationRequest {
  readonly value: string;
  readonly type: string;
  readonly name: string;
  readonly level: PrivacyLevel;
}

/** A stored mapping. `placeholder` is the rendered form `<Name_N>`; `key` is its look-up key `name_n`. */
export interface VaultEntry {
  readonly placeholder: string;
  readonly key: string;
  readonly name: string;
  readonly n: number;
  readonly type: string;
  readonly level: PrivacyLevel;
  readonly value: string;
}

export interface AllocateOptions {
  /**
   * Placeholder keys (`name_n`, lower-case) that occur literally in the request: never issued to a new value,
   * so text the caller already wrote cannot later be restored as something else.
   */
  readonly reserved?: ReadonlySet<string>;
  /** Clock override for tests (ms since epoch). */
  readonly now?: number;
}

/** Options of the read methods. */
export interface ReadOptions {
  /** Clock override for tests (ms since epoch); decides which entries are past their retention. */
  readonly now?: number;
}

/** Where a reader of {@link Vault.changes} stands in a scope's change feed. Opaque: pass back what you got. */
export interface ChangeCursor {
  readonly epoch: number;
  readonly seq: number;
}

/** What changed in a scope since a cursor. */
export interface ScopeChanges {
  /**
   * True when `entries` is the scope's whole live set and the reader must start over: the first read, or
   * entries left the live set (purged, expired, replaced after expiry) since the cursor.
   */
  readonly reset: boolean;
  /**
   * Without a reset: the entries added, or whose level rose, since the cursor, in order (an entry may come
   * again with a higher level: the later one wins). Retention renewals are never reported.
   */
  readonly entries: readonly VaultEntry[];
  /** Pass this to the next call. */
  readonly cursor: ChangeCursor;
}

/** Counts only, never values. Expired entries still on disk (not yet purged) are counted, and also in `expired`. */
export interface VaultStats {
  readonly scopes: number;
  readonly entries: number;
  /** How many of `entries` are past their retention and will go with the next `purge({ expiredOnly: true })`. */
  readonly expired: number;
  readonly byLevel: Readonly<Record<string, number>>;
  readonly byType: Readonly<Record<string, number>>;
}

/** One live entry as `vault export` writes it: the value in clear, the scope only as an opaque tag. */
export interface ExportedEntry {
  /** Hex of the scope's keyed hash (the logical scope itself is never stored). */
  readonly scopeTag: string;
  readonly placeholder: string;
  readonly type: string;
  readonly level: PrivacyLevel;
  readonly value: string;
  /** Milliseconds since the epoch. */
  readonly created: number;
  readonly lastUsed: number;
  readonly expires: number;
}

export interface PurgeOptions {
  /** Only this logical scope; all scopes when absent. */
  readonly scope?: string;
  /** Only entries past their retention. */
  readonly expiredOnly?: boolean;
  readonly now?: number;
}

/** Retention in milliseconds per level, counted from last use; PL4 shortest. */
export type Retention = Readonly<Record<"PL2" | "PL3" | "PL4", number>>;

const DAY = 24 * 60 * 60 * 1000;
/** Default retention: PL4 7 days, PL3 30 days, PL2 90 days since last use. */
export const DEFAULT_RETENTION: Retention = { PL4: 7 * DAY, PL3: 30 * DAY, PL2: 90 * DAY };

/**
 * A scope is a logical string (for example `auth:<sha256>|session:<id>`); implementations store only a keyed
 * hash of it. Every method is atomic on its own.
 */
export interface Vault {
  readonly kind: "sqlite" | "postgres" | "memory";
  /**
   * Returns one entry per request item, in order: the existing entry for a value already in the scope (its
   * level raised if the new one is higher, never lowered; its retention renewed), or a new one with the next
   * free number for its name (names differing only in case share one counter; numbers are never reused).
   * Items repeated in one call get the same entry. A value whose entry expired gets a new number.
   */
  allocate(
    scope: string,
    items: readonly AllocationRequest[],
    options?: AllocateOptions,
  ): Promise<VaultEntry[]>;
  /**
   * Live entries for the given keys (`name_n`, any case) that exist in the scope, keyed by the key exactly as
   * passed; unknown and expired keys are absent.
   */
  resolve(scope: string, keys: readonly string[], options?: ReadOptions): Promise<Map<string, VaultEntry>>;
  /** Every live entry of the scope in allocation order (used to mask known values and to restore). */
  entries(scope: string, options?: ReadOptions): Promise<VaultEntry[]>;
  /**
   * The scope's entries changed since `since` (every live entry, as a reset, when `since` is absent or stale),
   * by any writer. Costs nothing per stored entry when nothing changed: a reader keeps its own index of the
   * scope up to date from this feed instead of reading {@link entries} again.
   */
  changes(scope: string, since?: ChangeCursor, options?: ReadOptions): Promise<ScopeChanges>;
  /**
   * A number that changes whenever the scope's live entries change — by any writer, or by an entry passing its
   * retention (cheap cache validation). Only comparable within one vault instance.
   */
  version(scope: string, options?: ReadOptions): Promise<number>;
  /**
   * Loads what the first request of each scope would otherwise read and decrypt (the most recently used scopes
   * first), a chunk per turn of the event loop, so a restart does not put a cost per stored value on the request
   * path. Optional; resolves with the number of entries loaded. Safe to race with requests and other writers.
   * `onScope` is handed each scope it loaded, as its tag ({@link scopeTag}) and the feed's first read
   * (`changes(scope)` without a cursor): a reader may build its index of the scope from it ahead of the scope's
   * first request and continue the feed from its cursor.
   */
  warm?(onScope?: (tag: string, changes: ScopeChanges) => void): Promise<number>;
  /**
   * The opaque tag (hex) a scope is stored under, the one `warm`'s `onScope` names it by. Present wherever
   * `warm` is.
   */
  scopeTag?(scope: string): string;
  /**
   * Resolves once the backend can serve (file opened, schema migrated, key checked); rejects with the reason
   * (PRX_VAULT_BAD_KEY, PRX_VAULT_FAILED) otherwise. Start-up awaits it, so a wrong key stops the proxy before
   * it listens.
   */
  ready(): Promise<void>;
  /** Counts per level and type, of one scope or of all. */
  stats(scope?: string, options?: ReadOptions): Promise<VaultStats>;
  /**
   * Every live entry with its value decrypted, of one scope or of all, in allocation order per scope: the
   * user's own copy of what the vault holds (`memprivacy vault export`). Never called by the proxy.
   */
  exportEntries(scope?: string, options?: ReadOptions): Promise<ExportedEntry[]>;
  /**
   * Deletes entries; returns how many. SQLite: the bytes are gone from disk (secure_delete + vacuum);
   * PostgreSQL: the rows are deleted and vacuumed (their ciphertext stays in free space until overwritten).
   */
  purge(options?: PurgeOptions): Promise<number>;
  /**
   * Binds placeholder keys (`name_n`, lower-case) to an upstream id in the scope — a response, conversation or
   * batch the scope's later requests continue — for `ttlMs` from now (renewed by each bind). Stored like
   * entries: the scope as its keyed tag, the id as a keyed MAC, the keys encrypted.
   */
  bind(
    scope: string,
    id: string,
    keys: readonly string[],
    ttlMs: number,
    options?: ReadOptions,
  ): Promise<void>;
  /** The keys bound to any of `ids` in the scope (unknown, expired and other scopes' ids give nothing). */
  bound(scope: string, ids: readonly string[], options?: ReadOptions): Promise<Set<string>>;
  /** Releases the backend (the database file or the connection pool); idempotent. */
  close(): Promise<void>;
}
