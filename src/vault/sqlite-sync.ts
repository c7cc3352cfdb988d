/**
 * Keeping the SQLite vault's scope caches current without reading a scope again: patching a cache from another
 * process's writes (row heads only, new rows decrypted), and applying this connection's own allocation to it.
 */
import { makeEntry, storedLevel } from "./allocation.js";
import type { AllocationResult } from "./sqlite-allocate.js";
import type { RowFull, Statements } from "./sqlite-statements.js";
import type { CachedRow, ScopeCache } from "./scope-cache.js";
import type { VaultEntry } from "./vault.js";

/**
 * Brings a cached scope up to another process's writes without decrypting what it already holds: one pass over
 * the rows' heads (no ciphertext) for levels and expiries, and only new rows decrypted. False (reload
 * everything) when rows were deleted or replaced.
 */
export function patchFromHeads(
  stmt: Statements,
  decrypt: (row: RowFull) => CachedRow,
  tag: Buffer,
  cached: ScopeCache,
): boolean {
  const fresh: number[] = [];
  const updates: CachedRow[] = [];
  let seen = 0;
  for (const head of stmt.heads.iterate(tag)) {
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
    const full = stmt.rowById.get(id);
    if (full === undefined) return false;
    rows.push(decrypt(full));
  }
  for (const row of updates) cached.put(row);
  for (const row of rows) cached.put(row);
  return true;
}

/**
 * Applies an allocation this connection committed to the cache (which was at the version the allocation started
 * from): deleted rows leave, new rows and raised levels enter the feed, renewals only move expiries.
 */
export function applyOwnWrite(
  cache: ScopeCache,
  result: AllocationResult,
  macs: readonly Buffer[],
  entries: readonly VaultEntry[],
): void {
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
}
