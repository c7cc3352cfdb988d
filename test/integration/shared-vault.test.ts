/**
 * Proxy replicas on one shared PostgreSQL vault (a throwaway cluster): three `memprivacy serve` processes hand out
 * one placeholder per value under concurrent load and restore each other's placeholders; a replica SIGKILLed in
 * a burst loses nothing it acknowledged; the database going down fails requests closed (503, nothing forwarded)
 * and coming back needs no restart.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAIEcho } from "../helpers/openai-mock.js";
import { startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";
import { postgresAvailable, startPgCluster, type PgCluster } from "../helpers/pg-cluster.js";
import { startReplica, type Replica } from "../helpers/replica.js";

const KEY = "7".repeat(64);
const HEADERS = { "content-type": "application/json", authorization: "Bearer sk-team-shared-0001" };

function replicaEnv(vaultUrl: string, upstream: string, dataDir: string): Record<string, string> {
  return {
    MEMPRIVACY_VAULT_URL: vaultUrl,
    MEMPRIVACY_VAULT_KEY: KEY,
    MEMPRIVACY_VAULT_TIMEOUT_MS: "15000",
    MEMPRIVACY_DATA_DIR: dataDir,
    MEMPRIVACY_UPSTREAM: upstream,
    MEMPRIVACY_DETECTOR: "rules",
  };
}

async function post(url: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await request(`${url}${path}`, {
    method: "POST",
    headers: HEADERS,
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: JSON.parse(text) as unknown };
}

interface Redacted {
  text: string;
  spans: { placeholder: string; original: string }[];
}

/** What `/v1/redact` answered: the result, or why not (status and error code, for the failure message). */
async function redact(url: string, text: string): Promise<Redacted | string> {
  const res = await post(url, "/v1/redact", { text, include_originals: true }).catch((err: unknown) =>
    String(err),
  );
  if (typeof res === "string") return res;
  if (res.status === 200) return res.json as Redacted;
  return `${res.status} ${(res.json as { error?: { code?: string } }).error?.code ?? ""}`;
}

async function restore(url: string, text: string): Promise<string> {
  const res = await post(url, "/v1/restore", { text });
  expect(res.status).toBe(200);
  return (res.json as { text: string }).text;
}

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const describePg = postgresAvailable() ? describe : describe.skip;

