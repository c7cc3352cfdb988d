/**
 * The durable vault of one machine (docs/architecture.md, "The vault") on better-sqlite3 in WAL mode. Values are
 * stored only as ciphertext plus a keyed look-up MAC, scopes only as keyed tags (`cipher.ts`). Allocation runs in
 * one `BEGIN IMMEDIATE` transaction guarded by unique constraints, so several processes on one file never hand
 * out one placeholder for two values. Decrypted entries are cached per scope (`scope-cache.ts`) and revalidated
 * against `PRAGMA data_version` and a per-scope version row, so writes by other processes are seen. The work is
 * synchronous (better-sqlite3 is): one call cannot interleave with another in this process.
 */
import type Database from "better-sqlite3";
import { ProxyError } from "../errors/catalogue.js";
import {
  clockOf,
  exportedEntry,
  makeEntry,
  normaliseReserved,
  storedLevel,
  validateItems,
} from "./allocation.js";
import { VaultCipher } from "./cipher.js";
import type { VaultKeys } from "./keys.js";
import { ScopeCache, ScopeCaches, type CachedRow } from "./scope-cache.js";
import { countEntries, deleteEntries, liveRows, scrub } from "./sqlite-admin.js";
import {
  knownEntries,
  writeAllocation,
  type AllocationContext,
  type AllocationResult,
} from "./sqlite-allocate.js";
import { openDatabase } from "./sqlite-schema.js";
import { applyOwnWrite, patchFromHeads } from "./sqlite-sync.js";
import { prepare, type RowFull, type Statements } from "./sqlite-statements.js";
import { DEFAULT_RETENTION } from "./vault.js";
import type {
  AllocateOptions,
  AllocationRequest,
  ChangeCursor,
  ExportedEntry,
  PurgeOptions,
  ReadOptions,
  Retention,
  ScopeChanges,
  Vault,
  VaultEntry,
  VaultStats,
} from "./vault.js";

export { VAULT_SCHEMA_VERSION } from "./sqlite-schema.js";

/** How long a write waits for another process's transaction before failing (ms). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** Scopes whose decrypted entries are kept in memory at once (least recently used are dropped). */
const CACHED_SCOPES = 1024;
/** Rows decrypted per turn of the event loop by `warm()`. */
const WARM_CHUNK_ROWS = 2000;

/** Options of {@link createSqliteVault}. */
export interface SqliteVaultOptions {
  /** Database file; created (mode 0600) when missing. Its directory must exist. */
  readonly file: string;
  readonly keys: VaultKeys;
  /** Default {@link DEFAULT_RETENTION}. */
  readonly retention?: Retention;
  /** Default {@link DEFAULT_BUSY_TIMEOUT_MS}. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (or creates) the encrypted vault in `file`. Throws PRX_VAULT_BAD_KEY, without writing anything, when the
 * file was created with another key, and PRX_VAULT_FAILED when it cannot be opened or is not a vault.
 */
export function createSqliteVault(options: SqliteVaultOptions): Vault {
  return new SqliteVault(options);
}

class SqliteVault implements Vault {
  readonly kind = "sqlite";
  readonly #db: Database.Database;
  readonly #stmt: Statements;
  readonly #cipher: VaultCipher;
  readonly #retention: Retention;
  readonly #context: AllocationContext;
  readonly #caches = new ScopeCaches(CACHED_SCOPES);
  /** The `PRAGMA data_version` each cache was last checked at (-1: check again). */
  readonly #checked = new WeakMap<ScopeCache, { dataVersion: number }>();
  #versions = 0;
  #closed = false;
  readonly #next = (): number => ++this.#versions;
  readonly #readScope: Database.Transaction<
    (tag: Buffer, cached: ScopeCache | undefined) => { dbVersion: number; rows?: Map<string, CachedRow> }
  >;
  readonly #allocateKnown: Database.Transaction<
    (
      tag: Buffer,
      items: readonly AllocationRequest[],
      macs: readonly Buffer[],
      now: number,
    ) => VaultEntry[] | undefined
  >;
  readonly #allocateTx: Database.Transaction<
    (
      tag: Buffer,
      items: readonly AllocationRequest[],
      macs: readonly Buffer[],
      now: number,
      reserved: ReadonlySet<string>,
    ) => AllocationResult
  >;
  readonly #bindTx: Database.Transaction<
    (tag: Buffer, mac: Buffer, add: readonly string[], expires: number, now: number) => void
  >;

