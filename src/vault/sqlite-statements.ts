/**
 * The SQLite vault's prepared statements and row shapes (one place for its SQL).
 */
import type Database from "better-sqlite3";
import type { MacRow, StoredRow } from "./allocation.js";

/** What the look-up by MAC reads. */
export type RowMeta = MacRow & Pick<StoredRow, "created">;
/** What revalidation reads of each row (no ciphertext). */
export type RowHead = Pick<StoredRow, "id" | "placeholder_key" | "level" | "expires">;
/** A row with its ciphertext, as the scope cache decrypts it. */
export type RowFull = Pick<
  StoredRow,
  "id" | "placeholder_key" | "name" | "n" | "type" | "level" | "value_ct" | "expires"
>;

/** The statements of one connection. */
export type Statements = ReturnType<typeof prepare>;

/** Prepares every statement the vault runs on `db`. */
export function prepare(db: Database.Database) {
  return {
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
    // A slice of a scope's rows in key order (the (scope_tag, placeholder_key) index: each slice costs its size).
    rowsAfter: db.prepare<[Buffer, string, number], RowFull>(
      `SELECT id, placeholder_key, name, n, type, level, value_ct, expires FROM entries
       WHERE scope_tag = ? AND placeholder_key > ? ORDER BY placeholder_key LIMIT ?`,
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
}
