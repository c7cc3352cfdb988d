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
  statsOf,
  storedLevel,
  validateItems,
  type WorkingRow,
} from "./allocation.js";
import { VaultCipher } from "./cipher.js";
import type { VaultKeys } from "./keys.js";
import { migrate, PG_SCHEMA } from "./postgres-schema.js";
import { ScopeCache, ScopeCaches, type CachedRow } from "./scope-cache.js";
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

const S = PG_SCHEMA;
/** The stored rows of some values of a scope, by MAC (no ciphertext: the MAC proves the value). */
const BY_MAC = `SELECT id, value_mac, placeholder_key, name, n, type, level, last_used, expires FROM ${S}.entries
  WHERE scope_tag = $1 AND value_mac = ANY($2::bytea[])`;
/** Scopes whose decrypted rows a replica keeps (least recently used dropped first). */
const CACHED_SCOPES = 1024;

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

interface EntryRow {
  id: string;
  scope_tag: Buffer;
  placeholder_key: string;
  name: string;
  n: number;
  type: string;
  level: string;
  value_ct: Buffer;
  value_mac: Buffer;
  created: string;
  last_used: string;
  expires: string;
}

/** A value being allocated inside the transaction. */
type Working = WorkingRow;

/** Allocation calls of one scope gathered into one transaction. */
interface Batch {
  readonly items: AllocationRequest[];
  readonly macs: Buffer[];
  readonly reserved: Set<string>;
  now: number;
  readonly waiters: {
    readonly from: number;
    readonly count: number;
    readonly resolve: (entries: VaultEntry[]) => void;
    readonly reject: (err: unknown) => void;
  }[];
}

/** Opens the shared vault; the schema is migrated and the key checked by {@link Vault.ready} (and first use). */
export function createPostgresVault(options: PostgresVaultOptions): Vault {
  return new PostgresVault(options);
}

/** The database's error without `detail`, `where` and the query's parameters: only code and message. */
function safeCause(err: unknown): Error {
  if (!(err instanceof Error)) return new Error("database error");
  const cause = new Error(err.message);
  cause.name = err.name;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(cause, { code });
  return cause;
}

class PostgresVault implements Vault {
  readonly kind = "postgres";
  readonly #pool: pg.Pool;
  readonly #cipher: VaultCipher;
  readonly #keys: VaultKeys;
  readonly #retention: Retention;
  readonly #caches = new ScopeCaches(CACHED_SCOPES);
  /** Each cache's database epoch (rows left the scope when it differs). */
  readonly #epochs = new WeakMap<ScopeCache, number>();
  #versions = 0;
  #closed = false;
  #migrated: Promise<void> | undefined;
  /** Per scope tag: the allocations waiting for the transaction in flight to end. */
  readonly #batches = new Map<string, Batch>();
  /** Scope tags whose allocations are being run. */
  readonly #draining = new Set<string>();
  readonly #next = (): number => ++this.#versions;

