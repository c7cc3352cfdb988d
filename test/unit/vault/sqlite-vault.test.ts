/**
 * What only the SQLite vault promises: no value or scope in the file bytes (database and WAL, before and after a
 * checkpoint), durability across reopen, wrong-key refusal without writing, purge that really removes the bytes,
 * tamper detection, and consistency between connections and between processes sharing one file.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { isProxyError } from "../../../src/errors/catalogue.js";
import { deriveVaultKeys } from "../../../src/vault/keys.js";
import { openVault } from "../../../src/vault/index.js";
import { createSqliteVault } from "../../../src/vault/sqlite-vault.js";
import type { Vault } from "../../../src/vault/vault.js";
import { spawnVaultWorker } from "../../fixtures/vault-workers.js";
import type { Ack } from "../../fixtures/vault-workers.js";
import { contains, OTHER_KEY_HEX, req, tempDir, TEST_KEY_HEX } from "./helpers.js";

const SCOPE = "auth:9f2c1e7a5b3d|session:scope-marker-7781";
const VALUES = [
  "alice.liddell@wonderland.example",
  "13800138000",
  "110101199003074514",
  "张伟住在北京市朝阳区建国路88号",
  "パスワードは秘密です",
  "correct horse battery staple 🔑🐎",
  "postgres://admin:s3cr3t-pw@db.internal:5432/prod",
  "sk-live-51HxQ2eZvKYlo2C0aBcDeFgHiJkLmNoP",
];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function workspace(): { dir: string; file: string } {
  const { dir, cleanup } = tempDir("vault-sqlite-");
  cleanups.push(cleanup);
  return { dir, file: `${dir}/vault.db` };
}

function open(file: string, keyHex = TEST_KEY_HEX): Vault {
  const vault = createSqliteVault({ file, keys: deriveVaultKeys(Buffer.from(keyHex, "hex")) });
  cleanups.push(() => vault.close());
  return vault;
}

function fileBytes(file: string): Buffer {
  return Buffer.concat(
    ["", "-wal", "-shm"].map((suffix) =>
      existsSync(file + suffix) ? readFileSync(file + suffix) : Buffer.alloc(0),
    ),
  );
}

/** The plaintexts that must never appear: each value and the scope, in UTF-8 and UTF-16 (both byte orders). */
function leaks(bytes: Buffer, texts: readonly string[]): string[] {
  const found: string[] = [];
  for (const text of texts) {
    const utf16be = Buffer.from(text, "utf16le").swap16();
    for (const [encoding, needle] of [
      ["utf8", Buffer.from(text, "utf8")],
      ["utf16le", Buffer.from(text, "utf16le")],
      ["utf16be", utf16be],
    ] as const) {
      if (contains(bytes, needle)) found.push(`${encoding}:${text.slice(0, 12)}`);
    }
  }
  return found;
}

/** The catalogue code `fn` fails with, synchronously or by rejecting; undefined when it succeeds. */
async function codeOf(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
  } catch (err) {
    return isProxyError(err) ? err.code : `non-catalogue: ${String(err)}`;
  }
  return undefined;
}

