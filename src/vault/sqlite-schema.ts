/**
 * The SQLite vault's file: its schema and how it is opened — WAL, FULL sync, secure_delete, and the key checked
 * before anything could write, so a wrong key leaves the file exactly as it was.
 */
import { timingSafeEqual } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import { ProxyError } from "../errors/catalogue.js";
import type { VaultKeys } from "./keys.js";

/** Schema version written to `meta`; a vault written by a newer schema is refused rather than misread. */
export const VAULT_SCHEMA_VERSION = 1;

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

/**
 * Opens (or creates) the vault file. Throws PRX_VAULT_BAD_KEY, without writing anything, when the file was
 * created with another key, and PRX_VAULT_FAILED when it cannot be opened or is not a vault.
 */
export function openDatabase(file: string, keys: VaultKeys, busyTimeoutMs: number): Database.Database {
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
