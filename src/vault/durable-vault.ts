/**
 * What the two durable vaults (SQLite, PostgreSQL) share above their storage: the cipher, the scope caches and
 * their version counter, the error guard, and the `Vault` methods that only read a revalidated scope cache or
 * run a maintenance statement. A backend supplies how a scope is revalidated (`sync`), its maintenance
 * statements, allocation, warm-up and bindings (docs/architecture.md, "The vault").
 */
import { ProxyError } from "../errors/catalogue.js";
import {
  clockOf,
  exportedEntry,
  makeEntry,
  normaliseReserved,
  storedLevel,
  validateItems,
  type AllocationCall,
  type StoredRow,
} from "./allocation.js";
import { VaultCipher } from "./cipher.js";
import type { VaultKeys } from "./keys.js";
import { ScopeCache, ScopeCaches, type CachedRow, type Counter } from "./scope-cache.js";
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

/** Scopes whose decrypted rows a vault object keeps (least recently used dropped first). */
export const CACHED_SCOPES = 1024;
/** Rows a scope's load decrypts between two turns of the event loop (~5 ms at ~10 µs a row). */
const DECRYPT_SLICE_ROWS = 512;

/** A stored row as {@link DurableVault.decryptRow} reads it. */
type EncryptedRow = Pick<
  StoredRow,
  "id" | "placeholder_key" | "name" | "n" | "type" | "level" | "value_ct" | "expires"
>;

/** A row as a backend's export read returns it. */
export type ExportedRow = Pick<
  StoredRow,
  | "scope_tag"
  | "placeholder_key"
  | "name"
  | "n"
  | "type"
  | "level"
  | "value_ct"
  | "created"
  | "last_used"
  | "expires"
> & { readonly id?: number };

/** The common part of the durable vaults; see the module comment. */
export abstract class DurableVault implements Vault {
  abstract readonly kind: Vault["kind"];
  protected readonly cipher: VaultCipher;
  protected readonly retention: Retention;
  protected readonly caches = new ScopeCaches(CACHED_SCOPES);
  protected closed = false;
  #versions = 0;
  /** Scopes being loaded ({@link loadScope}), by tag hex. */
  readonly #loading = new Map<string, Promise<ScopeCache>>();
  /** Draws the scope caches' versions and epochs: never reused within this object. */
  protected readonly next: Counter = () => ++this.#versions;

  constructor(keys: VaultKeys, retention: Retention | undefined) {
    this.cipher = new VaultCipher(keys);
    this.retention = retention ?? DEFAULT_RETENTION;
  }

  abstract ready(): Promise<void>;
  abstract warm(onScope?: (tag: string, changes: ScopeChanges) => void): Promise<number>;

  /** The hex of the keyed tag the scope is stored under (what `warm`'s `onScope` names it by). */
  scopeTag(scope: string): string {
    return this.cipher.scopeTag(scope).toString("hex");
  }

  /** Allocates `items` (their value MACs beside them) in the scope `tag`, in one transaction. */
  protected abstract allocateIn(call: AllocationCall): VaultEntry[] | Promise<VaultEntry[]>;
  /** Merges `keys` into the binding `mac` of scope `tag` (expired bindings dropped), setting its expiry. */
  protected abstract writeBinding(
    tag: Buffer,
    mac: Buffer,
    keys: readonly string[],
    expires: number,
    now: number,
  ): void | Promise<void>;
  /** The keys bound to any of `macs` in scope `tag`, live at `now`. */
  protected abstract readBindings(
    tag: Buffer,
    macs: readonly Buffer[],
    now: number,
  ): Set<string> | Promise<Set<string>>;