describe("sqlite vault on disk", () => {
  it("stores no value and no scope in the database or the WAL, before or after a checkpoint", async () => {
    const { file } = workspace();
    const vault = open(file);
    const types = [
      "Email",
      "Phone Number",
      "ID Number",
      "Detailed Address",
      "Password",
      "Password",
      "Key",
      "Token",
    ];
    await vault.allocate(
      SCOPE,
      VALUES.map((v, i) => req(v, types[i] ?? "Key", "PL4")),
    );
    for (const v of VALUES) await vault.allocate(SCOPE, [req(v, "Key", "PL4")]); // level raises and touches too
    await vault.entries(SCOPE);
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    expect(leaks(fileBytes(file), [...VALUES, SCOPE])).toEqual([]);

    const raw = new Database(file);
    raw.pragma("wal_checkpoint(FULL)");
    raw.close();
    expect(leaks(fileBytes(file), [...VALUES, SCOPE])).toEqual([]);
    await vault.close();
    expect(existsSync(`${file}-wal`)).toBe(false); // the last close checkpoints and removes the WAL
    expect(leaks(fileBytes(file), [...VALUES, SCOPE])).toEqual([]);
  });

  it("keeps the same placeholders after close and reopen, and keeps counting", async () => {
    const { file } = workspace();
    const first = open(file);
    const before = await first.allocate(SCOPE, [req(VALUES[0] ?? ""), req(VALUES[1] ?? "", "Phone Number")]);
    await first.close();
    const second = open(file);
    const after = await second.allocate(SCOPE, [
      req(VALUES[1] ?? "", "Phone Number"),
      req(VALUES[0] ?? ""),
      req("new@x.io"),
    ]);
    expect(after.map((e) => e.placeholder)).toEqual([
      before[1]?.placeholder,
      before[0]?.placeholder,
      "<Email_2>",
    ]);
    expect((await second.resolve(SCOPE, ["email_1"])).get("email_1")?.value).toBe(VALUES[0]);
  });

  it("creates the database file private (0600) and uses WAL with FULL sync and secure_delete", async () => {
    const { file } = workspace();
    await open(file).allocate(SCOPE, [req("a@x.io")]);
    if (process.platform !== "win32") {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    }
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });

  it("refuses a wrong key with PRX_VAULT_BAD_KEY and leaves the file bytes unchanged", async () => {
    const { file } = workspace();
    const vault = open(file);
    await vault.allocate(SCOPE, [req(VALUES[0] ?? "")]);
    await vault.close();
    const before = readFileSync(file);
    expect(await codeOf(() => open(file, OTHER_KEY_HEX).ready())).toBe("PRX_VAULT_BAD_KEY");
    expect(readFileSync(file).equals(before)).toBe(true);
    expect((await open(file).resolve(SCOPE, ["email_1"])).get("email_1")?.value).toBe(VALUES[0]);
  });

  it("refuses a file that is not a vault, without touching it", async () => {
    const { dir, file } = workspace();
    const other = new Database(file);
    other.exec("CREATE TABLE notes (x TEXT)");
    other.close();
    const before = readFileSync(file);
    expect(await codeOf(() => open(file).ready())).toBe("PRX_VAULT_FAILED");
    expect(readFileSync(file).equals(before)).toBe(true);
    writeFileSync(`${dir}/garbage.db`, Buffer.alloc(4096, 7));
    expect(await codeOf(() => open(`${dir}/garbage.db`).ready())).toBe("PRX_VAULT_FAILED");
  });

  it("detects a row moved to another scope (AES-GCM binds scope and placeholder)", async () => {
    const { file } = workspace();
    const vault = open(file);
    await vault.allocate("A", [req("a-value")]);
    await vault.allocate("B", [req("b-value")]);
    await vault.close();
    const raw = new Database(file);
    const rows = raw.prepare("SELECT id, value_ct FROM entries ORDER BY id").all() as {
      id: number;
      value_ct: Buffer;
    }[];
    const update = raw.prepare("UPDATE entries SET value_ct = ? WHERE id = ?");
    update.run(rows[1]?.value_ct, rows[0]?.id);
    raw.close();
    const reopened = open(file);
    expect(await codeOf(() => reopened.entries("A"))).toBe("PRX_VAULT_FAILED");
    expect((await reopened.entries("B")).map((e) => e.value)).toEqual(["b-value"]);
  });

  it("purge deletes the rows and their ciphertexts from the file, which shrinks", async () => {
    const { file } = workspace();
    const vault = open(file);
    const values = Array.from({ length: 1500 }, (_, i) => `user-${i}-${"x".repeat(120)}@example.com`);
    for (let i = 0; i < values.length; i += 100) {
      await vault.allocate(
        SCOPE,
        values.slice(i, i + 100).map((v) => req(v)),
      );
    }
    await vault.allocate("keep", [req("kept@x.io")]);
    const raw = new Database(file);
    raw.pragma("wal_checkpoint(TRUNCATE)");
    const secrets = raw.prepare("SELECT value_ct, value_mac FROM entries").all() as {
      value_ct: Buffer;
      value_mac: Buffer;
    }[];
    raw.close();
    const sizeBefore = statSync(file).size;
    expect(secrets.length).toBe(1501);
    expect(contains(fileBytes(file), secrets[0]?.value_ct ?? Buffer.alloc(0))).toBe(true);

    expect(await vault.purge({ scope: SCOPE })).toBe(1500);
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT count(*) FROM entries").pluck().get()).toBe(1);
    check.close();
    const bytes = fileBytes(file);
    const survivors = secrets.filter((s) => contains(bytes, s.value_ct) || contains(bytes, s.value_mac));
    expect(survivors.length).toBe(1); // only the kept scope's entry
    expect(statSync(file).size).toBeLessThan(sizeBefore / 4);
    expect((await vault.entries("keep")).map((e) => e.value)).toEqual(["kept@x.io"]);
  });

  it("openVault: memory when ephemeral, else <dataDir>/vault.db with the key file", async () => {
    const { dir } = workspace();
    const ephemeral = openVault({ ephemeral: true, dataDir: `${dir}/nothing` });
    expect(ephemeral.kind).toBe("memory");
    expect(existsSync(`${dir}/nothing`)).toBe(false);
    const durable = openVault({ ephemeral: false, dataDir: `${dir}/data` });
    cleanups.push(() => durable.close());
    expect(durable.kind).toBe("sqlite");
    await durable.allocate(SCOPE, [req("a@x.io")]);
    expect(existsSync(`${dir}/data/vault.db`)).toBe(true);
    expect(existsSync(`${dir}/data/vault.key`)).toBe(true);
  });
});

