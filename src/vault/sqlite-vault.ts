/**
 * The durable vault (docs/architecture.md) on better-sqlite3 in WAL mode. Values are stored only as AES-256-GCM
 * ciphertext (random nonce, bound to their scope and placeholder) plus a keyed HMAC for look-up; scopes only as a
 * keyed hash. Allocation runs in one `BEGIN IMMEDIATE` transaction guarded by unique constraints, so several
 * processes on one file never hand out one placeholder for two values. Decrypted entries are cached per scope and
 * revalidated against a per-scope version row, so writes by other processes are seen.
 */
import { closeSync, openSync } from "node:fs";
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import Database from "better-sqlite3";
import { ProxyError } from "../errors/catalogue.js";
import { isPrivacyLevel } from "../taxonomy/levels.js";
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
import type { VaultKeys } from "./keys.js";
import { DEFAULT_RETENTION } from "./vault.js";
import type {
  AllocateOptions,
  ChangeCursor,
  ExportedEntry,
  AllocationRequest,
  PurgeOptions,
  ReadOptions,
  Retention,
  ScopeChanges,
  Vault,
  VaultEntry,
  VaultStats,
} from "./vault.js";

/** Schema version written to `meta`; a vault written by a newer schema is refused rather than misread. */
export const VAULT_SCHEMA_VERSION = 1;
/** How long a write waits for another process's transaction before failing (ms). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/** Scopes whose decrypted entries are kept in memory at once (least recently used are dropped). */
const CACHED_SCOPES = 1024;
/** Rows decrypted per turn of the event loop by `warm()`. */
const WARM_CHUNK_ROWS = 2000;

