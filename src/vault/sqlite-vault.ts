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
  expiryOf,
  isExpired,
  makeEntry,
  needsTouch,
  normaliseReserved,
  pickNumber,
  raisedLevel,
  statsOf,
  storedLevel,
  validateItems,
  type WorkingRow,
} from "./allocation.js";
import { VaultCipher } from "./cipher.js";
import type { VaultKeys } from "./keys.js";
import { ScopeCache, ScopeCaches, type CachedRow } from "./scope-cache.js";
import { openDatabase } from "./sqlite-schema.js";
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

/** Working state of one value during an allocation transaction. */
interface Working extends WorkingRow {
  changed: boolean;
}

interface AllocationResult {
  readonly working: Map<string, Working>;
  readonly deletedKeys: string[];
  readonly before: number;
  readonly after: number;
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
    this.#readScope = this.#db.transaction((tag, cached) => this.#read(tag, cached));
    this.#allocateKnown = this.#db.transaction((tag, items, macs, now) => this.#known(tag, items, macs, now));
    this.#allocateTx = this.#db.transaction((tag, items, macs, now, reserved) =>
      this.#write(tag, items, macs, now, reserved),
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
      const out = new Map<string, VaultEntry>();
      for (const key of keys) {
        const entry = cache.live(key.toLowerCase(), now);
        if (entry !== undefined) out.set(key, entry);
      }
      return out;
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
    return this.#guard("stats", () => {
      const now = clockOf(readOptions?.now);
      const where = scope === undefined ? "" : "WHERE scope_tag = ?";
      const params: unknown[] = scope === undefined ? [] : [this.#cipher.scopeTag(scope)];
      const groups = this.#db
        .prepare(
          `SELECT level, type, count(*) AS c, sum(expires <= ?) AS x FROM entries ${where} GROUP BY level, type`,
        )
        .all(now, ...params) as { level: string; type: string; c: number; x: number }[];
      const scopes = this.#db
        .prepare(`SELECT count(DISTINCT scope_tag) FROM entries ${where}`)
        .pluck()
        .get(...params) as number;
      return statsOf(scopes, groups);
    });
  }

  async exportEntries(scope?: string, readOptions?: ReadOptions): Promise<ExportedEntry[]> {
    return this.#guard("export", () => {
      const now = clockOf(readOptions?.now);
      const where = scope === undefined ? "" : "AND scope_tag = ?";
      const params: unknown[] = scope === undefined ? [] : [this.#cipher.scopeTag(scope)];
      const read = this.#db.transaction(
        () =>
          this.#db
            .prepare(
              `SELECT scope_tag, placeholder_key, name, n, type, level, value_ct, created, last_used, expires
               FROM entries WHERE expires > ? ${where} ORDER BY scope_tag, id`,
            )
            .all(now, ...params) as (RowFull & { scope_tag: Buffer; created: number; last_used: number })[],
      );
      return read.deferred().map((row) => {
        const { entry } = this.#cachedRow(row.scope_tag, row);
        return {
          scopeTag: row.scope_tag.toString("hex"),
          placeholder: entry.placeholder,
          type: entry.type,
          level: entry.level,
          value: entry.value,
          created: row.created,
          lastUsed: row.last_used,
          expires: row.expires,
        };
      });
    });
  }

  async purge(purgeOptions?: PurgeOptions): Promise<number> {
    return this.#guard("purge", () => {
      const now = clockOf(purgeOptions?.now);
      const conditions: string[] = [];
      const params: (Buffer | number)[] = [];
      if (purgeOptions?.scope !== undefined) {
        conditions.push("scope_tag = ?");
        params.push(this.#cipher.scopeTag(purgeOptions.scope));
      }
      if (purgeOptions?.expiredOnly === true) {
        conditions.push("expires <= ?");
        params.push(now);
      }
      const where = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
      const purgeTx = this.#db.transaction(() => {
        const tags = this.#db
          .prepare(`SELECT DISTINCT scope_tag FROM entries ${where}`)
          .pluck()
          .all(...params) as Buffer[];
        // Counters and versions stay: numbers are never reused and versions never go back.
        for (const tag of tags) this.#stmt.bump.get(tag);
        const deleted = this.#db.prepare(`DELETE FROM entries ${where}`).run(...params).changes;
        return { tags, deleted };
      });
      const { tags, deleted } = purgeTx.immediate();
      for (const tag of tags) this.#caches.delete(tag.toString("hex"));
      if (deleted > 0) this.#scrub();
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
    if (cached !== undefined && (cached.dbVersion === dbVersion || this.#patchFromHeads(tag, cached))) {
      cached.dbVersion = dbVersion;
      return { dbVersion };
    }
    const rows = new Map<string, CachedRow>();
    for (const row of this.#stmt.rows.iterate(tag)) rows.set(row.placeholder_key, this.#cachedRow(tag, row));
    return { dbVersion, rows };
  }

  /**
   * Brings a cached scope up to another process's writes without decrypting what it already holds: one pass over
   * the rows' heads (no ciphertext) for levels and expiries, and only new rows decrypted. False (reload
   * everything) when rows were deleted or replaced.
   */
  #patchFromHeads(tag: Buffer, cached: ScopeCache): boolean {
    const fresh: number[] = [];
    const updates: CachedRow[] = [];
    let seen = 0;
    for (const head of this.#stmt.heads.iterate(tag)) {
      const row = cached.rows.get(head.placeholder_key);
      if (row === undefined) {
        fresh.push(head.id);
        continue;
      }
      if (row.id !== head.id) return false;
      seen++;
      const level = storedLevel(head.level);
      if (level !== row.entry.level || head.expires !== row.expires) {
        const entry = level === row.entry.level ? row.entry : makeEntry({ ...row.entry, level });
        updates.push({ id: row.id, entry, expires: head.expires });
      }
    }
    if (seen !== cached.rows.size) return false;
    const rows: CachedRow[] = [];
    for (const id of fresh) {
      const full = this.#stmt.rowById.get(id);
      if (full === undefined) return false;
      rows.push(this.#cachedRow(tag, full));
    }
    for (const row of updates) cached.put(row);
    for (const row of rows) cached.put(row);
    return true;
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

  /** Read-only path: every value already stored, live and recently used — the common case of a resent history. */
  #known(
    tag: Buffer,
    items: readonly AllocationRequest[],
    macs: readonly Buffer[],
    now: number,
  ): VaultEntry[] | undefined {
    const out: VaultEntry[] = [];
    for (const [i, item] of items.entries()) {
      const mac = macs[i];
      if (mac === undefined) return undefined;
      const row = this.#stmt.byMac.get(tag, mac);
      if (row === undefined || isExpired(row.expires, now)) return undefined;
      const level = storedLevel(row.level);
      if (needsTouch(this.#retention, { level, lastUsed: row.last_used }, item.level, now)) return undefined;
      // The MAC matched, so the stored value is this one: no need to decrypt it.
      out.push(makeEntry({ name: row.name, n: row.n, type: row.type, level, value: item.value }));
    }
    return out;
  }

  #write(
    tag: Buffer,
    items: readonly AllocationRequest[],
    macs: readonly Buffer[],
    now: number,
    reserved: ReadonlySet<string>,
  ): AllocationResult {
    const stmt = this.#stmt;
    const retention = this.#retention;
    const before = stmt.version.get(tag) ?? 0;
    const working = new Map<string, Working>();
    const deletedKeys: string[] = [];
    let dirty = false;
    for (const [i, item] of items.entries()) {
      const mac = macs[i];
      if (mac === undefined) throw new Error("unreachable: missing MAC");
      const macHex = mac.toString("hex");
      let state = working.get(macHex);
      if (state === undefined) {
        const row = stmt.byMac.get(tag, mac);
        if (row !== undefined && isExpired(row.expires, now)) {
          // Its number stays used (the counter is past it); the value gets a new one below.
          stmt.deleteId.run(row.id);
          deletedKeys.push(row.placeholder_key);
          dirty = true;
        } else if (row !== undefined) {
          state = {
            id: row.id,
            key: row.placeholder_key,
            name: row.name,
            n: row.n,
            type: row.type,
            level: storedLevel(row.level),
            lastUsed: row.last_used,
            expires: row.expires,
            changed: false,
          };
        }
      }
      if (state !== undefined) {
        if (needsTouch(retention, state, item.level, now)) {
          state.level = raisedLevel(state.level, item.level);
          state.lastUsed = Math.max(state.lastUsed, now);
          state.expires = expiryOf(retention, state.level, state.lastUsed);
          stmt.touch.run(state.level, state.lastUsed, state.expires, state.id);
          state.changed = true;
          dirty = true;
        }
        working.set(macHex, state);
        continue;
      }
      const lower = item.name.toLowerCase();
      const n = pickNumber(
        item.name,
        stmt.counter.get(tag, lower) ?? 1,
        reserved,
        (key) => stmt.keyTaken.get(tag, key) !== undefined,
      );
      const key = `${lower}_${n}`;
      const expires = expiryOf(retention, item.level, now);
      const ct = this.#cipher.encrypt(tag, key, item.value);
      const id = stmt.insert.get(tag, key, item.name, n, item.type, item.level, ct, mac, now, now, expires);
      if (id === undefined) throw new Error("unreachable: insert returned no id");
      stmt.setCounter.run(tag, lower, n + 1);
      working.set(macHex, {
        id,
        key,
        name: item.name,
        n,
        type: item.type,
        level: item.level,
        lastUsed: now,
        expires,
        changed: true,
      });
      dirty = true;
    }
    const after = dirty ? (stmt.bump.get(tag) ?? before) : before;
    return { working, deletedKeys, before, after };
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
    for (const key of result.deletedKeys) cache.remove(key);
    for (const [i, mac] of macs.entries()) {
      const state = result.working.get(mac.toString("hex"));
      const entry = entries[i];
      if (state === undefined || entry === undefined || !state.changed) continue;
      const before = cache.rows.get(state.key);
      if (before !== undefined && before.expires === state.expires && before.entry.level === entry.level)
        continue; // the same row twice in one call
      cache.put({ id: state.id, entry, expires: state.expires });
    }
    cache.dbVersion = result.after;
  }

  /**
   * Makes deleted bytes unreadable: secure_delete has zeroed the freed cells, the checkpoint moves those pages into
   * the main file and empties the WAL (which still held the old page images), and VACUUM rebuilds the file without
   * free pages so it also shrinks. A reader in another process can hold the WAL open; then the bytes go at the
   * next checkpoint instead.
   */
  #scrub(): void {
    this.#db.pragma("wal_checkpoint(TRUNCATE)");
    this.#db.exec("VACUUM");
    this.#db.pragma("wal_checkpoint(TRUNCATE)");
  }
}
