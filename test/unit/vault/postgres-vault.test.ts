/**
 * What only the PostgreSQL vault has to show (the shared contract runs in contract.test.ts): nothing in clear in
 * the database, the key checked before anything is written, versioned migrations run once by replicas starting
 * together, and a schema from a newer build refused.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { deriveVaultKeys } from "../../../src/vault/keys.js";
import { createPostgresVault } from "../../../src/vault/postgres-vault.js";
import { PG_SCHEMA_VERSION } from "../../../src/vault/postgres-schema.js";
import type { Vault } from "../../../src/vault/vault.js";
import { postgresAvailable, startPgCluster, type PgCluster } from "../../helpers/pg-cluster.js";
import { OTHER_KEY_HEX, req, TEST_KEY_HEX } from "./helpers.js";

const describePg = postgresAvailable() ? describe : describe.skip;

describePg("postgres vault", () => {
  let cluster: PgCluster | undefined;
  let n = 0;
  const opened: Vault[] = [];
  const database = async (): Promise<string> => {
    cluster ??= startPgCluster();
    return cluster.createDatabase(`pgv_${++n}`);
  };
  const open = (url: string, hex = TEST_KEY_HEX): Vault => {
    const vault = createPostgresVault({
      url,
      keys: deriveVaultKeys(Buffer.from(hex, "hex")),
      poolSize: 4,
      timeoutMs: 10_000,
    });
    opened.push(vault);
    return vault;
  };
  const sql = async <T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  };

  afterAll(async () => {
    for (const vault of opened) await vault.close();
    cluster?.destroy();
  });

  it("stores values only as ciphertext and the scope only as a keyed tag", async () => {
    const url = await database();
    const vault = open(url);
    const value = "carol.brennan.7731@example.org";
    const scope = "auth:team-alpha|session:review-42";
    await vault.allocate(scope, [req(value, "Email", "PL3")]);
    await vault.bind(scope, "resp_cleartext_id_1", ["email_1"], 60_000);
    const dump = await sql<{ t: string }>(
      url,
      `SELECT string_agg(row_to_json(x)::text, ' ') AS t FROM (
         SELECT * FROM memprivacy.entries) x
       UNION ALL SELECT string_agg(row_to_json(b)::text, ' ') FROM memprivacy.bindings b
       UNION ALL SELECT string_agg(row_to_json(s)::text, ' ') FROM memprivacy.scopes s
       UNION ALL SELECT string_agg(row_to_json(c)::text, ' ') FROM memprivacy.counters c`,
    );
    const text = dump.map((r) => r.t).join(" ");
    expect(text).toContain("email_1");
    for (const secret of [value, scope, "resp_cleartext_id_1", "team-alpha"]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret, "utf8").toString("hex"));
    }
  });

  it("refuses another key before writing anything", async () => {
    const url = await database();
    await open(url).allocate("s", [req("a@example.org")]);
    const before = await sql<{ c: number }>(url, "SELECT count(*)::int AS c FROM memprivacy.entries");
    const other = open(url, OTHER_KEY_HEX);
    await expect(other.ready()).rejects.toMatchObject({ code: "PRX_VAULT_BAD_KEY" });
    await expect(other.allocate("s", [req("b@example.org")])).rejects.toMatchObject({
      code: "PRX_VAULT_BAD_KEY",
    });
    expect(await sql(url, "SELECT count(*)::int AS c FROM memprivacy.entries")).toEqual(before);
  });

  it("runs each migration once when replicas start together", async () => {
    const url = await database();
    const replicas = Array.from({ length: 6 }, () => open(url));
    await Promise.all(replicas.map((r) => r.ready()));
    const rows = await sql<{ version: number }>(
      url,
      "SELECT version FROM memprivacy.migrations ORDER BY version",
    );
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it("refuses a database migrated by a newer build", async () => {
    const url = await database();
    await open(url).ready();
    await sql(url, `INSERT INTO memprivacy.migrations (version) VALUES (${PG_SCHEMA_VERSION + 1})`);
    await expect(open(url).ready()).rejects.toMatchObject({ code: "PRX_VAULT_FAILED" });
  });

  it("gathers concurrent allocations of a scope into shared transactions, one placeholder per value", async () => {
    const url = await database();
    const vault = open(url);
    const calls = Array.from({ length: 60 }, (_, i) =>
      vault.allocate("team", [req(`v${i % 25}@example.org`), req(`w${i}@example.org`, "Email", "PL3")]),
    );
    const results = await Promise.all(calls);
    const byValue = new Map<string, string>();
    for (const [i, entries] of results.entries()) {
      expect(entries.map((e) => e.value)).toEqual([`v${i % 25}@example.org`, `w${i}@example.org`]);
      for (const e of entries) {
        expect(byValue.get(e.value) ?? e.placeholder).toBe(e.placeholder);
        byValue.set(e.value, e.placeholder);
      }
    }
    const numbers = [...byValue.values()].map((p) => Number(/_(\d+)>$/.exec(p)?.[1])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 85 }, (_, i) => i + 1));
    const stored = await vault.entries("team");
    expect(stored).toHaveLength(85);
    const version = await sql<{ version: string }>(url, "SELECT version FROM memprivacy.scopes");
    // Fewer commits than calls: calls arriving during a transaction shared the next one.
    expect(Number(version[0]?.version)).toBeLessThan(60);
  });

  it("fails closed while the database is unreachable and serves again once it is back", async () => {
    const url = await database();
    const vault = open(url);
    await vault.allocate("s", [req("before@example.org")]);
    cluster?.stop();
    try {
      await expect(vault.allocate("s", [req("during@example.org")])).rejects.toMatchObject({
        code: "PRX_VAULT_FAILED",
      });
      await expect(vault.changes("s")).rejects.toMatchObject({ code: "PRX_VAULT_FAILED" });
    } finally {
      cluster?.start();
    }
    const [entry] = await vault.allocate("s", [req("after@example.org")]);
    expect(entry?.placeholder).toBe("<Email_2>");
  });
});
