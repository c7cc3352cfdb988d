/**
 * The vault module: the contract, both implementations and `openVault`, which picks one from the configuration
 * (memory for `--ephemeral`, else the encrypted SQLite file `<dataDir>/vault.db`).
 */
import { join } from "node:path";
import { loadVaultKey } from "./keys.js";
import { createMemoryVault } from "./memory-vault.js";
import { createSqliteVault } from "./sqlite-vault.js";
import type { Retention, Vault } from "./vault.js";

export * from "./vault.js";
export { createMemoryVault } from "./memory-vault.js";
export { createSqliteVault, DEFAULT_BUSY_TIMEOUT_MS, VAULT_SCHEMA_VERSION } from "./sqlite-vault.js";
export type { SqliteVaultOptions } from "./sqlite-vault.js";
export {
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

/**
 * Opens the vault: in memory when `ephemeral` (nothing written, no key needed), else `<dataDir>/vault.db` with the
 * key from `envKey` (`MEMPRIVACY_VAULT_KEY`) or `<dataDir>/vault.key`. Retention defaults to DEFAULT_RETENTION.
 */
export function openVault(options: {
  ephemeral: boolean;
  dataDir: string;
  envKey?: string | undefined;
  retention?: Retention;
}): Vault {
  const retention = options.retention === undefined ? {} : { retention: options.retention };
  if (options.ephemeral) return createMemoryVault(retention);
  const keys = loadVaultKey({ dataDir: options.dataDir, envKey: options.envKey });
  return createSqliteVault({ file: join(options.dataDir, VAULT_DB_FILE), keys, ...retention });
}
