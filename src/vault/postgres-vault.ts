/**
 * The shared vault (docs/architecture.md, "The vault") on PostgreSQL through `pg`, for proxy replicas: the same
 * rows, encryption and keyed look-up as the SQLite vault (`cipher.ts`), so the database never holds a value in
 * clear nor a logical scope.
 *
 * - Allocation is one transaction that first locks the scope's row in `scopes` (`SELECT … FOR UPDATE`): writers of
 *   a scope, in any replica, run one after another, so two replicas that see the same new value return the same
 *   placeholder, and per-name counters advance in the same transaction (numbers are never reused). The unique
 *   constraints on (scope, value MAC) and (scope, placeholder) stand behind it: a bug would fail, not duplicate.
 * - Coherence: each replica caches a scope's decrypted rows (`scope-cache.ts`) and polls one indexed query per
 *   read — the rows whose `changed` version is past what it holds, and the scope's epoch (moved by purges and
 *   replacements after expiry: start over). A cached row can only be missing, never wrong: a key's value never
 *   changes, and a scope whose epoch moved is reloaded. When the clock passes a cached expiry the scope is reloaded
 *   too, since another replica may have renewed it.
 * - Fail closed: every error (database down, a timeout, a pool exhausted) is PRX_VAULT_FAILED (503, nothing
 *   forwarded), with the database's message but never its `detail` (which can quote row contents). The pool
 *   reconnects by itself: recovery needs no restart.
 */
import pg from "pg";
import { ProxyError } from "../errors/catalogue.js";
import type { AllocationCall, AllocationContext } from "./allocation.js";
import { CACHED_SCOPES, DurableVault } from "./durable-vault.js";
import type { VaultKeys } from "./keys.js";
import { allocateKnown, writeAllocation } from "./postgres-allocate.js";
import {
  countEntries,
  deleteEntries,
  liveRows,
  recentScopes,
  safeCause,
  scopeRows,
} from "./postgres-admin.js";
import { AllocationBatches } from "./postgres-batches.js";
import { INT8_AS_NUMBER, migrate, PG_SCHEMA, type EntryRow } from "./postgres-schema.js";
import type { CachedRow, ScopeCache } from "./scope-cache.js";
import type { Retention, ScopeChanges, Vault, VaultEntry, VaultStats } from "./vault.js";

const S = PG_SCHEMA;

/** Options of {@link createPostgresVault}. */
export interface PostgresVaultOptions {
  /** `postgres://…` connection string. */
  readonly url: string;
  readonly keys: VaultKeys;
  readonly retention?: Retention;
  /** Most connections this replica opens. */
  readonly poolSize: number;
  /** Deadline of connecting, of waiting for a free connection, and of each statement (ms). */
  readonly timeoutMs: number;
}

/** Opens the shared vault; the schema is migrated and the key checked by {@link Vault.ready} (and first use). */
export function createPostgresVault(options: PostgresVaultOptions): Vault {
  return new PostgresVault(options);
}

