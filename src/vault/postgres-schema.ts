/**
 * The shared vault's schema on PostgreSQL, in its own schema `memprivacy`, with versioned migrations applied at
 * start-up. Replicas starting together take one advisory lock, so each migration runs once; the vault key is
 * checked against `meta` before anything is written, so a replica with another key refuses to start instead of
 * mixing ciphertexts.
 */
import { timingSafeEqual } from "node:crypto";
import pg from "pg";
import { ProxyError } from "../errors/catalogue.js";
import type { StoredRow } from "./allocation.js";
import type { VaultKeys } from "./keys.js";

/**
 * The vault pool's type parsers: `bigint` columns (ids, clocks in ms, versions) as JavaScript numbers — each
 * stays below 2^53 — instead of `pg`'s default strings; every other type as `pg` parses it.
 */
export const INT8_AS_NUMBER: pg.CustomTypesConfig = {
  getTypeParser: int8AsNumber as pg.CustomTypesConfig["getTypeParser"],
};

/** PostgreSQL's type id of `bigint`. */
const INT8_OID = 20;
const defaultParser = pg.types.getTypeParser as (oid: number, format?: string) => (text: string) => unknown;

function int8AsNumber(oid: number, format?: string): (text: string) => unknown {
  return oid === INT8_OID && format !== "binary" ? Number : defaultParser(oid, format);
}

/** Schema of the tables below; every name is qualified with it. */
export const PG_SCHEMA = "memprivacy";
/** The highest migration this build knows; a database migrated further by a newer build is refused. */
export const PG_SCHEMA_VERSION = 1;
/** The stored rows of some values of a scope, by MAC (no ciphertext: the MAC proves the value). */
export const BY_MAC = `SELECT id, value_mac, placeholder_key, name, n, type, level, last_used, expires
  FROM ${PG_SCHEMA}.entries WHERE scope_tag = $1 AND value_mac = ANY($2::bytea[])`;

/** A row of `entries` as the vault's pool returns it (bigint columns as numbers: see `INT8_AS_NUMBER`). */
export type EntryRow = StoredRow;

/** Advisory lock key of migrations (an arbitrary constant; only this program takes it). */
const MIGRATION_LOCK = 0x6d656d70; // "memp"

/**
 * Migration n (index n - 1). The same rows as the SQLite vault: values only as ciphertext and keyed MAC, scopes
 * only as keyed tags. `changed` is the scope's version at which a row was added or its level rose: the change feed
 * is "rows with changed > cursor", and since writers of a scope serialise on its `scopes` row, versions become
 * visible in order. `epoch` moves when rows leave the scope (purged, or replaced after expiry): readers start over.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ${PG_SCHEMA}.meta (k text PRIMARY KEY, v bytea NOT NULL);
  CREATE TABLE ${PG_SCHEMA}.scopes (
    scope_tag bytea PRIMARY KEY,
    version bigint NOT NULL DEFAULT 0,
    epoch bigint NOT NULL DEFAULT 0
  );
  CREATE TABLE ${PG_SCHEMA}.entries (
    id bigserial PRIMARY KEY,
    scope_tag bytea NOT NULL,
    placeholder_key text NOT NULL,
    name text NOT NULL,
    n integer NOT NULL,
    type text NOT NULL,
    level text NOT NULL,
    value_ct bytea NOT NULL,
    value_mac bytea NOT NULL,
    created bigint NOT NULL,
    last_used bigint NOT NULL,
    expires bigint NOT NULL,
    changed bigint NOT NULL,
    UNIQUE (scope_tag, value_mac),
    UNIQUE (scope_tag, placeholder_key)
  );
  CREATE INDEX entries_changed ON ${PG_SCHEMA}.entries (scope_tag, changed);
  CREATE INDEX entries_expires ON ${PG_SCHEMA}.entries (expires);
  CREATE TABLE ${PG_SCHEMA}.counters (
    scope_tag bytea NOT NULL,
    name_lower text NOT NULL,
    next_n integer NOT NULL,
    PRIMARY KEY (scope_tag, name_lower)
  );
  CREATE TABLE ${PG_SCHEMA}.bindings (
    scope_tag bytea NOT NULL,
    id_mac bytea NOT NULL,
    keys_ct bytea NOT NULL,
    expires bigint NOT NULL,
    PRIMARY KEY (scope_tag, id_mac)
  );
  CREATE INDEX bindings_expires ON ${PG_SCHEMA}.bindings (expires);
  `,
];

/**
 * Brings the database to {@link PG_SCHEMA_VERSION} and checks the key, in one transaction under the migration
 * lock. Throws PRX_VAULT_BAD_KEY when the vault was created with another key, PRX_VAULT_FAILED when it was migrated
 * by a newer build.
 */
export async function migrate(pool: pg.Pool, keys: VaultKeys): Promise<void> {
  const client = await pool.connect();
  let failed = true;
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${PG_SCHEMA}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${PG_SCHEMA}.migrations (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = await client.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${PG_SCHEMA}.migrations`,
    );
    const current = applied.rows[0]?.v ?? 0;
    if (current > PG_SCHEMA_VERSION)
      throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault schema version is not supported" });
    for (let version = current + 1; version <= PG_SCHEMA_VERSION; version++) {
      await client.query(MIGRATIONS[version - 1] as string);
      await client.query(`INSERT INTO ${PG_SCHEMA}.migrations (version) VALUES ($1)`, [version]);
    }
    await client.query(
      `INSERT INTO ${PG_SCHEMA}.meta (k, v) VALUES ('key_check', $1) ON CONFLICT (k) DO NOTHING`,
      [keys.check],
    );
    const check = await client.query<{ v: Buffer }>(`SELECT v FROM ${PG_SCHEMA}.meta WHERE k = 'key_check'`);
    const stored = check.rows[0]?.v;
    if (stored === undefined || stored.length !== keys.check.length || !timingSafeEqual(stored, keys.check))
      throw new ProxyError("PRX_VAULT_BAD_KEY");
    await client.query("COMMIT");
    failed = false;
  } finally {
    if (failed) await client.query("ROLLBACK").catch(() => undefined);
    client.release();
  }
}