describePg("shared PostgreSQL vault: proxy replicas", () => {
  let cluster: PgCluster;
  let upstream: MockUpstream;
  let replicas: Replica[] = [];
  let vaultUrl: string;
  const dirs: string[] = [];
  const dataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "memprivacy-replica-"));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    cluster = startPgCluster();
    vaultUrl = await cluster.createDatabase("replicas");
    upstream = await startMockUpstream();
    upstream.handle(openAIEcho);
    replicas = await Promise.all(
      [0, 1, 2].map(() => startReplica(replicaEnv(vaultUrl, upstream.url, dataDir()))),
    );
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) r.child.kill("SIGKILL");
    await upstream?.close();
    cluster?.destroy();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("gives one placeholder per value across 200 concurrent requests, each restorable from every replica", async () => {
    const random = rng(18);
    const values = Array.from({ length: 60 }, (_, i) => `member${i}.${i * 7919}@team-example.org`);
    const texts = Array.from({ length: 200 }, () => {
      const picked = Array.from({ length: 5 }, () => values[Math.floor(random() * values.length)] as string);
      return `Please invite ${picked.join(", ")} to the review.`;
    });
    const results = await Promise.all(texts.map((text, i) => redact((replicas[i % 3] as Replica).url, text)));
    const byValue = new Map<string, string>();
    const byPlaceholder = new Map<string, string>();
    for (const [i, result] of results.entries()) {
      if (typeof result === "string") throw new Error(`request ${i}: ${result}`);
      for (const span of result.spans) {
        expect(byValue.get(span.original) ?? span.placeholder).toBe(span.placeholder);
        expect(byPlaceholder.get(span.placeholder) ?? span.original).toBe(span.original);
        byValue.set(span.original, span.placeholder);
        byPlaceholder.set(span.placeholder, span.original);
      }
      for (const value of values) expect(result.text).not.toContain(value);
    }
    expect(byValue.size).toBe(new Set(texts.flatMap((t) => values.filter((v) => t.includes(v)))).size);
    const placeholders = [...byPlaceholder.keys()];
    for (const replica of replicas) {
      const restored = await restore(replica.url, placeholders.join(" | "));
      expect(restored).toBe(placeholders.map((p) => byPlaceholder.get(p)).join(" | "));
    }
  });

  it("loses nothing it acknowledged when a replica is SIGKILLed in the middle of a burst", async () => {
    const victim = replicas[2] as Replica;
    const acknowledged = new Map<string, string>();
    const burst = Array.from({ length: 150 }, async (_, i) => {
      const value = `burst${i}.${i * 104729}@kill-example.org`;
      const result = await redact((replicas[i % 3] as Replica).url, `Mail ${value} today`);
      const span = typeof result === "string" ? undefined : result.spans[0];
      if (span !== undefined) acknowledged.set(span.placeholder, span.original);
      if (i === 60) victim.child.kill("SIGKILL");
    });
    await Promise.all(burst);
    expect(acknowledged.size).toBeGreaterThan(40);
    const placeholders = [...acknowledged.keys()];
    for (const replica of replicas.slice(0, 2)) {
      const restored = await restore(replica.url, placeholders.join(" "));
      expect(restored).toBe(placeholders.map((p) => acknowledged.get(p)).join(" "));
    }
    replicas[2] = await startReplica(replicaEnv(vaultUrl, upstream.url, dataDir()));
    const restored = await restore(replicas[2].url, placeholders.join(" "));
    expect(restored).toBe(placeholders.map((p) => acknowledged.get(p)).join(" "));
  }, 60_000);

  it("runs the CLI's redact, vault stats and purge against the shared vault", async () => {
    const cli = async (...args: string[]): Promise<string> => {
      const env = { ...process.env, ...replicaEnv(vaultUrl, upstream.url, dataDir()) };
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", "src/cli/main.ts", ...args],
        {
          env,
          encoding: "utf8",
        },
      );
      return stdout;
    };
    const redacted = JSON.parse(
      await cli("redact", "Mail ana.lima@cli-example.org", "--scope", "cli-team"),
    ) as {
      text: string;
    };
    expect(redacted.text).toBe("Mail <Email_1>");
    const stats = JSON.parse(await cli("vault", "stats", "--scope", "cli-team")) as { entries: number };
    expect(stats.entries).toBe(1);
    expect(JSON.parse(await cli("vault", "purge", "--scope", "cli-team"))).toEqual({ removed: 1 });
    expect(
      (JSON.parse(await cli("vault", "stats", "--scope", "cli-team")) as { entries: number }).entries,
    ).toBe(0);
  }, 60_000);

  it("fails closed while the database is down and recovers without a restart", async () => {
    const replica = replicas[0] as Replica;
    const chat = (value: string): Promise<{ status: number; json: unknown }> =>
      post(replica.url, "/v1/chat/completions", {
        model: "gpt-test",
        messages: [{ role: "user", content: `My e-mail is ${value}` }],
      });
    const before = upstream.received.length;
    cluster.stop();
    try {
      const down = await chat("outage.first@db-example.org");
      expect(down.status).toBe(503);
      expect((down.json as { error: { code: string } }).error.code).toBe("PRX_VAULT_FAILED");
      expect(upstream.received.length).toBe(before);
      expect(upstream.allBytes()).not.toContain("outage.first@db-example.org");
    } finally {
      cluster.start();
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await chat("outage.second@db-example.org")).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect(upstream.allBytes()).not.toContain("outage.second@db-example.org");
    expect(upstream.received.length).toBeGreaterThan(before);
  }, 60_000);
});