/** Commits made by any vault object of this process (they share one thread; see `currentDataVersion`). */
let processCommits = 0;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AAD_PREFIX = Buffer.from("memprivacy-vault-v1\0", "utf8");
// First byte of an encoded value: UTF-8 for well-formed strings, UTF-16LE for strings with lone surrogates,
// which UTF-8 would silently turn into U+FFFD (two different strings would then share one MAC).
const UTF8 = 1;
const UTF16 = 2;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY,
  scope_tag BLOB NOT NULL,
  placeholder_key TEXT NOT NULL,
  name TEXT NOT NULL,
  n INTEGER NOT NULL,
  type TEXT NOT NULL,
  level TEXT NOT NULL,
  value_ct BLOB NOT NULL,
  value_mac BLOB NOT NULL,
  created INTEGER NOT NULL,
  last_used INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  UNIQUE (scope_tag, value_mac),
  UNIQUE (scope_tag, placeholder_key)
);
CREATE INDEX IF NOT EXISTS entries_expires ON entries (expires);
CREATE TABLE IF NOT EXISTS counters (
  scope_tag BLOB NOT NULL,
  name_lower TEXT NOT NULL,
  next_n INTEGER NOT NULL,
  PRIMARY KEY (scope_tag, name_lower)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scopes (scope_tag BLOB PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bindings (
  scope_tag BLOB NOT NULL,
  id_mac BLOB NOT NULL,
  keys_ct BLOB NOT NULL,
  expires INTEGER NOT NULL,
  PRIMARY KEY (scope_tag, id_mac)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bindings_expires ON bindings (expires);
`;

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

interface RowMeta {
  id: number;
  placeholder_key: string;
  name: string;
  n: number;
  type: string;
  level: string;
  created: number;
  last_used: number;
  expires: number;
}

interface RowHead {
  id: number;
  placeholder_key: string;
  level: string;
  expires: number;
}

interface RowFull {
  id: number;
  placeholder_key: string;
  name: string;
  n: number;
  type: string;
  level: string;
  value_ct: Buffer;
  expires: number;
}

interface CachedRow {
  readonly id: number;
  readonly entry: VaultEntry;
  readonly expires: number;
}

interface ScopeCache {
  /** The database version of the scope that `rows` reflect. */
  dbVersion: number;
  /** The number `version()` returns; drawn from one counter so it is never reused. */
  local: number;
  /**
   * `PRAGMA data_version` read just before `dbVersion` was: while it reads the same, no other connection has
   * committed, so the rows (patched by this connection's own writes) are current without a query. -1: recheck.
   */
  dataVersion: number;
  /** All stored rows (expired ones too) by lower-case key, in id order. */
  readonly rows: Map<string, CachedRow>;
  /** No live row expires before this (a lower bound, lowered by every write that sets an earlier expiry). */
  nextExpiry: number;
  /** The latest clock reading seen: rows past their retention by then are known to be gone. */
  lastScan: number;
  /** Rows added, or whose level rose, since the feed's last reset (the change feed, in order). */
  log: VaultEntry[];
  /** Bumped whenever rows leave the live set: readers at an older epoch start over. */
  epoch: number;
}

/** Working state of one value during an allocation transaction. */
interface Working {
  id: number;
  key: string;
  name: string;
  n: number;
  type: string;
  level: PrivacyLevel;
  lastUsed: number;
  expires: number;
  changed: boolean;
}

/**
 * Opens (or creates) the encrypted vault in `file`. Throws PRX_VAULT_BAD_KEY, without writing anything, when the
 * file was created with another key, and PRX_VAULT_FAILED when it cannot be opened or is not a vault.
 */
export function createSqliteVault(options: SqliteVaultOptions): Vault {
  const { keys } = options;
  const retention = options.retention ?? DEFAULT_RETENTION;
  const db = openDatabase(options.file, keys, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);

  const stmt = {
    dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
    version: db.prepare<[Buffer], number>("SELECT version FROM scopes WHERE scope_tag = ?").pluck(),
    bump: db
      .prepare<[Buffer], number>(
        `INSERT INTO scopes (scope_tag, version) VALUES (?, 1)
         ON CONFLICT (scope_tag) DO UPDATE SET version = version + 1 RETURNING version`,
      )
      .pluck(),
    byMac: db.prepare<[Buffer, Buffer], RowMeta>(
      `SELECT id, placeholder_key, name, n, type, level, created, last_used, expires
       FROM entries WHERE scope_tag = ? AND value_mac = ?`,
    ),
    keyTaken: db
      .prepare<[Buffer, string], number>("SELECT 1 FROM entries WHERE scope_tag = ? AND placeholder_key = ?")
      .pluck(),
    counter: db
      .prepare<[Buffer, string], number>("SELECT next_n FROM counters WHERE scope_tag = ? AND name_lower = ?")
      .pluck(),
    setCounter: db.prepare<[Buffer, string, number]>(
      `INSERT INTO counters (scope_tag, name_lower, next_n) VALUES (?, ?, ?)
       ON CONFLICT (scope_tag, name_lower) DO UPDATE SET next_n = max(next_n, excluded.next_n)`,
    ),
    insert: db
      .prepare<
        [Buffer, string, string, number, string, string, Buffer, Buffer, number, number, number],
        number
      >(
        `INSERT INTO entries (scope_tag, placeholder_key, name, n, type, level, value_ct, value_mac, created, last_used, expires)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .pluck(),
    touch: db.prepare<[string, number, number, number]>(
      "UPDATE entries SET level = ?, last_used = ?, expires = ? WHERE id = ?",
    ),
    deleteId: db.prepare<[number]>("DELETE FROM entries WHERE id = ?"),
    rows: db.prepare<[Buffer], RowFull>(
      "SELECT id, placeholder_key, name, n, type, level, value_ct, expires FROM entries WHERE scope_tag = ? ORDER BY id",
    ),
    heads: db.prepare<[Buffer], RowHead>(
      "SELECT id, placeholder_key, level, expires FROM entries WHERE scope_tag = ? ORDER BY id",
    ),
    warmChunk: db.prepare<[number, number], RowFull & { scope_tag: Buffer }>(
      `SELECT id, scope_tag, placeholder_key, name, n, type, level, value_ct, expires FROM entries
       WHERE id > ? ORDER BY id LIMIT ?`,
    ),
    recentTags: db
      .prepare<[number], Buffer>(
        "SELECT scope_tag FROM entries GROUP BY scope_tag ORDER BY max(last_used) DESC LIMIT ?",
      )
      .pluck(),
    binding: db.prepare<[Buffer, Buffer, number], { keys_ct: Buffer }>(
      "SELECT keys_ct FROM bindings WHERE scope_tag = ? AND id_mac = ? AND expires > ?",
    ),
    setBinding: db.prepare<[Buffer, Buffer, Buffer, number]>(
      `INSERT INTO bindings (scope_tag, id_mac, keys_ct, expires) VALUES (?, ?, ?, ?)
       ON CONFLICT (scope_tag, id_mac) DO UPDATE SET keys_ct = excluded.keys_ct, expires = excluded.expires`,
    ),
    dropExpiredBindings: db.prepare<[number]>("DELETE FROM bindings WHERE expires <= ?"),
    rowById: db.prepare<[number], RowFull>(
      "SELECT id, placeholder_key, name, n, type, level, value_ct, expires FROM entries WHERE id = ?",
    ),
  };

  const caches = new Map<string, ScopeCache>();
  let versions = 0;
  let closed = false;

  // Scope tags are memoised: every call needs one, and the HMAC costs more than the look-up it keys.
  const tags = new Map<string, Buffer>();
  const scopeTag = (scope: string): Buffer => {
    let tag = tags.get(scope);
    if (tag === undefined) {
      tag = createHmac("sha256", keys.scopeHash).update(encode(scope)).digest();
      if (tags.size >= CACHED_SCOPES) tags.clear();
      tags.set(scope, tag);
    }
    return tag;
  };
  const valueMac = (tag: Buffer, value: string): Buffer =>
    createHmac("sha256", keys.valueMac).update(tag).update(encode(value)).digest();

  const encrypt = (tag: Buffer, key: string, value: string): Buffer => {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", keys.encryption, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(tag, key));
    const plain = encode(value);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    plain.fill(0);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  };

  const decrypt = (tag: Buffer, key: string, blob: Buffer): string => {
    if (blob.length < NONCE_BYTES + TAG_BYTES + 1)
      throw new ProxyError("PRX_VAULT_FAILED", { detail: "bad entry" });
    const decipher = createDecipheriv("aes-256-gcm", keys.encryption, blob.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad(tag, key));
    decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(blob.subarray(NONCE_BYTES, blob.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (cause) {
      // A row moved between scopes or placeholders, or tampered with: refuse rather than restore a wrong value.
      throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: "vault entry failed authentication" });
    }
    const value = decode(plain);
    plain.fill(0);
    return value;
  };

  const toLevel = (level: string): PrivacyLevel => {
    if (!isPrivacyLevel(level))
      throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault entry has a bad level" });
    return level;
  };

  /** Reads a scope's version and, when needed, all its rows, in one snapshot (one read transaction). */
  // Bindings: the id as a keyed MAC (domain-separated from value MACs, whose input starts with 1 or 2), the
  // keys encrypted with AAD naming the scope tag and that MAC, so a row cannot move between scopes or ids.
  const bindingMac = (tag: Buffer, id: string): Buffer =>
    createHmac("sha256", keys.valueMac).update(tag).update("\u0000binding\u0000").update(id, "utf8").digest();
  const readBinding = (tag: Buffer, mac: Buffer, now: number): string[] => {
    const row = stmt.binding.get(tag, mac, now);
    if (row === undefined) return [];
    const parsed: unknown = JSON.parse(decrypt(tag, `binding:${mac.toString("hex")}`, row.keys_ct));
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === "string") : [];
  };
  const bindTx = db.transaction(
    (tag: Buffer, mac: Buffer, add: readonly string[], expires: number, now: number) => {
      const merged = [...new Set([...readBinding(tag, mac, now), ...add])];
      stmt.setBinding.run(
        tag,
        mac,
        encrypt(tag, `binding:${mac.toString("hex")}`, JSON.stringify(merged)),
        expires,
      );
      stmt.dropExpiredBindings.run(now);
    },
  );

  const readScope = db.transaction((tag: Buffer, cached: ScopeCache | undefined) => {
    const dbVersion = stmt.version.get(tag) ?? 0;
    if (cached !== undefined && cached.dbVersion === dbVersion)
      return { dbVersion, rows: undefined, patched: false };
    if (cached !== undefined && patchFromHeads(tag, cached))
      return { dbVersion, rows: undefined, patched: true };
    const rows = new Map<string, CachedRow>();
    for (const row of stmt.rows.iterate(tag)) {
      const value = decrypt(tag, row.placeholder_key, row.value_ct);
      const entry = makeEntry({ name: row.name, n: row.n, type: row.type, level: toLevel(row.level), value });
      rows.set(row.placeholder_key, { id: row.id, entry, expires: row.expires });
    }
    return { dbVersion, rows, patched: false };
  });

  /**
   * Brings a cached scope up to another process's writes without decrypting what it already holds: one pass
   * over the rows' heads (no ciphertext) for levels and expiries, and only new rows decrypted. False (reload
   * everything) when rows were deleted or replaced. New rows and raised levels go to the change feed.
   */
  function patchFromHeads(tag: Buffer, cached: ScopeCache): boolean {
    const fresh: RowHead[] = [];
    let seen = 0;
    const updates: [string, CachedRow][] = [];
    for (const head of stmt.heads.iterate(tag)) {
      const row = cached.rows.get(head.placeholder_key);
      if (row === undefined) {
        fresh.push(head);
        continue;
      }
      if (row.id !== head.id) return false;
      seen++;
      const level = toLevel(head.level);
      if (level !== row.entry.level || head.expires !== row.expires) {
        const entry = level === row.entry.level ? row.entry : makeEntry({ ...row.entry, level });
        updates.push([head.placeholder_key, { id: row.id, entry, expires: head.expires }]);
      }
    }
    if (seen !== cached.rows.size) return false;
    for (const [key, row] of updates) {
      const before = cached.rows.get(key);
      cached.rows.set(key, row);
      if (before !== undefined && before.entry !== row.entry) cached.log.push(row.entry);
      // An expiry set earlier than the bound (another process's clock) lowers it.
      cached.nextExpiry = Math.min(cached.nextExpiry, row.expires);
    }
    for (const head of fresh) {
      const full = stmt.rowById.get(head.id);
      if (full === undefined) return false;
      const value = decrypt(tag, full.placeholder_key, full.value_ct);
      const entry = makeEntry({
        name: full.name,
        n: full.n,
        type: full.type,
        level: toLevel(full.level),
        value,
      });
      cached.rows.set(full.placeholder_key, { id: full.id, entry, expires: full.expires });
      cached.log.push(entry);
      cached.nextExpiry = Math.min(cached.nextExpiry, full.expires);
    }
    return true;
  }

  /**
   * `PRAGMA data_version`, read once per synchronous run (a request asks for two partitions in a row): a
   * value from earlier in the same run is still read before anything that run does next.
   */
  let dataVersionNow: number | undefined;
  let dataVersionAt = -1;
  const currentDataVersion = (): number => {
    // Another vault object of this process may have committed in this same run (it shares the thread).
    if (dataVersionNow === undefined || dataVersionAt !== processCommits) {
      if (dataVersionNow === undefined) queueMicrotask(() => (dataVersionNow = undefined));
      dataVersionNow = stmt.dataVersion.get() ?? -1;
      dataVersionAt = processCommits;
    }
    return dataVersionNow;
  };

  /** The decrypted rows of a scope, revalidated against the database (so other processes' writes are seen). */
  const sync = (tag: Buffer, now: number): ScopeCache => {
    const hex = tag.toString("hex");
    const cached = caches.get(hex);
    // Read before the scope's version: a commit landing in between only makes the next call look again.
    const dataVersion = currentDataVersion();
    // No other connection committed since the cache was checked: skip the read transaction entirely.
    const read =
      cached !== undefined && cached.dataVersion === dataVersion
        ? { dbVersion: cached.dbVersion, rows: undefined, patched: false }
        : readScope.deferred(tag, cached);
    caches.delete(hex); // re-inserted below: Map order is the LRU order
    if (cached !== undefined && read.rows === undefined) {
      caches.set(hex, cached);
      cached.dataVersion = dataVersion;
      if (read.patched) {
        cached.dbVersion = read.dbVersion;
        cached.local = ++versions;
      }
      checkExpiry(cached, now);
      return cached;
    }
    const rows = read.rows ?? new Map<string, CachedRow>();
    const fresh: ScopeCache = {
      dbVersion: read.dbVersion,
      local: ++versions,
      dataVersion,
      rows,
      nextExpiry: earliestExpiry(rows, now),
      lastScan: now,
      log: [],
      epoch: ++versions,
    };
    if (caches.size >= CACHED_SCOPES) {
      const oldest = caches.keys().next();
      if (oldest.done !== true) caches.delete(oldest.value);
    }
    caches.set(hex, fresh);
    return fresh;
  };

  /** Rows that passed their retention since the last reading of the clock leave the live set: a change. */
  function checkExpiry(cache: ScopeCache, now: number): void {
    if (now < cache.lastScan) {
      // A clock set back (tests): rows past their retention then may be live again.
      cache.lastScan = now;
      cache.nextExpiry = earliestExpiry(cache.rows, now);
      cache.epoch = ++versions;
      cache.log = [];
      return;
    }
    const since = cache.lastScan;
    cache.lastScan = now;
    if (cache.nextExpiry > now) return;
    let passed = false;
    for (const row of cache.rows.values()) {
      if (row.expires > since && isExpired(row.expires, now)) {
        passed = true;
        break;
      }
    }
    cache.nextExpiry = earliestExpiry(cache.rows, now);
    if (passed) {
      cache.local = ++versions;
      cache.epoch = ++versions;
      cache.log = [];
    }
  }

  /** Read-only path: every value already stored, live and recently used — the common case of a resent history. */
  const allocateKnown = (
    tag: Buffer,
    items: readonly AllocationRequest[],
    macs: readonly Buffer[],
    now: number,
  ): VaultEntry[] | undefined => {
    const out: VaultEntry[] = [];
    for (const [i, item] of items.entries()) {
      const mac = macs[i];
      if (mac === undefined) return undefined;
      const row = stmt.byMac.get(tag, mac);
      if (row === undefined || isExpired(row.expires, now)) return undefined;
      const level = toLevel(row.level);
      if (needsTouch(retention, { level, lastUsed: row.last_used }, item.level, now)) return undefined;
      // The MAC matched, so the stored value is this one: no need to decrypt it.
      out.push(makeEntry({ name: row.name, n: row.n, type: row.type, level, value: item.value }));
    }
    return out;
  };

  const allocateKnownTx = db.transaction(allocateKnown);

  const allocateTx = db.transaction(
    (
      tag: Buffer,
      items: readonly AllocationRequest[],
      macs: readonly Buffer[],
      now: number,
      reserved: ReadonlySet<string>,
    ) => {
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
              level: toLevel(row.level),
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
        const ct = encrypt(tag, key, item.value);
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
    },
  );

  const guard = <T>(what: string, fn: () => T): T => {
    if (closed) throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault is closed" });
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof ProxyError) throw cause;
      // SQLite messages name tables and constraints, never bound values, so the cause is safe to keep for logs.
      throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: `vault ${what} failed` });
    }
  };

  return {
    kind: "sqlite",

    allocate(
      scope: string,
      items: readonly AllocationRequest[],
      allocateOptions?: AllocateOptions,
    ): VaultEntry[] {
      validateItems(items);
      if (items.length === 0) return [];
      return guard("allocate", () => {
        const now = clockOf(allocateOptions?.now);
        const tag = scopeTag(scope);
        const macs = items.map((item) => valueMac(tag, item.value));
        // One read transaction: a consistent snapshot, and one WAL read lock instead of one per item.
        const known = allocateKnownTx.deferred(tag, items, macs, now);
        if (known !== undefined) return known;
        const reserved = normaliseReserved(allocateOptions?.reserved);
        const result = allocateTx.immediate(tag, items, macs, now, reserved);
        processCommits++;
        const entries = items.map((item, i) => {
          const state = result.working.get(macs[i]?.toString("hex") ?? "");
          if (state === undefined) throw new Error("unreachable: allocated value missing");
          return makeEntry({ ...state, value: item.value });
        });
        patchCache(tag, result, macs, entries);
        return entries;
      });
    },

    resolve(scope: string, keys: readonly string[], readOptions?: ReadOptions): Map<string, VaultEntry> {
      return guard("resolve", () => {
        const now = clockOf(readOptions?.now);
        const { rows } = sync(scopeTag(scope), now);
        const out = new Map<string, VaultEntry>();
        for (const key of keys) {
          const row = rows.get(key.toLowerCase());
          if (row !== undefined && !isExpired(row.expires, now)) out.set(key, row.entry);
        }
        return out;
      });
    },

    entries(scope: string, readOptions?: ReadOptions): VaultEntry[] {
      return guard("entries", () => {
        const now = clockOf(readOptions?.now);
        const out: VaultEntry[] = [];
        for (const row of sync(scopeTag(scope), now).rows.values()) {
          if (!isExpired(row.expires, now)) out.push(row.entry);
        }
        return out;
      });
    },

    changes(scope: string, since?: ChangeCursor, readOptions?: ReadOptions): ScopeChanges {
      return guard("changes", () => {
        const now = clockOf(readOptions?.now);
        const cache = sync(scopeTag(scope), now);
        const cursor = { epoch: cache.epoch, seq: cache.log.length };
        const live = (key: string): boolean => {
          const row = cache.rows.get(key);
          return row !== undefined && !isExpired(row.expires, now);
        };
        if (since?.epoch !== cache.epoch || since.seq > cache.log.length) {
          const entries: VaultEntry[] = [];
          for (const row of cache.rows.values()) if (!isExpired(row.expires, now)) entries.push(row.entry);
          return { reset: true, entries, cursor };
        }
        const entries: VaultEntry[] = [];
        for (let i = since.seq; i < cache.log.length; i++) {
          const entry = cache.log[i] as VaultEntry;
          if (live(entry.key)) entries.push(entry);
        }
        return { reset: false, entries, cursor };
      });
    },

    version(scope: string, readOptions?: ReadOptions): number {
      return guard("version", () => sync(scopeTag(scope), clockOf(readOptions?.now)).local);
    },

    async warm(): Promise<number> {
      if (closed) return 0;
      // The scopes to load and their versions, read before any row: a write after this bumps a version, and
      // the first sync of that scope then reconciles the loaded rows with the database.
      const wanted = new Map<string, { tag: Buffer; dbVersion: number; rows: Map<string, CachedRow> }>();
      for (const tag of guard("warm", () => stmt.recentTags.all(CACHED_SCOPES))) {
        const hex = tag.toString("hex");
        if (!caches.has(hex))
          wanted.set(hex, { tag, dbVersion: stmt.version.get(tag) ?? 0, rows: new Map() });
      }
      let loaded = 0;
      let after = 0;
      for (;;) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (closed || wanted.size === 0) return loaded;
        const chunk = guard("warm", () => stmt.warmChunk.all(after, WARM_CHUNK_ROWS));
        if (chunk.length === 0) break;
        for (const row of chunk) {
          after = row.id;
          const scope = wanted.get(row.scope_tag.toString("hex"));
          if (scope === undefined) continue;
          const value = decrypt(scope.tag, row.placeholder_key, row.value_ct);
          const entry = makeEntry({
            name: row.name,
            n: row.n,
            type: row.type,
            level: toLevel(row.level),
            value,
          });
          scope.rows.set(row.placeholder_key, { id: row.id, entry, expires: row.expires });
          loaded++;
        }
      }
      const now = Date.now();
      for (const [hex, scope] of wanted) {
        // A request loaded the scope meanwhile: its copy is at least as fresh.
        if (caches.has(hex) || caches.size >= CACHED_SCOPES) continue;
        caches.set(hex, {
          dbVersion: scope.dbVersion,
          local: ++versions,
          // Recheck at the first use: rows came from several read transactions.
          dataVersion: -1,
          rows: scope.rows,
          nextExpiry: earliestExpiry(scope.rows, now),
          lastScan: now,
          log: [],
          epoch: ++versions,
        });
      }
      return loaded;
    },

    stats(scope?: string, readOptions?: ReadOptions): VaultStats {
      return guard("stats", () => {
        const now = clockOf(readOptions?.now);
        const where = scope === undefined ? "" : "WHERE scope_tag = ?";
        const params: unknown[] = scope === undefined ? [] : [scopeTag(scope)];
        const groups = db
          .prepare(
            `SELECT level, type, count(*) AS c, sum(expires <= ?) AS x FROM entries ${where} GROUP BY level, type`,
          )
          .all(now, ...params) as { level: string; type: string; c: number; x: number }[];
        const scopes = db
          .prepare(`SELECT count(DISTINCT scope_tag) FROM entries ${where}`)
          .pluck()
          .get(...params) as number;
        const byLevel: Record<string, number> = {};
        const byType: Record<string, number> = {};
        let entries = 0;
        let expired = 0;
        for (const g of groups) {
          entries += g.c;
          expired += g.x;
          byLevel[g.level] = (byLevel[g.level] ?? 0) + g.c;
          byType[g.type] = (byType[g.type] ?? 0) + g.c;
        }
        return { scopes, entries, expired, byLevel, byType };
      });
    },

    exportEntries(scope?: string, readOptions?: ReadOptions): ExportedEntry[] {
      return guard("export", () => {
        const now = clockOf(readOptions?.now);
        const where = scope === undefined ? "" : "AND scope_tag = ?";
        const params: unknown[] = scope === undefined ? [] : [scopeTag(scope)];
        const read = db.transaction(
          () =>
            db
              .prepare(
                `SELECT scope_tag, placeholder_key, name, n, type, level, value_ct, created, last_used, expires
                 FROM entries WHERE expires > ? ${where} ORDER BY scope_tag, id`,
              )
              .all(now, ...params) as (RowFull & { scope_tag: Buffer; created: number; last_used: number })[],
        );
        return read.deferred().map((row) => {
          const value = decrypt(row.scope_tag, row.placeholder_key, row.value_ct);
          const entry = makeEntry({
            name: row.name,
            n: row.n,
            type: row.type,
            level: toLevel(row.level),
            value,
          });
          return {
            scopeTag: row.scope_tag.toString("hex"),
            placeholder: entry.placeholder,
            type: entry.type,
            level: entry.level,
            value,
            created: row.created,
            lastUsed: row.last_used,
            expires: row.expires,
          };
        });
      });
    },

    purge(purgeOptions?: PurgeOptions): number {
      return guard("purge", () => {
        const now = clockOf(purgeOptions?.now);
        const conditions: string[] = [];
        const params: (Buffer | number)[] = [];
        if (purgeOptions?.scope !== undefined) {
          conditions.push("scope_tag = ?");
          params.push(scopeTag(purgeOptions.scope));
        }
        if (purgeOptions?.expiredOnly === true) {
          conditions.push("expires <= ?");
          params.push(now);
        }
        const where = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
        const purgeTx = db.transaction(() => {
          const tags = db
            .prepare(`SELECT DISTINCT scope_tag FROM entries ${where}`)
            .pluck()
            .all(...params) as Buffer[];
          // Counters and versions stay: numbers are never reused and versions never go back.
          for (const tag of tags) stmt.bump.get(tag);
          const deleted = db.prepare(`DELETE FROM entries ${where}`).run(...params).changes;
          return { tags, deleted };
        });
        const { tags, deleted } = purgeTx.immediate();
        processCommits++;
        for (const tag of tags) caches.delete(tag.toString("hex"));
        if (deleted > 0) scrub();
        return deleted;
      });
    },

    bind(
      scope: string,
      id: string,
      bindKeys: readonly string[],
      ttlMs: number,
      readOptions?: ReadOptions,
    ): void {
      if (id.length === 0) return;
      guard("bind", () => {
        const now = clockOf(readOptions?.now);
        const tag = scopeTag(scope);
        bindTx.immediate(tag, bindingMac(tag, id), bindKeys, now + ttlMs, now);
      });
    },

    bound(scope: string, ids: readonly string[], readOptions?: ReadOptions): Set<string> {
      return guard("bound", () => {
        const now = clockOf(readOptions?.now);
        const tag = scopeTag(scope);
        const out = new Set<string>();
        for (const id of ids) for (const key of readBinding(tag, bindingMac(tag, id), now)) out.add(key);
        return out;
      });
    },

    close(): void {
      if (closed) return;
      closed = true;
      caches.clear();
      tags.clear();
      db.close();
    },
  };

  /** After our own write, apply it to the cache instead of decrypting the whole scope again. */
  function patchCache(
    tag: Buffer,
    result: { working: Map<string, Working>; deletedKeys: string[]; before: number; after: number },
    macs: readonly Buffer[],
    entries: readonly VaultEntry[],
  ): void {
    if (result.after === result.before) return;
    const cache = caches.get(tag.toString("hex"));
    if (cache === undefined) return;
    if (cache.dbVersion !== result.before) {
      // Another process wrote in between: the next read reloads.
      cache.dataVersion = -1;
      return;
    }
    for (const key of result.deletedKeys) cache.rows.delete(key);
    if (result.deletedKeys.length > 0) {
      // Rows left the live set: the change feed starts over.
      cache.epoch = ++versions;
      cache.log = [];
    }
    for (const [i, mac] of macs.entries()) {
      const state = result.working.get(mac.toString("hex"));
      const entry = entries[i];
      if (state === undefined || entry === undefined || !state.changed) continue;
      const before = cache.rows.get(state.key);
      if (before !== undefined && before.expires === state.expires && before.entry.level === entry.level)
        continue; // the same row twice in one call
      // A renewal keeps the cached entry (and stays out of the feed); a new row or a raised level enters it.
      const kept = before !== undefined && before.entry.level === entry.level ? before.entry : entry;
      cache.rows.set(state.key, { id: state.id, entry: kept, expires: state.expires });
      if (kept !== before?.entry) cache.log.push(kept);
      // Keep the expiry bound a bound: a new row, or a level with a shorter retention, may lower it.
      cache.nextExpiry = Math.min(cache.nextExpiry, state.expires);
    }
    cache.dbVersion = result.after;
    cache.local = ++versions;
  }

  /**
   * Makes deleted bytes unreadable: secure_delete has zeroed the freed cells, the checkpoint moves those pages
   * into the main file and empties the WAL (which still held the old page images), and VACUUM rebuilds the file
   * without free pages so it also shrinks. A reader in another process can hold the WAL open; then the bytes go
   * at the next checkpoint instead.
   */
  function scrub(): void {
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.exec("VACUUM");
    db.pragma("wal_checkpoint(TRUNCATE)");
  }
}