describe("sqlite vault shared between connections and processes", () => {
  it("two connections on one file see each other's writes and agree on placeholders", async () => {
    const { file } = workspace();
    const one = open(file);
    const two = open(file);
    await one.allocate(SCOPE, [req("a"), req("b")]);
    const v = await one.version(SCOPE);
    expect((await one.entries(SCOPE)).length).toBe(2);
    const out = await two.allocate(SCOPE, [req("b"), req("c")]);
    expect(out.map((e) => e.placeholder)).toEqual(["<Email_2>", "<Email_3>"]);
    expect(await one.version(SCOPE)).not.toBe(v);
    expect((await one.entries(SCOPE)).map((e) => e.value)).toEqual(["a", "b", "c"]);
    expect((await one.resolve(SCOPE, ["EMAIL_3"])).get("EMAIL_3")?.value).toBe("c");
    await two.allocate(SCOPE, [req("a", "Email", "PL4")]);
    expect((await one.resolve(SCOPE, ["email_1"])).get("email_1")?.level).toBe("PL4");
    expect((await one.allocate(SCOPE, [req("a", "Email", "PL2")]))[0]?.level).toBe("PL4");
    await two.purge({ scope: SCOPE });
    expect(await one.entries(SCOPE)).toEqual([]);
  });

  it("reads started together share one check of the file, and a later read sees what another connection wrote", async () => {
    const { file } = workspace();
    const one = open(file);
    const two = open(file);
    const other = `${SCOPE}-other`;
    // Both scopes cached by `one` and checked in the same turn (as the pipeline reads its two partitions).
    await Promise.all([one.changes(SCOPE), one.changes(other)]);
    for (let round = 0; round < 3; round++) {
      await two.allocate(SCOPE, [req(`a${round}`)]);
      await two.allocate(other, [req(`b${round}`)]);
      const [a, b] = await Promise.all([one.changes(SCOPE), one.changes(other)]);
      expect(a.entries.map((e) => e.value)).toContain(`a${round}`);
      expect(b.entries.map((e) => e.value)).toContain(`b${round}`);
    }
  });

  it("concurrent processes allocating overlapping values never split or share a placeholder", async () => {
    const { file } = workspace();
    await open(file).close(); // create the schema once, as a server would at start-up
    const values = Array.from({ length: 90 }, (_, i) => `v${i}-${"abc".slice(0, i % 3)}@例え.jp`);
    // Each worker gets 3/4 of the values, so every value is allocated by three workers at once.
    const subsets = [0, 1, 2, 3].map((w) => values.filter((_, i) => (i + w) % 4 !== 0));
    const workers = subsets.map((subset, w) =>
      spawnVaultWorker({
        file,
        keyHex: TEST_KEY_HEX,
        scope: SCOPE,
        mode: "set",
        seed: 1000 + w,
        values: subset,
      }),
    );
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes, workers.map((w) => w.stderr()).join("\n")).toEqual([0, 0, 0, 0]);
    const acks: Ack[] = workers.flatMap((w) => w.acks);
    expect(acks.length).toBe(subsets.flat().length);

    const byValue = new Map<string, Set<string>>();
    for (const ack of acks) byValue.set(ack.v, (byValue.get(ack.v) ?? new Set()).add(ack.p));
    for (const [value, placeholders] of byValue) expect([value, ...placeholders]).toHaveLength(2);
    const placeholders = [...byValue.values()].map((s) => [...s][0]);
    expect(new Set(placeholders).size).toBe(values.length);

    const vault = open(file);
    const entries = await vault.entries(SCOPE);
    expect(entries.length).toBe(values.length);
    for (const entry of entries) expect(byValue.get(entry.value)).toEqual(new Set([entry.placeholder]));
    // Numbers are dense per name: nobody lost a number to a conflict.
    const byName = new Map<string, number[]>();
    for (const e of entries) byName.set(e.name, [...(byName.get(e.name) ?? []), e.n]);
    for (const ns of byName.values()) expect(ns.sort((a, b) => a - b)).toEqual(ns.map((_, i) => i + 1));
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
    raw.close();
  }, 60_000);
});
