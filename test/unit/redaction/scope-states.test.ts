// Scope states adopt what the vault's warm-up handed over: the scope's first read takes the prepared known
// values (finishing their build) and continues the feed from the hand-over's cursor.
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { KnownValues } from "../../../src/redaction/known-values.js";
import { genericPartition, ScopeStates } from "../../../src/redaction/scope-states.js";
import type { VaultEntry } from "../../../src/vault/vault.js";
import type { Vault } from "../../../src/vault/vault.js";
import { createMemoryVault } from "../../../src/vault/memory-vault.js";
import { turnsDuring } from "../../helpers/turns.js";
import { BACKENDS, req } from "../vault/helpers.js";

describe.each(BACKENDS.filter((b) => b.name !== "memory"))(
  "$name: scope states after a warm-up",
  (backend) => {
    afterEach(() => backend.cleanup());

    it("adopts a prepared scope at its first read, with every write since the hand-over", async () => {
      const writer = await backend.create();
      const batch = Array.from({ length: 3000 }, (_, i) => req(`v${i}@example.org`));
      await writer.allocate("s", batch);
      await writer.allocate(genericPartition("s"), [
        { value: "g@example.org", type: "Email", name: "Private", level: "PL2" },
      ]);
      await writer.allocate("other", [req("o@example.org")]);
      const restarted = await backend.create({ sameStoreAs: writer });
      const states = new ScopeStates(restarted, 16);
      await restarted.warm?.((tag, changes) => void states.prepare(tag, changes));
      expect(states.preparedCount).toBe(3); // "s", its generic partition, "other"
      await writer.allocate("s", [req("late@example.org")]);
      const known = await states.known("s");
      expect(states.preparedCount).toBe(1); // "other" waits for its own first request
      expect(known.size).toBe(3002);
      expect(known.entryForValue("v2999@example.org", false)?.key).toBe("email_3000");
      expect(known.entryForValue("late@example.org", false)?.key).toBe("email_3001");
      expect(known.entryForValue("g@example.org", true)?.key).toBe("private_1");
      expect(known.findAll("to v1234@example.org").map((m) => m.entry.key)).toEqual(["email_1235"]);
    });

    it("does not adopt where the vault cannot name scopes by tag", async () => {
      const writer = await backend.create();
      await writer.allocate("s", [req("a@example.org")]);
      const restarted = await backend.create({ sameStoreAs: writer });
      // The same vault seen without `scopeTag` (as a backend without a warm-up would be).
      const untagged: Vault = new Proxy(restarted, {
        get(target, key) {
          if (key === "scopeTag") return undefined;
          const value: unknown = Reflect.get(target, key, target);
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const states = new ScopeStates(untagged, 16);
      await restarted.warm?.((tag, changes) => void states.prepare(tag, changes));
      expect(states.preparedCount).toBe(0);
      expect((await states.known("s")).size).toBe(1);
    });

    it("ignores a hand-over of a scope already live, and drops what is left when closed", async () => {
      const writer = await backend.create();
      await writer.allocate("s", [req("a@example.org")]);
      await writer.allocate("other", [req("o@example.org")]);
      const restarted = await backend.create({ sameStoreAs: writer });
      const states = new ScopeStates(restarted, 16);
      // A request reads "s" before the warm-up hands it over (the warm-up raced it and lost).
      expect((await states.known("s")).size).toBe(1);
      await restarted.warm?.((tag, changes) => void states.prepare(tag, changes));
      expect(states.preparedCount).toBe(1); // only "other": "s" is fed by the vault already
      expect((await states.known("s")).size).toBe(1);
      states.close();
      expect(states.preparedCount).toBe(0);
    });
  },
);

const entry = (i: number): VaultEntry => ({
  placeholder: `<Email_${i + 1}>`,
  key: `email_${i + 1}`,
  name: "Email",
  n: i + 1,
  type: "Email",
  level: "PL2",
  value: `v${i}@example.org`,
});

describe("background builds on an idle event loop", () => {
  // Nothing but one timer is pending meanwhile: an unref'd immediate would let the loop sleep in its poll and
  // advance the build one step per wake-up (the bug this guards against).
  it("a prepared scope is applied whole during one idle wait", async () => {
    const vault = { scopeTag: (scope: string) => scope } as unknown as Vault;
    const states = new ScopeStates(vault, 16);
    void states.prepare("t", {
      reset: true,
      entries: Array.from({ length: 20_000 }, (_, i) => entry(i)),
      cursor: { epoch: 1, seq: 0 },
    });
    expect(states.preparedBacklog).toBe(20_000);
    await sleep(1000);
    expect(states.preparedBacklog).toBe(0);
  });

  it("a bulk load's matcher blocks are all built during one idle wait", async () => {
    const known = new KnownValues();
    known.apply(
      Array.from({ length: 20_000 }, (_, i) => entry(i)),
      false,
    );
    expect(known.pendingCount).toBe(20_000);
    await sleep(1000);
    expect(known.pendingCount).toBe(0);
  });
});

describe("a scope's first read, or a read after entries left, of many values", () => {
  it("builds the known values a chunk per turn, complete when the read resolves", async () => {
    // The memory vault's reads never wait: any turn is the build's own.
    const vault = createMemoryVault();
    const values = Array.from({ length: 20_000 }, (_, i) => `v${i}@example.org`);
    for (let i = 0; i < values.length; i += 5000)
      await vault.allocate(
        "s",
        values.slice(i, i + 5000).map((v) => req(v)),
      );
    await vault.allocate(genericPartition("s"), [
      { value: "g@example.org", type: "Email", name: "Private", level: "PL2" },
    ]);
    const states = new ScopeStates(vault, 16);
    const { result: known, turns } = await turnsDuring(states.known("s"));
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(known.size).toBe(20_001);
    expect(known.entryForValue("v19999@example.org", false)?.key).toBe("email_20000");
    expect(known.entryForValue("g@example.org", true)?.key).toBe("private_1");
    expect(known.entryForKey("email_1")?.value).toBe("v0@example.org");
    expect(known.findAll("to v1234@example.org").map((m) => m.entry.key)).toEqual(["email_1235"]);
    expect(states.indexOfKnown("s", known).byKey.size).toBe(20_001);

    // Entries leave (a purge) and others come: the next read starts over, and a reader holding the known values
    // from before keeps a whole set meanwhile (the new set is swapped in when complete).
    await vault.purge({ scope: "s" });
    for (let i = 0; i < values.length; i += 5000)
      await vault.allocate(
        "s",
        values.slice(i, i + 5000).map((v) => req(`x${v}`)),
      );
    const rebuilt = states.known("s");
    // Mid-build (a few turns in): the set held from before is still whole, and so is its index.
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(known.size).toBe(20_001);
    expect(states.indexOfKnown("s", known).byKey.get("email_1")?.value).toBe("v0@example.org");
    const after = await rebuilt;
    expect(after.entryForValue("xv0@example.org", false)?.key).toBe("email_20001");
    expect(after.entryForValue("v0@example.org", false)).toBeUndefined();
    expect(after.size).toBe(20_001);
    expect(states.indexOfKnown("s", after).byKey.has("email_1")).toBe(false);
    expect(after).not.toBe(known);
  });
});