function openDatabase(file: string, keys: VaultKeys, busyTimeoutMs: number): Database.Database {
  let db: Database.Database;
  try {
    // Created here first so SQLite's WAL and shm files, which copy the database file's mode, are private too.
    closeSync(openSync(file, "a", 0o600));
    db = new Database(file, { fileMustExist: true });
  } catch (cause) {
    throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: "cannot open the vault database" });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    // Verify the key before anything could write: a wrong key must leave the file exactly as it was.
    const initialised = verifyMeta(db, keys);
    if (!initialised) {
      const tables = db.prepare("SELECT count(*) FROM sqlite_master").pluck().get() as number;
      if (tables > 0)
        throw new ProxyError("PRX_VAULT_FAILED", { detail: "the file is not a vault database" });
    }
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal") throw new ProxyError("PRX_VAULT_FAILED", { detail: "cannot enable WAL" });
    // FULL syncs the WAL at every commit: an acknowledged placeholder survives power loss, not only a crash.
    db.pragma("synchronous = FULL");
    db.pragma("secure_delete = ON");
    if (!initialised) {
      db.transaction(() => {
        db.exec(SCHEMA);
        const insert = db.prepare("INSERT OR IGNORE INTO meta (k, v) VALUES (?, ?)");
        insert.run("schema_version", VAULT_SCHEMA_VERSION);
        insert.run("key_check", keys.check);
      }).immediate();
      // Another process may have created the vault first, with its own key.
      if (!verifyMeta(db, keys))
        throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault initialisation failed" });
    }
    return db;
  } catch (cause) {
    db.close();
    if (cause instanceof ProxyError) throw cause;
    throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: "cannot open the vault database" });
  }
}

