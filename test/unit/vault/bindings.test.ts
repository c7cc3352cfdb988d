/** Restoration bindings in both vaults: scoped, expiring, renewed, and — in SQLite — kept across a restart, encrypted. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { isProxyError } from "../../../src/errors/catalogue.js";
import { deriveVaultKeys } from "../../../src/vault/keys.js";
import { createSqliteVault } from "../../../src/vault/sqlite-vault.js";
import type { Vault } from "../../../src/vault/vault.js";
import { BACKENDS, tempDir, TEST_KEY_HEX } from "./helpers.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function sqliteFile(): string {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return join(dir.dir, "vault.db");
}

const keys = deriveVaultKeys(Buffer.from(TEST_KEY_HEX, "hex"));

describe.each(BACKENDS.map((b) => [b.name, b] as const))("%s vault bindings", (_name, backend) => {
  const make = (): Promise<Vault> => backend.create();
  afterEach(() => backend.cleanup());

  it("returns the keys bound to an id in its scope only, merged across binds", async () => {
    const vault = await make();
    await vault.bind("s1", "resp_1", ["email_1"], 1000, { now: 0 });
    await vault.bind("s1", "resp_1", ["phone_number_1", "email_1"], 1000, { now: 10 });
    expect([...(await vault.bound("s1", ["resp_1"], { now: 20 }))].sort()).toEqual([
      "email_1",
      "phone_number_1",
    ]);
    expect((await vault.bound("s2", ["resp_1"], { now: 20 })).size).toBe(0);
    expect((await vault.bound("s1", ["resp_9"], { now: 20 })).size).toBe(0);
    await vault.close();
  });

  it("forgets a binding after its time to live, and renews it when bound again", async () => {
    const vault = await make();
    await vault.bind("s", "conv_1", ["key_1"], 100, { now: 0 });
    expect((await vault.bound("s", ["conv_1"], { now: 99 })).size).toBe(1);
    await vault.bind("s", "conv_1", [], 100, { now: 99 });
    expect((await vault.bound("s", ["conv_1"], { now: 150 })).size).toBe(1);
    expect((await vault.bound("s", ["conv_1"], { now: 200 })).size).toBe(0);
    await vault.close();
  });
});

describe("sqlite vault bindings on disk", () => {
  it("survive a restart, with neither the id nor the keys in clear in the file", async () => {
    const file = sqliteFile();
    const first = createSqliteVault({ file, keys });
    await first.bind("auth:x|session:", "resp_secretish_id_123", ["password_1", "email_7"], 60_000);
    await first.close();
    const bytes =
      readFileSync(file).toString("latin1") + readFileSync(`${file}-wal`, { flag: "a+" }).toString("latin1");
    for (const clear of ["resp_secretish_id_123", "password_1", "email_7"])
      expect(bytes).not.toContain(clear);
    const second = createSqliteVault({ file, keys });
    expect([...(await second.bound("auth:x|session:", ["resp_secretish_id_123"]))].sort()).toEqual([
      "email_7",
      "password_1",
    ]);
    await second.close();
  });

  it("refuses a binding row moved to another scope (authenticated encryption)", async () => {
    const file = sqliteFile();
    const vault = createSqliteVault({ file, keys });
    await vault.bind("a", "id_1", ["email_1"], 60_000);
    await vault.bind("b", "id_1", ["email_2"], 60_000);
    await vault.close();
    const db = new Database(file);
    const rows = db.prepare("SELECT scope_tag, id_mac, keys_ct FROM bindings").all() as {
      scope_tag: Buffer;
      id_mac: Buffer;
      keys_ct: Buffer;
    }[];
    expect(rows).toHaveLength(2);
    const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];
    db.prepare("UPDATE bindings SET keys_ct = ? WHERE scope_tag = ? AND id_mac = ?").run(
      b.keys_ct,
      a.scope_tag,
      a.id_mac,
    );
    db.close();
    const reopened = createSqliteVault({ file, keys });
    let caught: unknown;
    try {
      await reopened.bound("a", ["id_1"]);
      await reopened.bound("b", ["id_1"]);
    } catch (err) {
      caught = err;
    }
    expect(isProxyError(caught) && caught.code === "PRX_VAULT_FAILED").toBe(true);
    await reopened.close();
  });
});
