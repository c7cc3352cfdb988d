/**
 * The vault's change feed (`changes`), against both implementations and across two SQLite connections on one
 * file: a reader that applies the feed always holds exactly `entries()`, renewals are never reported, and a
 * scope that did not change reports nothing.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { ChangeCursor, Retention, Vault, VaultEntry } from "../../../src/vault/vault.js";
import { BACKENDS, req, type VaultBackend } from "./helpers.js";

const HOUR = 60 * 60 * 1000;
const RETENTION: Retention = { PL2: 30 * HOUR, PL3: 20 * HOUR, PL4: 10 * HOUR };
const T0 = Date.UTC(2030, 0, 1);

/** Runs of the feed property per backend: a database backend opens a store and two connections per run. */
const PROPERTY_RUNS: Readonly<Record<Vault["kind"], number>> = { memory: 300, sqlite: 60, postgres: 15 };

/** Two handles on one store: the same object for memory, two connections for a database. */
async function pair(backend: VaultBackend): Promise<[Vault, Vault]> {
  const a = await backend.create({ retention: RETENTION });
  return [a, await backend.create({ sameStoreAs: a })];
}

/** A reader keeping its own copy of a scope from the feed. */
class Reader {
  cursor: ChangeCursor | undefined;
  readonly byKey = new Map<string, VaultEntry>();
  resets = 0;
  constructor(
    readonly vault: Vault,
    readonly scope: string,
  ) {}
  async sync(now: number): Promise<VaultEntry[]> {
    const changes = await this.vault.changes(this.scope, this.cursor, { now });
    if (changes.reset) {
      this.byKey.clear();
      this.resets++;
    }
    for (const e of changes.entries) this.byKey.set(e.key, e);
    this.cursor = changes.cursor;
    return [...changes.entries];
  }
}

const view = (entries: Iterable<VaultEntry>): string[] =>
  [...entries].map((e) => `${e.key}=${e.value}@${e.level}`).sort();

