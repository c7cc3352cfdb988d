/**
 * The durable vault of one machine (docs/architecture.md, "The vault") on better-sqlite3 in WAL mode. Values are
 * stored only as ciphertext plus a keyed look-up MAC, scopes only as keyed tags (`cipher.ts`). Allocation runs in
 * one `BEGIN IMMEDIATE` transaction guarded by unique constraints, so several processes on one file never hand
 * out one placeholder for two values. Decrypted entries are cached per scope (`scope-cache.ts`) and revalidated
 * against `PRAGMA data_version` and a per-scope version row, so writes by other processes are seen. Each
 * statement and transaction is synchronous (better-sqlite3 is): one cannot interleave with another in this
 * process. Only a cold scope's load spans turns of the event loop (a slice of rows per turn); its caller
 * revalidates what it installed, as it would any cached scope.
 */
import type Database from "better-sqlite3";
import { ProxyError } from "../errors/catalogue.js";
import { entriesOf, type AllocationCall } from "./allocation.js";
import { CACHED_SCOPES, DurableVault } from "./durable-vault.js";
import type { VaultKeys } from "./keys.js";
import type { CachedRow, ScopeCache } from "./scope-cache.js";
import { countEntries, deleteEntries, liveRows, scrub, type ExportRow } from "./sqlite-admin.js";
import {
  knownEntries,
  writeAllocation,
  type AllocationContext,
  type AllocationResult,
} from "./sqlite-allocate.js";
import { openDatabase } from "./sqlite-schema.js";
import { applyOwnWrite, patchFromHeads } from "./sqlite-sync.js";
import { prepare, type RowFull, type Statements } from "./sqlite-statements.js";
import type { Retention, ScopeChanges, Vault, VaultEntry, VaultStats } from "./vault.js";

export { VAULT_SCHEMA_VERSION } from "./sqlite-schema.js";

/** How long a write waits for another process's transaction before failing (ms). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** Rows decrypted per turn of the event loop by `warm()`. */
const WARM_CHUNK_ROWS = 2000;
/** Rows a scope's load reads per turn of the event loop. */
const LOAD_CHUNK_ROWS = 1000;

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

class SqliteVault extends DurableVault {
  readonly kind = "sqlite";
  readonly #db: Database.Database;
  readonly #stmt: Statements;
  readonly #context: AllocationContext;
  /** The `PRAGMA data_version` each cache was last checked at (-1: check again). */
  readonly #checked = new WeakMap<ScopeCache, { dataVersion: number }>();
  /** `PRAGMA data_version` as read in this synchronous turn (undefined: read it), see {@link #dataVersion}. */
  #turnDataVersion: number | undefined;
  readonly #revalidate: Database.Transaction<(tag: Buffer, cached: ScopeCache) => boolean>;
  readonly #allocateKnown: Database.Transaction<(call: AllocationCall) => VaultEntry[] | undefined>;
  readonly #allocateTx: Database.Transaction<(call: AllocationCall) => AllocationResult>;
  readonly #bindTx: Database.Transaction<
    (tag: Buffer, mac: Buffer, add: readonly string[], expires: number, now: number) => void
  >;