  constructor(options: SqliteVaultOptions) {
    this.#cipher = new VaultCipher(options.keys);
    this.#retention = options.retention ?? DEFAULT_RETENTION;
    this.#db = openDatabase(options.file, options.keys, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    this.#stmt = prepare(this.#db);
    this.#context = { stmt: this.#stmt, cipher: this.#cipher, retention: this.#retention };
    this.#readScope = this.#db.transaction((tag, cached) => this.#read(tag, cached));
    this.#allocateKnown = this.#db.transaction((tag, items, macs, now) =>
      knownEntries(this.#context, tag, items, macs, now),
    );
    this.#allocateTx = this.#db.transaction((tag, items, macs, now, reserved) =>
      writeAllocation(this.#context, tag, items, macs, now, reserved),
    );
    this.#bindTx = this.#db.transaction((tag, mac, add, expires, now) => {
      const merged = [...new Set([...this.#readBinding(tag, mac, now), ...add])];
      this.#stmt.setBinding.run(tag, mac, this.#cipher.encryptKeys(tag, mac, merged), expires);
      this.#stmt.dropExpiredBindings.run(now);
    });
  }

  async ready(): Promise<void> {
    // Opened and checked in the constructor.
  }

  async allocate(
    scope: string,
    items: readonly AllocationRequest[],
    allocateOptions?: AllocateOptions,
  ): Promise<VaultEntry[]> {
    validateItems(items);
    if (items.length === 0) return [];
    return this.#guard("allocate", () => {
      const now = clockOf(allocateOptions?.now);
      const tag = this.#cipher.scopeTag(scope);
      const macs = items.map((item) => this.#cipher.valueMac(tag, item.value));
      // One read transaction: a consistent snapshot, and one WAL read lock instead of one per item.
      const known = this.#allocateKnown.deferred(tag, items, macs, now);
      if (known !== undefined) return known;
      const reserved = normaliseReserved(allocateOptions?.reserved);
      const result = this.#allocateTx.immediate(tag, items, macs, now, reserved);
      const entries = items.map((item, i) => {
        const state = result.working.get(macs[i]?.toString("hex") ?? "");
        if (state === undefined) throw new Error("unreachable: allocated value missing");
        return makeEntry({ ...state, value: item.value });
      });
      this.#patchCache(tag, result, macs, entries);
      return entries;
    });
  }