/** False when the vault has no meta table yet; throws when it is another key's or a newer schema's. */
function verifyMeta(db: Database.Database, keys: VaultKeys): boolean {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (hasMeta === undefined) return false;
  const read = db.prepare<[string], unknown>("SELECT v FROM meta WHERE k = ?").pluck();
  const version = read.get("schema_version");
  if (typeof version !== "number" || version > VAULT_SCHEMA_VERSION) {
    throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault schema version is not supported" });
  }
  const check = read.get("key_check");
  if (!Buffer.isBuffer(check) || check.length !== keys.check.length || !timingSafeEqual(check, keys.check)) {
    throw new ProxyError("PRX_VAULT_BAD_KEY");
  }
  return true;
}

function aad(tag: Buffer, key: string): Buffer {
  return Buffer.concat([AAD_PREFIX, tag, Buffer.from(key, "utf8")]);
}

function encode(text: string): Buffer {
  const wellFormed = !LONE_SURROGATE_RE.test(text);
  const body = Buffer.from(text, wellFormed ? "utf8" : "utf16le");
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = wellFormed ? UTF8 : UTF16;
  body.copy(out, 1);
  body.fill(0);
  return out;
}

function decode(bytes: Buffer): string {
  const body = bytes.subarray(1);
  if (bytes[0] === UTF8) return body.toString("utf8");
  if (bytes[0] === UTF16) return body.toString("utf16le");
  throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault entry has an unknown encoding" });
}

function earliestExpiry(rows: ReadonlyMap<string, CachedRow>, now: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const row of rows.values()) {
    if (!isExpired(row.expires, now) && row.expires < next) next = row.expires;
  }
  return next;
}
