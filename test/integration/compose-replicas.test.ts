/**
 * The replicas compose example (docker-compose.replicas.yml), without a Docker engine: each proxy service's
 * environment is valid configuration naming the shared PostgreSQL vault with one key for both, and the two
 * services, run as the example configures them (against a throwaway cluster instead of the `postgres` service),
 * restore each other's placeholders.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { postgresAvailable, startPgCluster, type PgCluster } from "../helpers/pg-cluster.js";
import { startReplica, type Replica } from "../helpers/replica.js";

const COMPOSE = readFileSync(join(import.meta.dirname, "../../docker-compose.replicas.yml"), "utf8");
const SUBSTITUTE: Readonly<Record<string, string>> = {
  POSTGRES_PASSWORD: "s3cret-pw",
  MEMPRIVACY_VAULT_KEY: "4".repeat(64),
};

/** A service's `environment:` block (plain `KEY: value` lines), with `${VAR}` / `${VAR:?msg}` substituted. */
function serviceEnv(service: string): Record<string, string> {
  const block = new RegExp(`\\n  ${service}:\\n[\\s\\S]*?\\n    environment:\\n((?: {6}.*\\n)+)`).exec(
    COMPOSE,
  )?.[1];
  if (block === undefined) throw new Error(`no environment for ${service}`);
  const env: Record<string, string> = {};
  for (const line of block.split("\n")) {
    const m = /^ {6}([A-Z_]+): (.*)$/.exec(line);
    if (m === null) continue;
    env[m[1] as string] = (m[2] as string).replace(/\$\{([A-Z_]+)(?::\?[^}]*)?\}/g, (_, name: string) => {
      const value = SUBSTITUTE[name];
      if (value === undefined) throw new Error(`unset ${name}`);
      return value;
    });
  }
  return env;
}

const SERVICES = ["memprivacy-a", "memprivacy-b"] as const;

describe("the replicas compose example", () => {
  it("gives both proxies the same shared vault and key, as valid configuration", () => {
    const configs = SERVICES.map((s) =>
      loadConfig({ env: { ...serviceEnv(s), MEMPRIVACY_DATA_DIR: tmpdir() } }),
    );
    for (const config of configs) {
      expect(config.vaultUrl).toBe("postgres://memprivacy:s3cret-pw@postgres:5432/memprivacy");
      expect(config.vaultPoolSize).toBe(10);
      expect(config.ephemeral).toBe(false);
    }
    expect(serviceEnv("memprivacy-a").MEMPRIVACY_VAULT_KEY).toBe(
      serviceEnv("memprivacy-b").MEMPRIVACY_VAULT_KEY,
    );
    expect(configs[0]?.allowedHosts).toContain("memprivacy-a");
    expect(configs[1]?.allowedHosts).toContain("memprivacy-b");
  });

  const describePg = postgresAvailable() ? describe : describe.skip;
  describePg("run as configured, on a throwaway cluster", () => {
    let cluster: PgCluster | undefined;
    const replicas: Replica[] = [];
    const dirs: string[] = [];
    afterAll(() => {
      for (const r of replicas) r.child.kill("SIGKILL");
      cluster?.destroy();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it("restores through one service what the other masked", async () => {
      cluster = startPgCluster();
      const url = await cluster.createDatabase("memprivacy");
      for (const service of SERVICES) {
        const dir = mkdtempSync(join(tmpdir(), "memprivacy-compose-"));
        dirs.push(dir);
        // Only where the database is differs from the example (a socket here, the `postgres` service there).
        const env = { ...serviceEnv(service), MEMPRIVACY_VAULT_URL: url, MEMPRIVACY_DATA_DIR: dir };
        replicas.push(await startReplica(env, ["--detector", "rules"]));
      }
      const headers = { "content-type": "application/json", authorization: "Bearer sk-compose-team-1" };
      const redacted = await request(`${replicas[0]?.url}/v1/redact`, {
        method: "POST",
        headers,
        body: JSON.stringify({ text: "Write to dana.okafor@example.org" }),
      });
      const { text } = (await redacted.body.json()) as { text: string };
      expect(text).toBe("Write to <Email_1>");
      const restored = await request(`${replicas[1]?.url}/v1/restore`, {
        method: "POST",
        headers,
        body: JSON.stringify({ text }),
      });
      expect(((await restored.body.json()) as { text: string }).text).toBe(
        "Write to dana.okafor@example.org",
      );
    }, 60_000);
  });
});