  constructor(options: SqliteVaultOptions) {
    super(options.keys, options.retention);
    this.#db = openDatabase(options.file, options.keys, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    this.#stmt = prepare(this.#db);
    this.#context = { stmt: this.#stmt, cipher: this.cipher, retention: this.retention };
    this.#revalidate = this.#db.transaction((tag, cached) => this.#isCurrent(tag, cached));
    this.#allocateKnown = this.#db.transaction((call) => knownEntries(this.#context, call));
    this.#allocateTx = this.#db.transaction((call) => writeAllocation(this.#context, call));
    this.#bindTx = this.#db.transaction((tag, mac, add, expires, now) => {
      const merged = [...new Set([...this.#readBinding(tag, mac, now), ...add])];
      this.#stmt.setBinding.run(tag, mac, this.cipher.encryptKeys(tag, mac, merged), expires);
      this.#stmt.dropExpiredBindings.run(now);
    });
  }

  async ready(): Promise<void> {
    // Opened and checked in the constructor.
  }

  protected allocateIn(call: AllocationCall): VaultEntry[] {
    // One read transaction: a consistent snapshot, and one WAL read lock instead of one per item.
    const known = this.#allocateKnown.deferred(call);
    if (known !== undefined) return known;
    const result = this.#allocateTx.immediate(call);
    const entries = entriesOf(call, result.working);
    this.#patchCache(call.tag, result, call.macs, entries);
    return entries;
  }

  async warm(onScope?: (tag: string, changes: ScopeChanges) => void): Promise<number> {
    if (this.closed) return 0;
    // The scopes to load and their versions, read before any row: a write after this bumps a version, and the
    // first sync of that scope then reconciles the loaded rows with the database.
    const wanted = new Map<string, { tag: Buffer; dbVersion: number; rows: Map<string, CachedRow> }>();
    for (const tag of await this.guard("warm", () => this.#stmt.recentTags.all(CACHED_SCOPES))) {
      const hex = tag.toString("hex");
      if (!this.caches.has(hex))
        wanted.set(hex, { tag, dbVersion: this.#stmt.version.get(tag) ?? 0, rows: new Map() });
    }
    let loaded = 0;
    let after = 0;
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.closed || wanted.size === 0) return loaded;
      const chunk = await this.guard("warm", () => this.#stmt.warmChunk.all(after, WARM_CHUNK_ROWS));
      if (chunk.length === 0) break;
      for (const row of chunk) {
        after = row.id;
        const scope = wanted.get(row.scope_tag.toString("hex"));
        if (scope === undefined) continue;
        scope.rows.set(row.placeholder_key, this.decryptRow(scope.tag, row));
        loaded++;
      }
    }
    const now = Date.now();
    for (const [hex, scope] of wanted) {
      // A request loaded the scope meanwhile: its copy is at least as fresh.
      if (this.caches.has(hex) || this.caches.full) continue;
      const cache = this.install(hex, scope.rows, scope.dbVersion, now);
      // Checked again at the first use: the rows came from several read transactions.
      this.#checked.set(cache, { dataVersion: -1 });
      if (onScope !== undefined) {
        // The feed's first read, handed over (a reader continues from its cursor), a scope per turn.
        onScope(hex, cache.changes(undefined, now));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    return loaded;
  }

  protected writeBinding(
    tag: Buffer,
    mac: Buffer,
    keys: readonly string[],
    expires: number,
    now: number,
  ): void {
    this.#bindTx.immediate(tag, mac, keys, expires, now);
  }

  protected readBindings(tag: Buffer, macs: readonly Buffer[], now: number): Set<string> {
    const out = new Set<string>();
    for (const mac of macs) for (const key of this.#readBinding(tag, mac, now)) out.add(key);
    return out;
  }

  protected countRows(tag: Buffer | undefined, now: number): VaultStats {
    return countEntries(this.#db, tag, now);
  }

  protected liveRows(tag: Buffer | undefined, now: number): ExportRow[] {
    return liveRows(this.#db, tag, now);
  }

  protected deleteRows(
    tag: Buffer | undefined,
    expiredBy: number | undefined,
  ): { tags: Buffer[]; deleted: number } {
    return deleteEntries(this.#db, this.#stmt, tag, expiredBy);
  }

  protected reclaim(): void {
    scrub(this.#db);
  }

  protected closeStore(): void {
    this.#db.close();
  }

  protected safeCause(err: unknown): unknown {
    // SQLite messages name tables and constraints, never bound values, so the cause is safe to keep for logs.
    return err;
  }

  #readBinding(tag: Buffer, mac: Buffer, now: number): string[] {
    const row = this.#stmt.binding.get(tag, mac, now);
    return row === undefined ? [] : this.cipher.decryptKeys(tag, mac, row.keys_ct);
  }

  /** True when the cached scope is current: its version did not move, or its rows were patched from their heads. */
  #isCurrent(tag: Buffer, cached: ScopeCache): boolean {
    const dbVersion = this.#stmt.version.get(tag) ?? 0;
    if (
      cached.dbVersion !== dbVersion &&
      !patchFromHeads(this.#stmt, (row) => this.decryptRow(tag, row), tag, cached)
    )
      return false;
    cached.dbVersion = dbVersion;
    return true;
  }

  /** The decrypted rows of a scope, revalidated against the database (so other processes' writes are seen). */
  protected sync(tag: Buffer, now: number): ScopeCache | Promise<ScopeCache> {
    const hex = tag.toString("hex");
    const cached = this.caches.get(hex);
    // Read before the scope's version: a commit landing in between only makes the next call look again.
    const dataVersion = this.#dataVersion();
    if (cached !== undefined) {
      // No other connection committed since the cache was checked (our own writes patch it directly).
      if (this.#checked.get(cached)?.dataVersion === dataVersion) {
        cached.checkExpiry(now);
        return cached;
      }
      // Or the scope's version did not move, or the cache could be patched from the rows' heads.
      if (this.#revalidate.deferred(tag, cached)) {
        this.#checked.set(cached, { dataVersion });
        cached.checkExpiry(now);
        return cached;
      }
      // Rows were deleted or replaced: read the scope again, as a cold one.
      this.caches.delete(hex);
    }
    return this.loadScope(
      hex,
      tag,
      () => this.#readRows(tag),
      (snapshot, rows) => {
        const fresh = this.install(hex, rows, snapshot.dbVersion, now);
        // Checked at once by the caller: writes may have landed while the rows were decrypted.
        this.#checked.set(fresh, { dataVersion: -1 });
        return fresh;
      },
    ).then(() => this.sync(tag, now));
  }

  /**
   * A scope's version and its ciphertext rows in allocation order, read {@link LOAD_CHUNK_ROWS} at a time with a
   * turn of the event loop between reads (reading rows costs ~5–10 µs each, so a scope of 100k values read at
   * once would hold the loop for ~1 s). The rows come from several read transactions, like the warm-up's: the
   * version is read first, so a write during the reads moves it and the caller's revalidation patches or reloads.
   */
  async #readRows(tag: Buffer): Promise<{ dbVersion: number; rows: RowFull[] }> {
    const dbVersion = this.#stmt.version.get(tag) ?? 0;
    const rows: RowFull[] = [];
    for (let after = ""; ;) {
      const chunk = this.#stmt.rowsAfter.all(tag, after, LOAD_CHUNK_ROWS);
      for (const row of chunk) rows.push(row);
      const last = chunk[chunk.length - 1];
      if (last === undefined || chunk.length < LOAD_CHUNK_ROWS) break;
      after = last.placeholder_key;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.closed) throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault is closed" });
    }
    return { dbVersion, rows: rows.sort((a, b) => a.id - b.id) };
  }

  /**
   * `PRAGMA data_version`, read once per synchronous turn: reads started together (a request's two partitions)
   * share one check of the file, as if both had run at the first one's instant. The memo is dropped in the
   * next microtask, so a read in a later turn looks at the file again.
   */
  #dataVersion(): number {
    if (this.#turnDataVersion !== undefined) return this.#turnDataVersion;
    const dataVersion = this.#stmt.dataVersion.get() ?? -1;
    this.#turnDataVersion = dataVersion;
    queueMicrotask(() => {
      this.#turnDataVersion = undefined;
    });
    return dataVersion;
  }

  /** After our own write, apply it to the cache instead of decrypting the whole scope again. */
  #patchCache(
    tag: Buffer,
    result: AllocationResult,
    macs: readonly Buffer[],
    entries: readonly VaultEntry[],
  ): void {
    if (result.after === result.before) return;
    const cache = this.caches.peek(tag.toString("hex"));
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