  /** The scope's decrypted rows, revalidated against the database (other processes' writes are seen). */
  protected abstract sync(tag: Buffer, now: number): ScopeCache | Promise<ScopeCache>;
  /** Counts per level and type of one scope (its tag) or of all. */
  protected abstract countRows(tag: Buffer | undefined, now: number): VaultStats | Promise<VaultStats>;
  /** Every live row of one scope or of all, in allocation order per scope. */
  protected abstract liveRows(
    tag: Buffer | undefined,
    now: number,
  ): readonly ExportedRow[] | Promise<readonly ExportedRow[]>;
  /** Deletes rows in one transaction; the scope tags touched and how many rows went. */
  protected abstract deleteRows(
    tag: Buffer | undefined,
    expiredBy: number | undefined,
  ): { tags: Buffer[]; deleted: number } | Promise<{ tags: Buffer[]; deleted: number }>;
  /** After a purge that deleted rows: makes their bytes unreadable where the backend can. */
  protected abstract reclaim(): void | Promise<void>;
  /** Closes the connection or pool. */
  protected abstract closeStore(): void | Promise<void>;
  /** What of a storage error may be kept as the cause (for logs: never a value). */
  protected abstract safeCause(err: unknown): unknown;

  async allocate(
    scope: string,
    items: readonly AllocationRequest[],
    options?: AllocateOptions,
  ): Promise<VaultEntry[]> {
    validateItems(items);
    if (items.length === 0) return [];
    return this.guard("allocate", () => {
      const tag = this.cipher.scopeTag(scope);
      return this.allocateIn({
        tag,
        items,
        macs: items.map((item) => this.cipher.valueMac(tag, item.value)),
        now: clockOf(options?.now),
        reserved: normaliseReserved(options?.reserved),
      });
    });
  }

  async bind(
    scope: string,
    id: string,
    keys: readonly string[],
    ttlMs: number,
    options?: ReadOptions,
  ): Promise<void> {
    if (id.length === 0) return;
    await this.guard("bind", () => {
      const now = clockOf(options?.now);
      const tag = this.cipher.scopeTag(scope);
      return this.writeBinding(tag, this.cipher.bindingMac(tag, id), keys, now + ttlMs, now);
    });
  }

  async bound(scope: string, ids: readonly string[], options?: ReadOptions): Promise<Set<string>> {
    return this.guard("bound", () => {
      const tag = this.cipher.scopeTag(scope);
      const macs = ids.map((id) => this.cipher.bindingMac(tag, id));
      return macs.length === 0 ? new Set<string>() : this.readBindings(tag, macs, clockOf(options?.now));
    });
  }

  async resolve(
    scope: string,
    keys: readonly string[],
    options?: ReadOptions,
  ): Promise<Map<string, VaultEntry>> {
    return this.guard("resolve", async () => {
      const now = clockOf(options?.now);
      return (await this.sync(this.cipher.scopeTag(scope), now)).resolve(keys, now);
    });
  }

  async entries(scope: string, options?: ReadOptions): Promise<VaultEntry[]> {
    return this.guard("entries", async () => {
      const now = clockOf(options?.now);
      return (await this.sync(this.cipher.scopeTag(scope), now)).liveEntries(now);
    });
  }

  async changes(scope: string, since?: ChangeCursor, options?: ReadOptions): Promise<ScopeChanges> {
    return this.guard("changes", async () => {
      const now = clockOf(options?.now);
      return (await this.sync(this.cipher.scopeTag(scope), now)).changes(since, now);
    });
  }

  async version(scope: string, options?: ReadOptions): Promise<number> {
    return this.guard(
      "version",
      async () => (await this.sync(this.cipher.scopeTag(scope), clockOf(options?.now))).local,
    );
  }

