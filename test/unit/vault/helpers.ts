/**
 * Shared helpers for the vault tests: temporary data directories, fixed keys, allocation requests, and
 * `BACKENDS`, the one list of vault implementations the contract suites run against (one line adds a backend).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PrivacyLevel } from "../../../src/taxonomy/levels.js";
import { placeholderNameFor } from "../../../src/taxonomy/placeholder.js";
import { deriveVaultKeys } from "../../../src/vault/keys.js";
import { createMemoryVault } from "../../../src/vault/memory-vault.js";
import { createPostgresVault } from "../../../src/vault/postgres-vault.js";
import { createSqliteVault } from "../../../src/vault/sqlite-vault.js";
import { postgresAvailable, startPgCluster, type PgCluster } from "../../helpers/pg-cluster.js";
import type { AllocationRequest, Retention, Vault } from "../../../src/vault/vault.js";

/** A fixed master key for tests (never a real one). */
export const TEST_KEY_HEX = "0f".repeat(32);
/** A different fixed key, for wrong-key tests. */
export const OTHER_KEY_HEX = "a5".repeat(32);

/** A fresh private temporary directory and a function removing it. */
export function tempDir(prefix = "vault-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An allocation request whose placeholder name is derived from the type, as the pipeline does. */
export function req(value: string, type = "Email", level: PrivacyLevel = "PL2"): AllocationRequest {
  return { value, type, name: placeholderNameFor(type), level };
}

/** True when `needle` occurs in `haystack` (for searching raw file bytes). */
export function contains(haystack: Buffer, needle: Buffer): boolean {
  return needle.length > 0 && haystack.indexOf(needle) !== -1;
}

/** Options of {@link VaultBackend.create}. */
export interface BackendOptions {
  /** Default DEFAULT_RETENTION; ignored with `sameStoreAs` (the store's first handle decides). */
  readonly retention?: Retention;
  /**
   * Another handle on the store of this vault (one `create` made) instead of a fresh store: a second connection
   * for a database, as another process or replica would hold; the same object for memory.
   */
  readonly sameStoreAs?: Vault;
}

/** One vault implementation under test. */
export interface VaultBackend {
  /** What the vault's `kind` reports. */
  readonly name: Vault["kind"];
  /** A ready vault (awaited `ready()`) on a fresh, empty store, or on an existing one with `sameStoreAs`. */
  create(options?: BackendOptions): Promise<Vault>;
  /** Closes every vault `create` made since the last cleanup and removes their stores. */
  cleanup(): Promise<void>;
}

/** A fresh store of a backend: how to open a handle on it, and how to remove it once every handle is closed. */
export interface BackendStore {
  readonly open: () => Vault;
  readonly remove: () => Promise<void> | void;
}

/**
 * Builds a backend from `openStore`, which makes a fresh store (a file, a database); the handles opened on it
 * are tracked so that `cleanup` closes them before it removes the stores.
 */
export function vaultBackend(
  name: Vault["kind"],
  openStore: (retention: Retention | undefined) => Promise<BackendStore> | BackendStore,
): VaultBackend {
  const storeOf = new WeakMap<Vault, { open: () => Vault }>();
  const handles: Vault[] = [];
  const removals: (() => Promise<void> | void)[] = [];
  return {
    name,
    async create(options = {}) {
      let store: { open: () => Vault } | undefined;
      if (options.sameStoreAs === undefined) {
        const fresh = await openStore(options.retention);
        removals.push(fresh.remove);
        store = fresh;
      } else {
        store = storeOf.get(options.sameStoreAs);
        if (store === undefined) throw new Error(`sameStoreAs: not a vault this ${name} backend created`);
      }
      const vault = store.open();
      handles.push(vault);
      storeOf.set(vault, store);
      await vault.ready();
      return vault;
    },
    async cleanup() {
      for (const vault of handles.splice(0)) await vault.close();
      for (const remove of removals.splice(0)) await remove();
    },
  };
}

/**
 * Every vault backend the contract, change-feed and binding suites run against (`describe.each(BACKENDS)`).
 * Another backend is one more entry: `vaultBackend("postgres", async (retention) => ({ open, remove }))`.
 */
let cluster: PgCluster | undefined;
let databases = 0;

/** The throwaway PostgreSQL cluster of this test process: started on first use, removed when the process exits. */
function pgCluster(): PgCluster {
  if (cluster === undefined) {
    const started = startPgCluster();
    cluster = started;
    process.once("exit", () => started.destroy());
  }
  return cluster;
}

export const BACKENDS: readonly VaultBackend[] = [
  vaultBackend("memory", (retention) => {
    const vault = createMemoryVault(retention === undefined ? {} : { retention });
    return { open: () => vault, remove: () => undefined };
  }),
  vaultBackend("sqlite", (retention) => {
    const { dir, cleanup } = tempDir();
    const options = {
      file: join(dir, "vault.db"),
      keys: deriveVaultKeys(Buffer.from(TEST_KEY_HEX, "hex")),
      ...(retention === undefined ? {} : { retention }),
    };
    return { open: () => createSqliteVault(options), remove: cleanup };
  }),
  ...(postgresAvailable()
    ? [
        vaultBackend("postgres", async (retention) => {
          const name = `vault_test_${process.pid}_${++databases}`;
          const url = await pgCluster().createDatabase(name);
          const options = {
            url,
            keys: deriveVaultKeys(Buffer.from(TEST_KEY_HEX, "hex")),
            poolSize: 4,
            timeoutMs: 10_000,
            ...(retention === undefined ? {} : { retention }),
          };
          // Each database is dropped with the cluster when the process exits.
          return { open: () => createPostgresVault(options), remove: () => undefined };
        }),
      ]
    : []),
];