describe.each(BACKENDS.map((b) => [b.name, b] as const))("%s vault change feed", (_name, backend) => {
  afterEach(() => backend.cleanup());

  it("starts with a reset holding every live entry, then reports only what was added", async () => {
    const [vault] = await pair(backend);
    await vault.allocate("s", [req("a@x.io"), req("b@x.io")], { now: T0 });
    const reader = new Reader(vault, "s");
    expect(view(await reader.sync(T0))).toEqual(["email_1=a@x.io@PL2", "email_2=b@x.io@PL2"]);
    expect(reader.resets).toBe(1);
    expect(await reader.sync(T0)).toEqual([]);
    await vault.allocate("s", [req("a@x.io"), req("c@x.io")], { now: T0 + 1 });
    expect(view(await reader.sync(T0 + 1))).toEqual(["email_3=c@x.io@PL2"]);
    expect(reader.resets).toBe(1);
  });

  it("never reports a retention renewal, and reports a raised level", async () => {
    const [vault] = await pair(backend);
    await vault.allocate("s", [req("a@x.io")], { now: T0 });
    const reader = new Reader(vault, "s");
    await reader.sync(T0);
    // Well past the renew interval: the vault writes the new expiry.
    await vault.allocate("s", [req("a@x.io")], { now: T0 + 2 * HOUR });
    expect(await reader.sync(T0 + 2 * HOUR)).toEqual([]);
    await vault.allocate("s", [req("a@x.io", "Email", "PL4")], { now: T0 + 2 * HOUR });
    expect(view(await reader.sync(T0 + 2 * HOUR))).toEqual(["email_1=a@x.io@PL4"]);
    expect(reader.resets).toBe(1);
  });

  it("starts over when an entry passes its retention or is purged", async () => {
    const [vault] = await pair(backend);
    await vault.allocate("s", [req("pin", "PIN", "PL4"), req("a@x.io")], { now: T0 });
    const reader = new Reader(vault, "s");
    await reader.sync(T0);
    expect(view(await reader.sync(T0 + 11 * HOUR))).toEqual(["email_1=a@x.io@PL2"]);
    expect(reader.resets).toBe(2);
    await vault.purge({ scope: "s" });
    expect(await reader.sync(T0 + 11 * HOUR)).toEqual([]);
    expect(reader.resets).toBe(3);
  });

  it("keeps scopes apart", async () => {
    const [vault] = await pair(backend);
    await vault.allocate("s", [req("a@x.io")], { now: T0 });
    const reader = new Reader(vault, "t");
    expect(await reader.sync(T0)).toEqual([]);
    await vault.allocate("s", [req("b@x.io")], { now: T0 });
    expect(await reader.sync(T0)).toEqual([]);
  });

  it("a reader applying the feed always holds entries() (property, two writers)", async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("allocate" as const),
        writer: fc.constantFrom(0, 1),
        values: fc.array(
          fc.record({
            value: fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h"),
            level: fc.constantFrom("PL2" as const, "PL3" as const, "PL4" as const),
          }),
          { minLength: 1, maxLength: 4 },
        ),
      }),
      fc.record({ kind: fc.constant("advance" as const), hours: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant("purgeExpired" as const), writer: fc.constantFrom(0, 1) }),
      fc.record({ kind: fc.constant("purgeAll" as const), writer: fc.constantFrom(0, 1) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 16 }), async (ops) => {
        const writers = await pair(backend);
        const readers = writers.map((w) => new Reader(w, "s"));
        let now = T0;
        for (const o of ops) {
          if (o.kind === "advance") now += o.hours * HOUR;
          else if (o.kind === "allocate")
            await writers[o.writer]?.allocate(
              "s",
              o.values.map((v) => req(`${v.value}@x.io`, "Email", v.level)),
              { now },
            );
          else if (o.kind === "purgeExpired") await writers[o.writer]?.purge({ expiredOnly: true, now });
          else await writers[o.writer]?.purge({ scope: "s" });
          for (const reader of readers) {
            await reader.sync(now);
            expect(view(reader.byKey.values())).toEqual(view(await reader.vault.entries("s", { now })));
          }
        }
        await backend.cleanup();
      }),
      { seed: 42, numRuns: PROPERTY_RUNS[backend.name] },
    );
  }, 60_000);
});

describe.each(BACKENDS.filter((b) => b.name !== "memory"))(
  "$name vault warm-up after a restart",
  (backend) => {
    afterEach(() => backend.cleanup());

    it("loads every scope's rows in the background, and a write racing it is still seen", async () => {
      const [a, b] = await pair(backend);
      await a.allocate("s", [req("a@x.io"), req("b@x.io")], { now: T0 });
      await a.allocate("t", [req("c@x.io")], { now: T0 });
      // `b` is a second connection on the same file: its cache is empty, as after a restart.
      const warming = b.warm?.();
      // Another writer lands while the rows are being read.
      await a.allocate("s", [req("d@x.io")], { now: T0 });
      expect(await warming).toBeGreaterThanOrEqual(3);
      expect(view(await b.entries("s", { now: T0 }))).toEqual(view(await a.entries("s", { now: T0 })));
      expect(view(await b.entries("t", { now: T0 }))).toEqual(["email_1=c@x.io@PL2"]);
      const reader = new Reader(b, "s");
      expect(view(await reader.sync(T0))).toHaveLength(3);
    });

    it("starts over after a purge by another handle once warmed", async () => {
      const [a, b] = await pair(backend);
      await a.allocate("s", [req("a@x.io"), req("b@x.io")], { now: T0 });
      expect(await b.warm?.()).toBeGreaterThanOrEqual(2);
      await a.purge({ scope: "s" });
      expect(await b.entries("s", { now: T0 })).toEqual([]);
      expect((await b.resolve("s", ["email_1"], { now: T0 })).size).toBe(0);
    });
  },
);