  async stats(scope?: string, options?: ReadOptions): Promise<VaultStats> {
    return this.guard("stats", () => this.countRows(this.#tagOf(scope), clockOf(options?.now)));
  }

  async exportEntries(scope?: string, options?: ReadOptions): Promise<ExportedEntry[]> {
    return this.guard("export", async () =>
      (await this.liveRows(this.#tagOf(scope), clockOf(options?.now))).map((row) =>
        exportedEntry(row.scope_tag, this.decryptRow(row.scope_tag, { id: 0, ...row }).entry, {
          created: row.created,
          lastUsed: row.last_used,
          expires: row.expires,
        }),
      ),
    );
  }

  async purge(options?: PurgeOptions): Promise<number> {
    return this.guard("purge", async () => {
      const now = clockOf(options?.now);
      const expiredBy = options?.expiredOnly === true ? now : undefined;
      const { tags, deleted } = await this.deleteRows(this.#tagOf(options?.scope), expiredBy);
      for (const t of tags) this.caches.delete(t.toString("hex"));
      if (deleted > 0) await this.reclaim();
      return deleted;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.caches.clear();
    this.cipher.clear();
    await this.closeStore();
  }

  /** PRX_VAULT_FAILED for a storage error (a ProxyError passes as it is). */
  protected failure(what: string, err: unknown): ProxyError {
    if (err instanceof ProxyError) return err;
    return new ProxyError("PRX_VAULT_FAILED", { cause: this.safeCause(err), detail: `vault ${what} failed` });
  }

  /** Runs one operation of the vault: refused once closed, after {@link ready}, storage errors fail closed. */
  protected async guard<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
    if (this.closed) throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault is closed" });
    await this.ready();
    try {
      return await fn();
    } catch (err) {
      throw this.failure(what, err);
    }
  }

  /**
   * Loads a scope that has no cache (or one that must be read again), once for every caller that comes
   * meanwhile: `read` gives the scope's version, read before any row, and its ciphertext rows (one statement,
   * or slices whose writes meanwhile the revalidation catches), the rows are decrypted {@link DECRYPT_SLICE_ROWS} at a time with a turn of the event loop
   * between slices — a scope of 100k values holds the loop ~5 ms at a time instead of seconds — and `install`
   * makes the cache, unless another one was installed meanwhile (a warm-up's). Each caller then revalidates the
   * cache as it would any cached scope, so it sees what was committed before its call.
   */
  protected loadScope<S extends { readonly rows: readonly EncryptedRow[] }>(
    hex: string,
    tag: Buffer,
    read: () => S | Promise<S>,
    install: (snapshot: S, rows: Map<string, CachedRow>) => ScopeCache,
  ): Promise<ScopeCache> {
    let loading = this.#loading.get(hex);
    if (loading === undefined) {
      loading = (async () => {
        try {
          const snapshot = await read();
          // Closed meanwhile (close() dropped every decrypted scope): nothing is decrypted or installed after it.
          const open = (): void => {
            if (this.closed) throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault is closed" });
          };
          open();
          const rows = new Map<string, CachedRow>();
          for (const [i, row] of snapshot.rows.entries()) {
            if (i > 0 && i % DECRYPT_SLICE_ROWS === 0) {
              await new Promise<void>((resolve) => setImmediate(resolve));
              open();
            }
            rows.set(row.placeholder_key, this.decryptRow(tag, row));
          }
          open();
          return this.caches.peek(hex) ?? install(snapshot, rows);
        } finally {
          this.#loading.delete(hex);
        }
      })();
      this.#loading.set(hex, loading);
    }
    return loading;
  }

  /** A stored row with its value decrypted, as the scope cache holds it. */
  protected decryptRow(tag: Buffer, row: EncryptedRow): CachedRow {
    const value = this.cipher.decrypt(tag, row.placeholder_key, row.value_ct);
    const entry = makeEntry({
      name: row.name,
      n: row.n,
      type: row.type,
      level: storedLevel(row.level),
      value,
    });
    return { id: row.id, entry, expires: row.expires };
  }

  /** A fresh scope cache of `rows`, installed as the scope's. */
  protected install(hex: string, rows: Map<string, CachedRow>, dbVersion: number, now: number): ScopeCache {
    const cache = new ScopeCache(rows, dbVersion, now, this.next);
    this.caches.set(hex, cache);
    return cache;
  }

  #tagOf(scope: string | undefined): Buffer | undefined {
    return scope === undefined ? undefined : this.cipher.scopeTag(scope);
  }
}
