// Scope states adopt what the vault's warm-up handed over: the scope's first read takes the prepared known
// values (finishing their build) and continues the feed from the hand-over's cursor.
import { afterEach, describe, expect, it } from "vitest";
import { genericPartition, ScopeStates } from "../../../src/redaction/scope-states.js";
import type { Vault } from "../../../src/vault/vault.js";
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
      await restarted.warm?.((tag, changes) => states.prepare(tag, changes));
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
      await restarted.warm?.((tag, changes) => states.prepare(tag, changes));
      expect(states.preparedCount).toBe(0);
      expect((await states.known("s")).size).toBe(1);
    });
  },
);
