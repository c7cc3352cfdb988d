/**
 * The vault module: the contract, its implementations and `openVault`, which picks one from the configuration
 * (memory for `--ephemeral`, the shared PostgreSQL database for `--vault-url`, else the encrypted SQLite file
 * `<dataDir>/vault.db`).
 */
import { join } from "node:path";
import { assertPrivateFileIfPresent, loadVaultKey } from "./keys.js";
import { createMemoryVault } from "./memory-vault.js";
import { createPostgresVault } from "./postgres-vault.js";
import { createSqliteVault } from "./sqlite-vault.js";
import type { Retention, Vault } from "./vault.js";

export * from "./vault.js";
export { createMemoryVault } from "./memory-vault.js";
export { createSqliteVault, DEFAULT_BUSY_TIMEOUT_MS, VAULT_SCHEMA_VERSION } from "./sqlite-vault.js";
export type { SqliteVaultOptions } from "./sqlite-vault.js";
export { createPostgresVault } from "./postgres-vault.js";
export type { PostgresVaultOptions } from "./postgres-vault.js";
export {
  assertPrivateFileIfPresent,
  deriveVaultKeys,
  ensureDataDir,
  loadVaultKey,
  parseVaultKey,
  VAULT_KEY_BYTES,
  VAULT_KEY_FILE,
} from "./keys.js";
export type { VaultKeys } from "./keys.js";

/** File name of the SQLite vault inside the data directory. */
export const VAULT_DB_FILE = "vault.db";

/** Where a shared vault lives, and how this replica connects to it. */
export interface SharedVaultOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly timeoutMs: number;
}

/**
 * Opens the vault: in memory when `ephemeral` (nothing written, no key needed), on PostgreSQL when `shared` is
 * given, else `<dataDir>/vault.db`; the key comes from `envKey` (`MEMPRIVACY_VAULT_KEY`) or
 * `<dataDir>/vault.key` (replicas of one shared vault need the same key). Retention defaults to DEFAULT_RETENTION.
 * The data directory, key file and database files must belong to the effective user and be private to it
 * (not symbolic links); otherwise PRX_VAULT_UNSAFE_PATH / PRX_VAULT_KEY_PERMISSIONS stop start-up.
 */
export function openVault(options: {
  ephemeral: boolean;
  dataDir: string;
  envKey?: string | undefined;
  retention?: Retention;
  shared?: SharedVaultOptions | undefined;
}): Vault {
  const retention = options.retention === undefined ? {} : { retention: options.retention };
  if (options.ephemeral) return createMemoryVault(retention);
  if (options.shared !== undefined) {
    const keys = loadVaultKey({ dataDir: options.dataDir, envKey: options.envKey });
    return createPostgresVault({ ...options.shared, keys, ...retention });
  }
  // The data directory is checked (ours, not writable by others) before anything in it is trusted; once it
  // is, nobody else can plant or swap a file there between these checks and SQLite opening them.
  const keys = loadVaultKey({ dataDir: options.dataDir, envKey: options.envKey });
  const file = join(options.dataDir, VAULT_DB_FILE);
  for (const suffix of ["", "-wal", "-shm", "-journal"])
    assertPrivateFileIfPresent(`${file}${suffix}`, "database");
  return createSqliteVault({ file, keys, ...retention });
}
