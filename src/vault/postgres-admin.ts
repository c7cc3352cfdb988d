/**
 * The shared vault's maintenance queries — counts, the export read, purge, the warm-up reads — kept apart from the
 * request path (`postgres-vault.ts` runs them under its error guard and drops the caches they invalidate), and
 * how a database error is kept for logs.
 */
import type pg from "pg";
import { statsOf } from "./allocation.js";
import { PG_SCHEMA as S, type EntryRow } from "./postgres-schema.js";
import type { VaultStats } from "./vault.js";

/** Counts per level and type of one scope (its tag) or of all; `now` decides what counts as expired. */
export async function countEntries(pool: pg.Pool, tag: Buffer | undefined, now: number): Promise<VaultStats> {
  const where = tag === undefined ? "" : "WHERE scope_tag = $2";
  const params: unknown[] = tag === undefined ? [now] : [now, tag];
  const groups = await pool.query<{ level: string; type: string; c: number; x: number }>(
    `SELECT level, type, count(*)::int AS c, (count(*) FILTER (WHERE expires <= $1))::int AS x
     FROM ${S}.entries ${where} GROUP BY level, type`,
    params,
  );
  const scopes = await pool.query<{ c: number }>(
    `SELECT count(DISTINCT scope_tag)::int AS c FROM ${S}.entries ${where.replace("$2", "$1")}`,
    params.slice(1),
  );
  return statsOf(scopes.rows[0]?.c ?? 0, groups.rows);
}

/** Every live row of one scope or of all, in allocation order per scope (ciphertext included). */
export async function liveRows(pool: pg.Pool, tag: Buffer | undefined, now: number): Promise<EntryRow[]> {
  const where = tag === undefined ? "" : "AND scope_tag = $2";
  const params: unknown[] = tag === undefined ? [now] : [now, tag];
  const result = await pool.query<EntryRow>(
    `SELECT * FROM ${S}.entries WHERE expires > $1 ${where} ORDER BY scope_tag, id`,
    params,
  );
  return result.rows;
}

/**
 * Deletes the entries of one scope or of all (only those expired by `expiredBy` when given), inside the caller's
 * transaction; returns the scope tags touched and how many rows went. Counters stay (numbers are never reused);
 * the scopes' epochs move, so every replica's readers start over.
 */
export async function deleteEntries(
  client: pg.PoolClient,
  tag: Buffer | undefined,
  expiredBy: number | undefined,
): Promise<{ tags: Buffer[]; deleted: number }> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (tag !== undefined) {
    params.push(tag);
    conditions.push(`scope_tag = $${params.length}`);
  }
  if (expiredBy !== undefined) {
    params.push(expiredBy);
    conditions.push(`expires <= $${params.length}`);
  }
  const where = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
  const found = await client.query<{ scope_tag: Buffer }>(
    `SELECT DISTINCT scope_tag FROM ${S}.entries ${where}`,
    params,
  );
  const tags = found.rows.map((r) => r.scope_tag);
  if (tags.length > 0)
    await client.query(
      `UPDATE ${S}.scopes SET epoch = epoch + 1, version = version + 1 WHERE scope_tag = ANY($1::bytea[])`,
      [tags],
    );
  const removed = await client.query(`DELETE FROM ${S}.entries ${where}`, params);
  return { tags, deleted: removed.rowCount ?? 0 };
}

/** The most recently used scopes (at most `limit`), each with its version and epoch. */
export async function recentScopes(
  pool: pg.Pool,
  limit: number,
): Promise<{ scope_tag: Buffer; version: number; epoch: number }[]> {
  const result = await pool.query<{ scope_tag: Buffer; version: number; epoch: number }>(
    `SELECT s.scope_tag, s.version, s.epoch FROM ${S}.scopes s
     ORDER BY (SELECT max(e.last_used) FROM ${S}.entries e WHERE e.scope_tag = s.scope_tag) DESC NULLS LAST
     LIMIT $1`,
    [limit],
  );
  return result.rows;
}

/** Every stored row of a scope, in allocation order. */
export async function scopeRows(pool: pg.Pool, tag: Buffer): Promise<EntryRow[]> {
  return (await pool.query<EntryRow>(`SELECT * FROM ${S}.entries WHERE scope_tag = $1 ORDER BY id`, [tag]))
    .rows;
}

/** The database's error without `detail`, `where` and the query's parameters: only code and message. */
export function safeCause(err: unknown): Error {
  if (!(err instanceof Error)) return new Error("database error");
  const cause = new Error(err.message);
  cause.name = err.name;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(cause, { code });
  return cause;
}
