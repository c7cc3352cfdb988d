/**
 * Trust under load: worker processes allocate placeholders in a loop, two at a time on one vault file, and are
 * killed with SIGKILL at random moments, many times. A worker prints a placeholder only after `allocate` returned
 * (acknowledged). After every kill the database must pass `PRAGMA integrity_check`, and every placeholder ever
 * acknowledged must still resolve to its value — no loss, no split, no placeholder shared by two values.
 */
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { deriveVaultKeys } from "../../src/vault/keys.js";
import { createSqliteVault } from "../../src/vault/sqlite-vault.js";
import { spawnVaultWorker } from "../fixtures/vault-workers.js";
import type { VaultWorker } from "../fixtures/vault-workers.js";
import { tempDir, TEST_KEY_HEX } from "../unit/vault/helpers.js";

const ROUNDS = 15;
const WORKERS_PER_ROUND = 2;
const SCOPE = "auth:durability|session:kill-9";
const workspace = tempDir("vault-durability-");
afterAll(() => workspace.cleanup());

// Fixed seed: the kill moments are random-looking but a failure can be replayed.
let seed = 0x5eed;
function random(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function killAfter(worker: VaultWorker, ms: number): Promise<void> {
  await sleep(ms);
  worker.child.kill("SIGKILL");
  await worker.exited;
}

describe("vault durability under SIGKILL", () => {
  it(`keeps every acknowledged placeholder through ${ROUNDS} random kills`, async () => {
    const file = `${workspace.dir}/vault.db`;
    const keys = deriveVaultKeys(Buffer.from(TEST_KEY_HEX, "hex"));
    await createSqliteVault({ file, keys }).close();
    const placeholderOf = new Map<string, string>();
    const valueOf = new Map<string, string>();
    let killedWithAcks = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const workers = Array.from({ length: WORKERS_PER_ROUND }, (_, w) =>
        spawnVaultWorker({
          file,
          keyHex: TEST_KEY_HEX,
          scope: SCOPE,
          mode: "loop",
          prefix: `r${round}w${w}`,
          shared: 60,
          seed: round * 31 + w,
        }),
      );
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.go();
      // Each worker dies at its own random moment, so one is often killed while the other holds the write lock.
      await Promise.all(workers.map((w) => killAfter(w, 20 + Math.floor(random() * 400))));

      for (const worker of workers) {
        expect(worker.stderr()).toBe("");
        if (worker.acks.length > 0) killedWithAcks++;
        for (const { v, p } of worker.acks) {
          const known = placeholderOf.get(v);
          if (known !== undefined) expect(p, `value re-mapped in round ${round}`).toBe(known);
          const owner = valueOf.get(p);
          if (owner !== undefined) expect(v, `placeholder ${p} given to two values`).toBe(owner);
          placeholderOf.set(v, p);
          valueOf.set(p, v);
        }
      }

      const raw = new Database(file);
      expect(raw.pragma("integrity_check", { simple: true }), `round ${round}`).toBe("ok");
      raw.close();
      const vault = createSqliteVault({ file, keys });
      try {
        const resolved = await vault.resolve(
          SCOPE,
          [...valueOf.keys()].map((p) => p.slice(1, -1)),
        );
        const lost = [...valueOf].filter(([p, v]) => resolved.get(p.slice(1, -1))?.value !== v);
        expect(lost, `round ${round}: acknowledged placeholders lost`).toEqual([]);
        const keysInVault = (await vault.entries(SCOPE)).map((e) => e.key);
        expect(new Set(keysInVault).size).toBe(keysInVault.length);
      } finally {
        await vault.close();
      }
    }
    // The kills must have landed while work was going on, not before the first allocation.
    expect(killedWithAcks).toBeGreaterThanOrEqual(ROUNDS);
    expect(valueOf.size).toBeGreaterThan(ROUNDS * 10);
  }, 90_000);
});