  constructor(options: PostgresVaultOptions) {
    this.#keys = options.keys;
    this.#cipher = new VaultCipher(options.keys);
    this.#retention = options.retention ?? DEFAULT_RETENTION;
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: options.timeoutMs,
      idleTimeoutMillis: 30_000,
      statement_timeout: options.timeoutMs,
      query_timeout: options.timeoutMs + 1000,
      application_name: "memprivacy-proxy",
    });
    // An idle connection dropped by the server (a restart, a failover) must not crash the process: the pool
    // forgets it and the next query opens a new one.
    this.#pool.on("error", () => undefined);
  }

  ready(): Promise<void> {
    if (this.#closed)
      return Promise.reject(new ProxyError("PRX_VAULT_FAILED", { detail: "vault is closed" }));
    this.#migrated ??= migrate(this.#pool, this.#keys).catch((err: unknown) => {
      // A database that is down is tried again by the next call; a wrong key or a newer schema stays an error.
      if (!(err instanceof ProxyError)) this.#migrated = undefined;
      throw err instanceof ProxyError ? err : this.#failure("open", err);
    });
    return this.#migrated;
  }

  async allocate(
    scope: string,
    items: readonly AllocationRequest[],
    allocateOptions?: AllocateOptions,
  ): Promise<VaultEntry[]> {
    validateItems(items);
    if (items.length === 0) return [];
    return this.#guard("allocate", async () => {
      const now = clockOf(allocateOptions?.now);
      const tag = this.#cipher.scopeTag(scope);
      const macs = items.map((item) => this.#cipher.valueMac(tag, item.value));
      const known = await this.#allocateKnown(tag, items, macs, now);
      if (known !== undefined) return known;
      return this.#enqueue(tag, items, macs, now, normaliseReserved(allocateOptions?.reserved));
    });
  }

  /**
   * Allocations of one scope in this replica share transactions: while one runs (holding the scope's row lock),
   * the calls that arrive are gathered into the next, which runs as soon as it ends — one lock wait and one commit
   * for all of them instead of one each. Merging is safe: items repeated across calls get one entry (at their
   * highest level), reserved keys are the union (a number skipped is never handed out anyway), and the clock is the
   * latest of the calls'.
   */
  #enqueue(
    tag: Buffer,
    items: readonly AllocationRequest[],
    macs: readonly Buffer[],
    now: number,
    reserved: ReadonlySet<string>,
  ): Promise<VaultEntry[]> {
    const hex = tag.toString("hex");
    return new Promise<VaultEntry[]>((resolve, reject) => {
      let batch = this.#batches.get(hex);
      if (batch === undefined) {
        batch = { items: [], macs: [], reserved: new Set(), now, waiters: [] };
        this.#batches.set(hex, batch);
      }
      batch.waiters.push({ from: batch.items.length, count: items.length, resolve, reject });
      batch.items.push(...items);
      batch.macs.push(...macs);
      for (const key of reserved) batch.reserved.add(key);
      batch.now = Math.max(batch.now, now);
      if (!this.#draining.has(hex)) {
        this.#draining.add(hex);
        void this.#drain(tag, hex);
      }
    });
  }

  /** Runs the scope's gathered allocations, one transaction after another, until none is waiting. */
  async #drain(tag: Buffer, hex: string): Promise<void> {
    try {
      for (let batch = this.#batches.get(hex); batch !== undefined; batch = this.#batches.get(hex)) {
        this.#batches.delete(hex);
        const { items, macs, now, reserved, waiters } = batch;
        try {
          const working = await this.#transaction((client) =>
            this.#write(client, tag, items, macs, now, reserved),
          );
          const entries = items.map((item, i) => {
            const state = working.get(macs[i]?.toString("hex") ?? "");
            if (state === undefined) throw new Error("unreachable: allocated value missing");
            return makeEntry({ ...state, value: item.value });
          });
          for (const w of waiters) w.resolve(entries.slice(w.from, w.from + w.count));
        } catch (err) {
          for (const w of waiters) w.reject(err);
        }
      }
    } finally {
      this.#draining.delete(hex);
    }
  }

  async resolve(
    scope: string,
    keys: readonly string[],
    readOptions?: ReadOptions,
  ): Promise<Map<string, VaultEntry>> {
    return this.#guard("resolve", async () => {
      const now = clockOf(readOptions?.now);
      const cache = await this.#sync(this.#cipher.scopeTag(scope), now);
      const out = new Map<string, VaultEntry>();
      for (const key of keys) {
        const entry = cache.live(key.toLowerCase(), now);
        if (entry !== undefined) out.set(key, entry);
      }
      return out;
    });
  }

  async entries(scope: string, readOptions?: ReadOptions): Promise<VaultEntry[]> {
    return this.#guard("entries", async () => {
      const now = clockOf(readOptions?.now);
      return (await this.#sync(this.#cipher.scopeTag(scope), now)).liveEntries(now);
    });
  }

  async changes(scope: string, since?: ChangeCursor, readOptions?: ReadOptions): Promise<ScopeChanges> {
    return this.#guard("changes", async () => {
      const now = clockOf(readOptions?.now);
      return (await this.#sync(this.#cipher.scopeTag(scope), now)).changes(since, now);
    });
  }

  async version(scope: string, readOptions?: ReadOptions): Promise<number> {
    return this.#guard(
      "version",
      async () => (await this.#sync(this.#cipher.scopeTag(scope), clockOf(readOptions?.now))).local,
    );
  }

  async warm(): Promise<number> {
    if (this.#closed) return 0;
    await this.ready();
    // The most recently used scopes, each with the version and epoch read before its rows: what a write adds
    // later is fetched by the first read of the scope (changed > version), a deletion makes it start over.
    const scopes = await this.#guard("warm", () =>
      this.#pool.query<{ scope_tag: Buffer; version: string; epoch: string }>(
        `SELECT s.scope_tag, s.version, s.epoch FROM ${S}.scopes s
         ORDER BY (SELECT max(e.last_used) FROM ${S}.entries e WHERE e.scope_tag = s.scope_tag) DESC NULLS LAST
         LIMIT $1`,
        [CACHED_SCOPES],
      ),
    );
    let loaded = 0;
    for (const scope of scopes.rows) {
      const hex = scope.scope_tag.toString("hex");
      if (this.#closed) return loaded;
      if (this.#caches.has(hex)) continue;
      const rows = await this.#guard("warm", () =>
        this.#pool.query<EntryRow>(`SELECT * FROM ${S}.entries WHERE scope_tag = $1 ORDER BY id`, [
          scope.scope_tag,
        ]),
      );
      const map = new Map<string, CachedRow>();
      for (const [i, row] of rows.rows.entries()) {
        // A turn of the event loop every 2,000 rows, so requests are not held behind the decryption.
        if (i > 0 && i % 2000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        map.set(row.placeholder_key, this.#cachedRow(row));
      }
      // A request loaded the scope meanwhile: its copy is at least as fresh.
      if (this.#caches.has(hex) || this.#caches.full || this.#closed) continue;
      const cache = new ScopeCache(map, Number(scope.version), Date.now(), this.#next);
      this.#epochs.set(cache, Number(scope.epoch));
      this.#caches.set(hex, cache);
      loaded += map.size;
    }
    return loaded;
  }

  async stats(scope?: string, readOptions?: ReadOptions): Promise<VaultStats> {
    return this.#guard("stats", async () => {
      const now = clockOf(readOptions?.now);
      const where = scope === undefined ? "" : "WHERE scope_tag = $2";
      const params: unknown[] = scope === undefined ? [now] : [now, this.#cipher.scopeTag(scope)];
      const groups = await this.#pool.query<{ level: string; type: string; c: number; x: number }>(
        `SELECT level, type, count(*)::int AS c, (count(*) FILTER (WHERE expires <= $1))::int AS x
         FROM ${S}.entries ${where} GROUP BY level, type`,
        params,
      );
      const scopes = await this.#pool.query<{ c: number }>(
        `SELECT count(DISTINCT scope_tag)::int AS c FROM ${S}.entries ${where.replace("$2", "$1")}`,
        params.slice(1),
      );
      return statsOf(scopes.rows[0]?.c ?? 0, groups.rows);
    });
  }

  async exportEntries(scope?: string, readOptions?: ReadOptions): Promise<ExportedEntry[]> {
    return this.#guard("export", async () => {
      const now = clockOf(readOptions?.now);
      const where = scope === undefined ? "" : "AND scope_tag = $2";
      const params: unknown[] = scope === undefined ? [now] : [now, this.#cipher.scopeTag(scope)];
      const result = await this.#pool.query<EntryRow>(
        `SELECT * FROM ${S}.entries WHERE expires > $1 ${where} ORDER BY scope_tag, id`,
        params,
      );
      return result.rows.map((row) => {
        const { entry } = this.#cachedRow(row);
        return {
          scopeTag: row.scope_tag.toString("hex"),
          placeholder: entry.placeholder,
          type: entry.type,
          level: entry.level,
          value: entry.value,
          created: Number(row.created),
          lastUsed: Number(row.last_used),
          expires: Number(row.expires),
        };
      });
    });
  }

  async purge(purgeOptions?: PurgeOptions): Promise<number> {
    return this.#guard("purge", async () => {
      const now = clockOf(purgeOptions?.now);
      const conditions: string[] = [];
      const params: unknown[] = [];
      if (purgeOptions?.scope !== undefined) {
        params.push(this.#cipher.scopeTag(purgeOptions.scope));
        conditions.push(`scope_tag = $${params.length}`);
      }
      if (purgeOptions?.expiredOnly === true) {
        params.push(now);
        conditions.push(`expires <= $${params.length}`);
      }
      const where = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
      const { tags, deleted } = await this.#transaction(async (client) => {
        const found = await client.query<{ scope_tag: Buffer }>(
          `SELECT DISTINCT scope_tag FROM ${S}.entries ${where}`,
          params,
        );
        const tagList = found.rows.map((r) => r.scope_tag);
        // Counters stay (numbers are never reused); the epoch moves so every replica's readers start over.
        if (tagList.length > 0)
          await client.query(
            `UPDATE ${S}.scopes SET epoch = epoch + 1, version = version + 1 WHERE scope_tag = ANY($1::bytea[])`,
            [tagList],
          );
        const removed = await client.query(`DELETE FROM ${S}.entries ${where}`, params);
        return { tags: tagList, deleted: removed.rowCount ?? 0 };
      });
      for (const tag of tags) this.#caches.delete(tag.toString("hex"));
      if (deleted > 0) {
        // Reclaims the dead rows' space for reuse; the ciphertext stays in free pages until overwritten.
        await this.#pool.query(`VACUUM ${S}.entries`).catch(() => undefined);
      }
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
    await this.#guard("bind", async () => {
      const now = clockOf(readOptions?.now);
      const tag = this.#cipher.scopeTag(scope);
      const mac = this.#cipher.bindingMac(tag, id);
      await this.#transaction(async (client) => {
        // The row exists (locked) before it is read, so two replicas binding one id merge instead of racing.
        await client.query(
          `INSERT INTO ${S}.bindings (scope_tag, id_mac, keys_ct, expires) VALUES ($1, $2, $3, 0)
           ON CONFLICT (scope_tag, id_mac) DO NOTHING`,
          [tag, mac, this.#cipher.encryptKeys(tag, mac, [])],
        );
        const row = await client.query<{ keys_ct: Buffer; expires: string }>(
          `SELECT keys_ct, expires FROM ${S}.bindings WHERE scope_tag = $1 AND id_mac = $2 FOR UPDATE`,
          [tag, mac],
        );
        const held = row.rows[0];
        const before =
          held === undefined || Number(held.expires) <= now
            ? []
            : this.#cipher.decryptKeys(tag, mac, held.keys_ct);
        const merged = [...new Set([...before, ...bindKeys])];
        await client.query(
          `UPDATE ${S}.bindings SET keys_ct = $3, expires = $4 WHERE scope_tag = $1 AND id_mac = $2`,
          [tag, mac, this.#cipher.encryptKeys(tag, mac, merged), now + ttlMs],
        );
        await client.query(`DELETE FROM ${S}.bindings WHERE expires <= $1 AND expires > 0`, [now]);
      });
    });
  }

  async bound(scope: string, ids: readonly string[], readOptions?: ReadOptions): Promise<Set<string>> {
    return this.#guard("bound", async () => {
      const now = clockOf(readOptions?.now);
      const tag = this.#cipher.scopeTag(scope);
      const macs = ids.map((id) => this.#cipher.bindingMac(tag, id));
      const out = new Set<string>();
      if (macs.length === 0) return out;
      const rows = await this.#pool.query<{ id_mac: Buffer; keys_ct: Buffer }>(
        `SELECT id_mac, keys_ct FROM ${S}.bindings WHERE scope_tag = $1 AND id_mac = ANY($2::bytea[]) AND expires > $3`,
        [tag, macs, now],
      );
      for (const row of rows.rows)
        for (const key of this.#cipher.decryptKeys(tag, row.id_mac, row.keys_ct)) out.add(key);
      return out;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#caches.clear();
    this.#cipher.clear();
    await this.#migrated?.catch(() => undefined);
    await this.#pool.end();
  }

  #failure(what: string, err: unknown): ProxyError {
    return new ProxyError("PRX_VAULT_FAILED", { cause: safeCause(err), detail: `vault ${what} failed` });
  }

  async #guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault is closed" });
    await this.ready();
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ProxyError) throw err;
      throw this.#failure(what, err);
    }
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

  #cachedRow(row: EntryRow): CachedRow {
    const value = this.#cipher.decrypt(row.scope_tag, row.placeholder_key, row.value_ct);
    const entry = makeEntry({
      name: row.name,
      n: row.n,
      type: row.type,
      level: storedLevel(row.level),
      value,
    });
    return { id: Number(row.id), entry, expires: Number(row.expires) };
  }

  /**
   * The scope's rows as the database holds them now: one query for what changed past the cached version (and
   * the scope's epoch), or a full load when the cache is new, the epoch moved, or a cached expiry passed.
   */
  async #sync(tag: Buffer, now: number): Promise<ScopeCache> {
    const hex = tag.toString("hex");
    const cached = this.#caches.get(hex);
    if (cached !== undefined && cached.expiresBy > now) {
      const read = await this.#readScope(tag, cached.dbVersion);
      if (this.#epochs.get(cached) === read.epoch) {
        for (const row of read.rows) cached.put(this.#cachedRow(row));
        cached.dbVersion = Math.max(cached.dbVersion, read.version);
        cached.checkExpiry(now);
        return cached;
      }
    }
    const read = await this.#readScope(tag, -1);
    const rows = new Map<string, CachedRow>();
    for (const row of read.rows) rows.set(row.placeholder_key, this.#cachedRow(row));
    const cache = new ScopeCache(rows, read.version, now, this.#next);
    this.#epochs.set(cache, read.epoch);
    this.#caches.set(hex, cache);
    return cache;
  }

  /** The scope's version and epoch, and its rows changed past `since`, in one snapshot (one statement). */
  async #readScope(
    tag: Buffer,
    since: number,
  ): Promise<{ version: number; epoch: number; rows: EntryRow[] }> {
    const result = await this.#pool.query<EntryRow & { s_version: string; s_epoch: string }>({
      name: "memprivacy-read-scope",
      text: `SELECT s.version AS s_version, s.epoch AS s_epoch, e.*
             FROM ${S}.scopes s LEFT JOIN ${S}.entries e ON e.scope_tag = s.scope_tag AND e.changed > $2
             WHERE s.scope_tag = $1 ORDER BY e.id`,
      values: [tag, since],
    });
    const head = result.rows[0];
    return {
      version: head === undefined ? 0 : Number(head.s_version),
      epoch: head === undefined ? 0 : Number(head.s_epoch),
      rows: result.rows.filter((r) => r.id !== null),
    };
  }

  /** Read-only path: every value already stored, live and recently used — the common case of a resent history. */
  async #allocateKnown(
    tag: Buffer,
    items: readonly AllocationRequest[],
    macs: readonly Buffer[],
    now: number,
  ): Promise<VaultEntry[] | undefined> {
    const found = await this.#pool.query<EntryRow>({
      name: "memprivacy-by-mac",
      text: BY_MAC,
      values: [tag, macs],
    });
    const byMac = new Map(found.rows.map((r) => [r.value_mac.toString("hex"), r]));
    const out: VaultEntry[] = [];
    for (const [i, item] of items.entries()) {
      const row = byMac.get(macs[i]?.toString("hex") ?? "");
      if (row === undefined || isExpired(Number(row.expires), now)) return undefined;
      const level = storedLevel(row.level);
      if (needsTouch(this.#retention, { level, lastUsed: Number(row.last_used) }, item.level, now))
        return undefined;
      // The MAC matched, so the stored value is this one: no need to decrypt it.
      out.push(makeEntry({ name: row.name, n: row.n, type: row.type, level, value: item.value }));
    }
    return out;
  }

  async #write(
    client: pg.PoolClient,
    tag: Buffer,
    items: readonly AllocationRequest[],
    macs: readonly Buffer[],
    now: number,
    reserved: ReadonlySet<string>,
  ): Promise<Map<string, Working>> {
    const retention = this.#retention;
    // Writers of this scope, in every replica, queue here until this transaction ends: the upsert locks the
    // scope's row (creating it on first use) and returns its latest committed version.
    const locked = await client.query<{ version: string; epoch: string }>({
      name: "memprivacy-lock-scope",
      text: `INSERT INTO ${S}.scopes AS s (scope_tag) VALUES ($1)
             ON CONFLICT (scope_tag) DO UPDATE SET version = s.version RETURNING version, epoch`,
      values: [tag],
    });
    const version = Number(locked.rows[0]?.version ?? 0) + 1;
    let epoch = Number(locked.rows[0]?.epoch ?? 0);
    const found = await client.query<EntryRow>({
      name: "memprivacy-by-mac",
      text: BY_MAC,
      values: [tag, macs],
    });
    const rows = new Map(found.rows.map((r) => [r.value_mac.toString("hex"), r]));
    const working = new Map<string, Working>();
    const expiredIds: number[] = [];
    const touched: { id: number; level: PrivacyLevel; lastUsed: number; expires: number; raised: boolean }[] =
      [];
    const fresh: { mac: Buffer; item: AllocationRequest }[] = [];
    /** Index in `fresh` of each new value's MAC: a value repeated in one call is inserted once, at its highest level. */
    const freshAt = new Map<string, number>();
    for (const [i, item] of items.entries()) {
      const mac = macs[i] as Buffer;
      const macHex = mac.toString("hex");
      let state = working.get(macHex);
      const row = rows.get(macHex);
      if (state === undefined && row !== undefined) {
        rows.delete(macHex);
        if (isExpired(Number(row.expires), now)) {
          // Its number stays used (the counter is past it); the value gets a new one below.
          expiredIds.push(Number(row.id));
        } else {
          state = {
            id: Number(row.id),
            key: row.placeholder_key,
            name: row.name,
            n: row.n,
            type: row.type,
            level: storedLevel(row.level),
            lastUsed: Number(row.last_used),
            expires: Number(row.expires),
          };
          working.set(macHex, state);
        }
      }
      if (state !== undefined) {
        if (needsTouch(retention, state, item.level, now)) {
          const level = raisedLevel(state.level, item.level);
          const raised = level !== state.level;
          state.level = level;
          state.lastUsed = Math.max(state.lastUsed, now);
          state.expires = expiryOf(retention, state.level, state.lastUsed);
          touched.push({ id: state.id, level, lastUsed: state.lastUsed, expires: state.expires, raised });
        }
        continue;
      }
      const at = freshAt.get(macHex);
      if (at === undefined) {
        freshAt.set(macHex, fresh.length);
        fresh.push({ mac, item });
      } else {
        const queued = fresh[at] as { mac: Buffer; item: AllocationRequest };
        const level = raisedLevel(queued.item.level, item.level);
        if (level !== queued.item.level) fresh[at] = { mac, item: { ...queued.item, level } };
      }
    }
    if (expiredIds.length > 0) {
      await client.query(`DELETE FROM ${S}.entries WHERE id = ANY($1::int8[])`, [expiredIds]);
      epoch++;
    }
    for (const t of touched) {
      await client.query(
        `UPDATE ${S}.entries SET level = $2, last_used = $3, expires = $4,
         changed = CASE WHEN $5 THEN $6 ELSE changed END WHERE id = $1`,
        [t.id, t.level, t.lastUsed, t.expires, t.raised, version],
      );
    }
    if (fresh.length > 0) await this.#insert(client, tag, fresh, now, reserved, { version, epoch }, working);
    else if (expiredIds.length > 0 || touched.some((t) => t.raised))
      await client.query({
        name: "memprivacy-set-scope",
        text: `UPDATE ${S}.scopes SET version = $2, epoch = $3 WHERE scope_tag = $1`,
        values: [tag, version, epoch],
      });
    return working;
  }

  /**
   * Inserts new values with the next free numbers of their names; then, in one statement, moves the counters past
   * them and sets the scope's version (the rows' `changed`) and epoch.
   */
  async #insert(
    client: pg.PoolClient,
    tag: Buffer,
    fresh: readonly { mac: Buffer; item: AllocationRequest }[],
    now: number,
    reserved: ReadonlySet<string>,
    scope: { version: number; epoch: number },
    working: Map<string, Working>,
  ): Promise<void> {
    const names = [...new Set(fresh.map((f) => f.item.name.toLowerCase()))];
    const counters = await client.query<{ name_lower: string; next_n: number }>({
      name: "memprivacy-counters",
      text: `SELECT name_lower, next_n FROM ${S}.counters WHERE scope_tag = $1 AND name_lower = ANY($2::text[])`,
      values: [tag, names],
    });
    const next = new Map(counters.rows.map((r) => [r.name_lower, r.next_n]));
    // A key already in the scope past its counter (only if a counter row was lost) is skipped, never reused: the
    // insert leaves it alone (ON CONFLICT DO NOTHING) and the value tries the next number.
    const taken = new Set<string>();
    let pending = fresh;
    while (pending.length > 0) {
      const cols = { key: [] as string[], name: [] as string[], n: [] as number[], type: [] as string[] };
      const more = {
        level: [] as string[],
        ct: [] as Buffer[],
        mac: [] as Buffer[],
        expires: [] as number[],
      };
      for (const { mac, item } of pending) {
        const lower = item.name.toLowerCase();
        const n = pickNumber(item.name, next.get(lower) ?? 1, reserved, (key) => taken.has(key));
        next.set(lower, n + 1);
        const key = `${lower}_${n}`;
        cols.key.push(key);
        cols.name.push(item.name);
        cols.n.push(n);
        cols.type.push(item.type);
        more.level.push(item.level);
        more.ct.push(this.#cipher.encrypt(tag, key, item.value));
        more.mac.push(mac);
        more.expires.push(expiryOf(this.#retention, item.level, now));
      }
      const inserted = await client.query<{ id: string; placeholder_key: string }>({
        name: "memprivacy-insert",
        text: `INSERT INTO ${S}.entries
                 (scope_tag, placeholder_key, name, n, type, level, value_ct, value_mac, created, last_used, expires,
                  changed)
               SELECT $1, k, nm, n, t, l, ct, mac, $9, $9, x, $10
               FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::bytea[], $8::bytea[],
                           $11::int8[]) AS u(k, nm, n, t, l, ct, mac, x)
               ON CONFLICT DO NOTHING
               RETURNING id, placeholder_key`,
        values: [
          tag,
          cols.key,
          cols.name,
          cols.n,
          cols.type,
          more.level,
          more.ct,
          more.mac,
          now,
          scope.version,
          more.expires,
        ],
      });
      const ids = new Map(inserted.rows.map((r) => [r.placeholder_key, Number(r.id)]));
      const retry: { mac: Buffer; item: AllocationRequest }[] = [];
      pending.forEach((p, i) => {
        const key = cols.key[i] as string;
        const id = ids.get(key);
        if (id === undefined) {
          taken.add(key);
          retry.push(p);
          return;
        }
        working.set(p.mac.toString("hex"), {
          id,
          key,
          name: p.item.name,
          n: cols.n[i] as number,
          type: p.item.type,
          level: p.item.level,
          lastUsed: now,
          expires: more.expires[i] as number,
        });
      });
      pending = retry;
    }
    await client.query({
      name: "memprivacy-advance",
      text: `WITH c AS (
               INSERT INTO ${S}.counters AS c (scope_tag, name_lower, next_n)
               SELECT $1, nm, nx FROM unnest($2::text[], $3::int[]) AS u(nm, nx)
               ON CONFLICT (scope_tag, name_lower) DO UPDATE SET next_n = GREATEST(c.next_n, excluded.next_n)
             )
             UPDATE ${S}.scopes SET version = $4, epoch = $5 WHERE scope_tag = $1`,
      values: [tag, [...next.keys()], [...next.values()], scope.version, scope.epoch],
    });
  }
}