class PostgresVault extends DurableVault {
  readonly kind = "postgres";
  readonly #pool: pg.Pool;
  readonly #keys: VaultKeys;
  readonly #context: AllocationContext;
  /** Each cache's database epoch (rows left the scope when it differs). */
  readonly #epochs = new WeakMap<ScopeCache, number>();
  #migrated: Promise<void> | undefined;
  readonly #batches = new AllocationBatches((call) =>
    this.#transaction((client) => writeAllocation(client, this.#context, call)),
  );

  constructor(options: PostgresVaultOptions) {
    super(options.keys, options.retention);
    this.#keys = options.keys;
    this.#context = { cipher: this.cipher, retention: this.retention };
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: options.timeoutMs,
      idleTimeoutMillis: 30_000,
      statement_timeout: options.timeoutMs,
      query_timeout: options.timeoutMs + 1000,
      application_name: "memprivacy-proxy",
      types: INT8_AS_NUMBER,
    });
    // An idle connection dropped by the server (a restart, a failover) must not crash the process: the pool
    // forgets it and the next query opens a new one.
    this.#pool.on("error", () => undefined);
  }

  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new ProxyError("PRX_VAULT_FAILED", { detail: "vault is closed" }));
    this.#migrated ??= migrate(this.#pool, this.#keys).catch((err: unknown) => {
      // A database that is down is tried again by the next call; a wrong key or a newer schema stays an error.
      if (!(err instanceof ProxyError)) this.#migrated = undefined;
      throw this.failure("open", err);
    });
    return this.#migrated;
  }

  protected async allocateIn(call: AllocationCall): Promise<VaultEntry[]> {
    return (await allocateKnown(this.#pool, this.#context, call)) ?? this.#batches.allocate(call);
  }

  async warm(onScope?: (tag: string, changes: ScopeChanges) => void): Promise<number> {
    if (this.closed) return 0;
    await this.ready();
    // The most recently used scopes, each with the version and epoch read before its rows: what a write adds
    // later is fetched by the first read of the scope (changed > version), a deletion makes it start over.
    const scopes = await this.guard("warm", () => recentScopes(this.#pool, CACHED_SCOPES));
    let loaded = 0;
    for (const scope of scopes) {
      const hex = scope.scope_tag.toString("hex");
      if (this.closed) return loaded;
      if (this.caches.has(hex)) continue;
      const rows = await this.guard("warm", () => scopeRows(this.#pool, scope.scope_tag));
      const map = new Map<string, CachedRow>();
      for (const [i, row] of rows.entries()) {
        // A turn of the event loop every 2,000 rows, so requests are not held behind the decryption.
        if (i > 0 && i % 2000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        map.set(row.placeholder_key, this.decryptRow(row.scope_tag, row));
      }
      // A request loaded the scope meanwhile: its copy is at least as fresh.
      if (this.caches.has(hex) || this.caches.full || this.closed) continue;
      const now = Date.now();
      const cache = this.install(hex, map, scope.version, now);
      this.#epochs.set(cache, scope.epoch);
      loaded += map.size;
      // The feed's first read, handed over: a reader continues from its cursor (the first read revalidates).
      onScope?.(hex, cache.changes(undefined, now));
    }
    return loaded;
  }

  protected async writeBinding(
    tag: Buffer,
    mac: Buffer,
    keys: readonly string[],
    expires: number,
    now: number,
  ): Promise<void> {
    await this.#transaction(async (client) => {
      // The row exists (locked) before it is read, so two replicas binding one id merge instead of racing.
      await client.query(
        `INSERT INTO ${S}.bindings (scope_tag, id_mac, keys_ct, expires) VALUES ($1, $2, $3, 0)
         ON CONFLICT (scope_tag, id_mac) DO NOTHING`,
        [tag, mac, this.cipher.encryptKeys(tag, mac, [])],
      );
      const row = await client.query<{ keys_ct: Buffer; expires: number }>(
        `SELECT keys_ct, expires FROM ${S}.bindings WHERE scope_tag = $1 AND id_mac = $2 FOR UPDATE`,
        [tag, mac],
      );
      const held = row.rows[0];
      const before =
        held === undefined || held.expires <= now ? [] : this.cipher.decryptKeys(tag, mac, held.keys_ct);
      const merged = [...new Set([...before, ...keys])];
      await client.query(
        `UPDATE ${S}.bindings SET keys_ct = $3, expires = $4 WHERE scope_tag = $1 AND id_mac = $2`,
        [tag, mac, this.cipher.encryptKeys(tag, mac, merged), expires],
      );
      await client.query(`DELETE FROM ${S}.bindings WHERE expires <= $1 AND expires > 0`, [now]);
    });
  }

  protected async readBindings(tag: Buffer, macs: readonly Buffer[], now: number): Promise<Set<string>> {
    const out = new Set<string>();
    const rows = await this.#pool.query<{ id_mac: Buffer; keys_ct: Buffer }>(
      `SELECT id_mac, keys_ct FROM ${S}.bindings WHERE scope_tag = $1 AND id_mac = ANY($2::bytea[]) AND expires > $3`,
      [tag, macs, now],
    );
    for (const row of rows.rows)
      for (const key of this.cipher.decryptKeys(tag, row.id_mac, row.keys_ct)) out.add(key);
    return out;
  }

  protected countRows(tag: Buffer | undefined, now: number): Promise<VaultStats> {
    return countEntries(this.#pool, tag, now);
  }

  protected liveRows(tag: Buffer | undefined, now: number): Promise<EntryRow[]> {
    return liveRows(this.#pool, tag, now);
  }

  protected deleteRows(
    tag: Buffer | undefined,
    expiredBy: number | undefined,
  ): Promise<{ tags: Buffer[]; deleted: number }> {
    return this.#transaction((client) => deleteEntries(client, tag, expiredBy));
  }

  protected async reclaim(): Promise<void> {
    // Reclaims the dead rows' space for reuse; the ciphertext stays in free pages until overwritten.
    await this.#pool.query(`VACUUM ${S}.entries`).catch(() => undefined);
  }

  protected async closeStore(): Promise<void> {
    await this.#migrated?.catch(() => undefined);
    await this.#pool.end();
  }

  protected safeCause(err: unknown): Error {
    // The database's `detail` can quote row contents: only its message is kept.
    return safeCause(err);
  }

  async #transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let ok = false;
    try {
      await client.query("BEGIN");
      const out = await fn(client);
      await client.query("COMMIT");
      ok = true;
      return out;
    } finally {
      if (!ok) await client.query("ROLLBACK").catch(() => undefined);
      // A connection that failed mid-transaction is dropped rather than reused.
      client.release(!ok);
    }
  }

  /**
   * The scope's rows as the database holds them now: one query for what changed past the cached version (and
   * the scope's epoch), or a full load when the cache is new, the epoch moved, or a cached expiry passed.
   */
  protected async sync(tag: Buffer, now: number): Promise<ScopeCache> {
    const hex = tag.toString("hex");
    const cached = this.caches.get(hex);
    if (cached !== undefined && cached.expiresBy > now) {
      const read = await this.#readScope(tag, cached.dbVersion);
      if (this.#epochs.get(cached) === read.epoch) {
        for (const row of read.rows) cached.put(this.decryptRow(tag, row));
        cached.dbVersion = Math.max(cached.dbVersion, read.version);
        cached.checkExpiry(now);
        return cached;
      }
    }
    // No cache, a row expired, or the scope was purged or replaced since (a new epoch): read it whole, its rows
    // decrypted a slice per turn, once for every caller meanwhile; then read what changed while it loaded.
    if (cached !== undefined && this.caches.peek(hex) === cached) this.caches.delete(hex);
    await this.loadScope(
      hex,
      tag,
      () => this.#readScope(tag, -1),
      (read, rows) => {
        const cache = this.install(hex, rows, read.version, now);
        this.#epochs.set(cache, read.epoch);
        return cache;
      },
    );
    return this.sync(tag, now);
  }

  /** The scope's version and epoch, and its rows changed past `since`, in one snapshot (one statement). */
  async #readScope(
    tag: Buffer,
    since: number,
  ): Promise<{ version: number; epoch: number; rows: EntryRow[] }> {
    const result = await this.#pool.query<EntryRow & { s_version: number; s_epoch: number }>({
      name: "memprivacy-read-scope",
      text: `SELECT s.version AS s_version, s.epoch AS s_epoch, e.*
             FROM ${S}.scopes s LEFT JOIN ${S}.entries e ON e.scope_tag = s.scope_tag AND e.changed > $2
             WHERE s.scope_tag = $1 ORDER BY e.id`,
      values: [tag, since],
    });
    const head = result.rows[0];
    return {
      version: head === undefined ? 0 : head.s_version,
      epoch: head === undefined ? 0 : head.s_epoch,
      rows: result.rows.filter((r) => r.id !== null),
    };
  }
}
