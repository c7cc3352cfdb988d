/**
 * The decrypted entries of one scope as a durable backend (SQLite, PostgreSQL) holds them in memory between
 * reads, and the scope's change feed (`Vault.changes`). The backend owns revalidation against its database
 * (which rows to put or drop); this class owns what follows from the rows and the clock:
 *
 * - Invariant: `rows` holds every stored row of the scope the backend last saw (expired ones too), by lower-case
 *   key; an entry is live strictly before its row's expiry.
 * - The feed: `log` lists the entries added, or whose level rose, since the feed's epoch began; a retention
 *   renewal never enters it. Whenever a row leaves the live set (deleted, or passing its retention by the clock),
 *   the epoch changes and the log empties, so a reader at an older epoch starts over from the live set.
 * - `nextExpiry` is a lower bound of the live rows' expiries, so the clock costs one comparison until it passes.
 */
import { isExpired } from "./allocation.js";
import type { ChangeCursor, ScopeChanges, VaultEntry } from "./vault.js";

/** A stored row: its backend id, its entry (the value decrypted) and when it expires. */
export interface CachedRow {
  readonly id: number;
  readonly entry: VaultEntry;
  readonly expires: number;
}

/** Draws numbers that are never reused within one vault object (versions and epochs). */
export type Counter = () => number;

/** One scope's rows and change feed. */
export class ScopeCache {
  /** The backend's version of the scope that `rows` reflect. */
  dbVersion: number;
  /** The number a backend's `version()` returns for the scope; changes with every change of the live set. */
  local: number;
  readonly #rows: Map<string, CachedRow>;
  readonly #next: Counter;
  #nextExpiry: number;
  #lastScan: number;
  #log: VaultEntry[] = [];
  #epoch: number;

  constructor(rows: Map<string, CachedRow>, dbVersion: number, now: number, next: Counter) {
    this.#rows = rows;
    this.#next = next;
    this.dbVersion = dbVersion;
    this.local = next();
    this.#epoch = next();
    this.#lastScan = now;
    this.#nextExpiry = earliestExpiry(rows, now);
  }

  /** No live row expires before this (a lower bound). */
  get expiresBy(): number {
    return this.#nextExpiry;
  }

  /** Every stored row, by lower-case key, in the order they were put. */
  get rows(): ReadonlyMap<string, CachedRow> {
    return this.#rows;
  }

  /**
   * Puts a row read from (or just written to) the database. A new entry, or a raised level, enters the feed; a
   * renewal only updates the expiry (the cached entry object is kept). Returns the entry now held.
   */
  put(row: CachedRow): VaultEntry {
    const before = this.#rows.get(row.entry.key);
    const kept = before !== undefined && before.entry.level === row.entry.level ? before.entry : row.entry;
    if (before !== undefined && before.id !== row.id) {
      // Another row under the same key (the old one was deleted): the old entry left the live set.
      this.restartFeed();
    }
    this.#rows.set(row.entry.key, kept === row.entry ? row : { ...row, entry: kept });
    if (kept !== before?.entry) this.#log.push(kept);
    // An expiry set earlier than the bound (a new row, a shorter retention, another process's clock) lowers it.
    this.#nextExpiry = Math.min(this.#nextExpiry, row.expires);
    this.local = this.#next();
    return kept;
  }

  /** Drops a row that was deleted: its entry left the live set, so the feed starts over. */
  remove(key: string): void {
    if (this.#rows.delete(key)) {
      this.restartFeed();
      this.local = this.#next();
    }
  }

  /** A new epoch with an empty log: every reader starts over from the live set. */
  restartFeed(): void {
    this.#epoch = this.#next();
    this.#log = [];
  }

  /** Rows that passed their retention since the last reading of the clock leave the live set: a change. */
  checkExpiry(now: number): void {
    if (now < this.#lastScan) {
      // A clock set back (tests): rows past their retention then may be live again.
      this.#lastScan = now;
      this.#nextExpiry = earliestExpiry(this.#rows, now);
      this.restartFeed();
      this.local = this.#next();
      return;
    }
    const since = this.#lastScan;
    this.#lastScan = now;
    if (this.#nextExpiry > now) return;
    let passed = false;
    for (const row of this.#rows.values()) {
      if (row.expires > since && isExpired(row.expires, now)) {
        passed = true;
        break;
      }
    }
    this.#nextExpiry = earliestExpiry(this.#rows, now);
    if (passed) {
      this.local = this.#next();
      this.restartFeed();
    }
  }

  /** The live entry of a lower-case key. */
  live(key: string, now: number): VaultEntry | undefined {
    const row = this.#rows.get(key);
    return row === undefined || isExpired(row.expires, now) ? undefined : row.entry;
  }

  /** The live entries of some keys (any case), keyed by the key exactly as passed; unknown and expired absent. */
  resolve(keys: readonly string[], now: number): Map<string, VaultEntry> {
    const out = new Map<string, VaultEntry>();
    for (const key of keys) {
      const entry = this.live(key.toLowerCase(), now);
      if (entry !== undefined) out.set(key, entry);
    }
    return out;
  }

  /** Every live entry, in row order. */
  liveEntries(now: number): VaultEntry[] {
    const out: VaultEntry[] = [];
    for (const row of this.#rows.values()) if (!isExpired(row.expires, now)) out.push(row.entry);
    return out;
  }

  /** The feed since `since` (the clock already checked with {@link checkExpiry}). */
  changes(since: ChangeCursor | undefined, now: number): ScopeChanges {
    const cursor = { epoch: this.#epoch, seq: this.#log.length };
    if (since?.epoch !== this.#epoch || since.seq > this.#log.length)
      return { reset: true, entries: this.liveEntries(now), cursor };
    const entries: VaultEntry[] = [];
    for (let i = since.seq; i < this.#log.length; i++) {
      const entry = this.#log[i] as VaultEntry;
      if (this.live(entry.key, now) !== undefined) entries.push(entry);
    }
    return { reset: false, entries, cursor };
  }
}

/** Scope caches by tag (hex), least recently used dropped first. */
export class ScopeCaches {
  readonly #max: number;
  readonly #map = new Map<string, ScopeCache>();

  constructor(max: number) {
    this.#max = max;
  }

  /** The cache of a tag, moved to the most recently used end. */
  get(hex: string): ScopeCache | undefined {
    const cache = this.#map.get(hex);
    if (cache !== undefined) {
      this.#map.delete(hex);
      this.#map.set(hex, cache);
    }
    return cache;
  }

  /** Looks without touching the order. */
  peek(hex: string): ScopeCache | undefined {
    return this.#map.get(hex);
  }

  has(hex: string): boolean {
    return this.#map.has(hex);
  }

  get size(): number {
    return this.#map.size;
  }

  get full(): boolean {
    return this.#map.size >= this.#max;
  }

  set(hex: string, cache: ScopeCache): void {
    this.#map.delete(hex);
    if (this.#map.size >= this.#max) {
      const oldest = this.#map.keys().next();
      if (oldest.done !== true) this.#map.delete(oldest.value);
    }
    this.#map.set(hex, cache);
  }

  delete(hex: string): void {
    this.#map.delete(hex);
  }

  clear(): void {
    this.#map.clear();
  }
}

function earliestExpiry(rows: ReadonlyMap<string, CachedRow>, now: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const row of rows.values()) {
    if (!isExpired(row.expires, now) && row.expires < next) next = row.expires;
  }
  return next;
}