  async resolve(
    scope: string,
    keys: readonly string[],
    readOptions?: ReadOptions,
  ): Promise<Map<string, VaultEntry>> {
    return this.#guard("resolve", () => {
      const now = clockOf(readOptions?.now);
      const cache = this.#sync(this.#cipher.scopeTag(scope), now);
      return cache.resolve(keys, now);
    });
  }

  async entries(scope: string, readOptions?: ReadOptions): Promise<VaultEntry[]> {
    return this.#guard("entries", () => {
      const now = clockOf(readOptions?.now);
      return this.#sync(this.#cipher.scopeTag(scope), now).liveEntries(now);
    });
  }

  async changes(scope: string, since?: ChangeCursor, readOptions?: ReadOptions): Promise<ScopeChanges> {
    return this.#guard("changes", () => {
      const now = clockOf(readOptions?.now);
      return this.#sync(this.#cipher.scopeTag(scope), now).changes(since, now);
    });
  }

  async version(scope: string, readOptions?: ReadOptions): Promise<number> {
    return this.#guard(
      "version",
      () => this.#sync(this.#cipher.scopeTag(scope), clockOf(readOptions?.now)).local,
    );
  }

  async warm(): Promise<number> {
    if (this.#closed) return 0;
    // The scopes to load and their versions, read before any row: a write after this bumps a version, and the
    // first sync of that scope then reconciles the loaded rows with the database.
    const wanted = new Map<string, { tag: Buffer; dbVersion: number; rows: Map<string, CachedRow> }>();
    for (const tag of this.#guard("warm", () => this.#stmt.recentTags.all(CACHED_SCOPES))) {
      const hex = tag.toString("hex");
      if (!this.#caches.has(hex))
        wanted.set(hex, { tag, dbVersion: this.#stmt.version.get(tag) ?? 0, rows: new Map() });
    }
    let loaded = 0;
    let after = 0;
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#closed || wanted.size === 0) return loaded;
      const chunk = this.#guard("warm", () => this.#stmt.warmChunk.all(after, WARM_CHUNK_ROWS));
      if (chunk.length === 0) break;
      for (const row of chunk) {
        after = row.id;
        const scope = wanted.get(row.scope_tag.toString("hex"));
        if (scope === undefined) continue;
        scope.rows.set(row.placeholder_key, this.#cachedRow(scope.tag, row));
        loaded++;
      }
    }
    const now = Date.now();
    for (const [hex, scope] of wanted) {
      // A request loaded the scope meanwhile: its copy is at least as fresh.
      if (this.#caches.has(hex) || this.#caches.full) continue;
      const cache = new ScopeCache(scope.rows, scope.dbVersion, now, this.#next);
      // Checked again at the first use: the rows came from several read transactions.
      this.#checked.set(cache, { dataVersion: -1 });
      this.#caches.set(hex, cache);
    }
    return loaded;
  }

  async stats(scope?: string, readOptions?: ReadOptions): Promise<VaultStats> {
    return this.#guard("stats", () =>
      countEntries(
        this.#db,
        scope === undefined ? undefined : this.#cipher.scopeTag(scope),
        clockOf(readOptions?.now),
      ),
    );
  }

  async exportEntries(scope?: string, readOptions?: ReadOptions): Promise<ExportedEntry[]> {
    return this.#guard("export", () => {
      const tag = scope === undefined ? undefined : this.#cipher.scopeTag(scope);
      return liveRows(this.#db, tag, clockOf(readOptions?.now)).map((row) => {
        const { entry } = this.#cachedRow(row.scope_tag, row);
        return exportedEntry(row.scope_tag, entry, {
          created: row.created,
          lastUsed: row.last_used,
          expires: row.expires,
        });
      });
    });
  }

  async purge(purgeOptions?: PurgeOptions): Promise<number> {
    return this.#guard("purge", () => {
      const now = clockOf(purgeOptions?.now);
      const tag = purgeOptions?.scope === undefined ? undefined : this.#cipher.scopeTag(purgeOptions.scope);
      const expiredBy = purgeOptions?.expiredOnly === true ? now : undefined;
      const { tags, deleted } = deleteEntries(this.#db, this.#stmt, tag, expiredBy);
      for (const t of tags) this.#caches.delete(t.toString("hex"));
      if (deleted > 0) scrub(this.#db);
      return deleted;
    });
  }

  async bind(
    scope: string,
    id: string,
    bindKeys: readonly string[],
    ttlMs: number,
    readOptions?: ReadOptions,
  ): Promise<void> {
    if (id.length === 0) return;
    this.#guard("bind", () => {
      const now = clockOf(readOptions?.now);
      const tag = this.#cipher.scopeTag(scope);
      this.#bindTx.immediate(tag, this.#cipher.bindingMac(tag, id), bindKeys, now + ttlMs, now);
    });
  }

  async bound(scope: string, ids: readonly string[], readOptions?: ReadOptions): Promise<Set<string>> {
    return this.#guard("bound", () => {
      const now = clockOf(readOptions?.now);
      const tag = this.#cipher.scopeTag(scope);
      const out = new Set<string>();
      for (const id of ids)
        for (const key of this.#readBinding(tag, this.#cipher.bindingMac(tag, id), now)) out.add(key);
      return out;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#caches.clear();
    this.#cipher.clear();
    this.#db.close();
  }

  #guard<T>(what: string, fn: () => T): T {
    if (this.#closed) throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault is closed" });
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof ProxyError) throw cause;
      // SQLite messages name tables and constraints, never bound values, so the cause is safe to keep for logs.
      throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: `vault ${what} failed` });
    }
  }

  #cachedRow(tag: Buffer, row: RowFull): CachedRow {
    const value = this.#cipher.decrypt(tag, row.placeholder_key, row.value_ct);
    const entry = makeEntry({
      name: row.name,
      n: row.n,
      type: row.type,
      level: storedLevel(row.level),
      value,
    });
    return { id: row.id, entry, expires: row.expires };
  }

  #readBinding(tag: Buffer, mac: Buffer, now: number): string[] {
    const row = this.#stmt.binding.get(tag, mac, now);
    return row === undefined ? [] : this.#cipher.decryptKeys(tag, mac, row.keys_ct);
  }

  /** Reads a scope's version and, when it moved, patches or reloads its rows, in one snapshot. */
  #read(tag: Buffer, cached: ScopeCache | undefined): { dbVersion: number; rows?: Map<string, CachedRow> } {
    const dbVersion = this.#stmt.version.get(tag) ?? 0;
    if (
      cached !== undefined &&
      (cached.dbVersion === dbVersion ||
        patchFromHeads(this.#stmt, (row) => this.#cachedRow(tag, row), tag, cached))
    ) {
      cached.dbVersion = dbVersion;
      return { dbVersion };
    }
    const rows = new Map<string, CachedRow>();
    for (const row of this.#stmt.rows.iterate(tag)) rows.set(row.placeholder_key, this.#cachedRow(tag, row));
    return { dbVersion, rows };
  }

  /** The decrypted rows of a scope, revalidated against the database (so other processes' writes are seen). */
  #sync(tag: Buffer, now: number): ScopeCache {
    const hex = tag.toString("hex");
    const cached = this.#caches.get(hex);
    // Read before the scope's version: a commit landing in between only makes the next call look again.
    const dataVersion = this.#stmt.dataVersion.get() ?? -1;
    const checked = cached === undefined ? undefined : this.#checked.get(cached);
    if (cached !== undefined && checked !== undefined && checked.dataVersion === dataVersion) {
      // No other connection committed since the cache was checked (our own writes patch it directly).
      cached.checkExpiry(now);
      return cached;
    }
    const read = this.#readScope.deferred(tag, cached);
    if (cached !== undefined && read.rows === undefined) {
      this.#checked.set(cached, { dataVersion });
      cached.checkExpiry(now);
      return cached;
    }
    const fresh = new ScopeCache(read.rows ?? new Map<string, CachedRow>(), read.dbVersion, now, this.#next);
    this.#checked.set(fresh, { dataVersion });
    this.#caches.set(hex, fresh);
    return fresh;
  }

  /** After our own write, apply it to the cache instead of decrypting the whole scope again. */
  #patchCache(
    tag: Buffer,
    result: AllocationResult,
    macs: readonly Buffer[],
    entries: readonly VaultEntry[],
  ): void {
    if (result.after === result.before) return;
    const cache = this.#caches.peek(tag.toString("hex"));
    if (cache === undefined) return;
    const checked = this.#checked.get(cache);
    if (cache.dbVersion !== result.before) {
      // Another process wrote in between: the next read reloads.
      if (checked !== undefined) checked.dataVersion = -1;
      return;
    }
    applyOwnWrite(cache, result, macs, entries);
    cache.dbVersion = result.after;
  }
}
