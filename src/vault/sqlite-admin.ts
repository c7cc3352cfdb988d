/**
 * The SQLite vault's maintenance statements — counts, the export read, purge and scrubbing what purge deleted —
 * kept apart from the request path (`sqlite-vault.ts` runs them under its error guard and drops the caches they
 * invalidate).
 */
import type Database from "better-sqlite3";
import { statsOf } from "./allocation.js";
import type { RowFull, Statements } from "./sqlite-statements.js";
import type { VaultStats } from "./vault.js";

/** A row as the export reads it. */
export type ExportRow = RowFull & { scope_tag: Buffer; created: number; last_used: number };

/** Counts per level and type of one scope (its tag) or of all; `now` decides what counts as expired. */
export function countEntries(db: Database.Database, tag: Buffer | undefined, now: number): VaultStats {
  const where = tag === undefined ? "" : "WHERE scope_tag = ?";
  const params: unknown[] = tag === undefined ? [] : [tag];
  const groups = db
    .prepare(
      `SELECT level, type, count(*) AS c, sum(expires <= ?) AS x FROM entries ${where} GROUP BY level, type`,
    )
    .all(now, ...params) as { level: string; type: string; c: number; x: number }[];
  const scopes = db
    .prepare(`SELECT count(DISTINCT scope_tag) FROM entries ${where}`)
    .pluck()
    .get(...params) as number;
  return statsOf(scopes, groups);
}

/** Every live row of one scope or of all, in allocation order per scope, in one read transaction. */
export function liveRows(db: Database.Database, tag: Buffer | undefined, now: number): ExportRow[] {
  const where = tag === undefined ? "" : "AND scope_tag = ?";
  const params: unknown[] = tag === undefined ? [] : [tag];
  const read = db.transaction(
    () =>
      db
        .prepare(
          `SELECT scope_tag, placeholder_key, name, n, type, level, value_ct, created, last_used, expires
           FROM entries WHERE expires > ? ${where} ORDER BY scope_tag, id`,
        )
        .all(now, ...params) as ExportRow[],
  );
  return read.deferred();
}

/**
 * Deletes the entries of one scope or of all (only those expired by `expiredBy` when given) in one write
 * transaction; returns the scope tags touched and how many rows went. Counters and versions stay: numbers are
 * never reused and versions never go back (the versions move, so other processes reload).
 */
export function deleteEntries(
  db: Database.Database,
  stmt: Statements,
  tag: Buffer | undefined,
  expiredBy: number | undefined,
): { tags: Buffer[]; deleted: number } {
  const conditions: string[] = [];
  const params: (Buffer | number)[] = [];
  if (tag !== undefined) {
    conditions.push("scope_tag = ?");
    params.push(tag);
  }
  if (expiredBy !== undefined) {
    conditions.push("expires <= ?");
    params.push(expiredBy);
  }
  const where = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
  const purge = db.transaction(() => {
    const tags = db
      .prepare(`SELECT DISTINCT scope_tag FROM entries ${where}`)
      .pluck()
      .all(...params) as Buffer[];
    for (const t of tags) stmt.bump.get(t);
    const deleted = db.prepare(`DELETE FROM entries ${where}`).run(...params).changes;
    return { tags, deleted };
  });
  return purge.immediate();
}

/**
 * Makes deleted bytes unreadable: secure_delete has zeroed the freed cells, the checkpoint moves those pages into
 * the main file and empties the WAL (which still held the old page images), and VACUUM rebuilds the file without
 * free pages so it also shrinks. A reader in another process can hold the WAL open; then the bytes go at the next
 * checkpoint instead.
 */
export function scrub(db: Database.Database): void {
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.exec("VACUUM");
  db.pragma("wal_checkpoint(TRUNCATE)");
}
