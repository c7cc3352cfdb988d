/**
 * The vault's change feed (`changes`), against both implementations and across two SQLite connections on one
 * file: a reader that applies the feed always holds exactly `entries()`, renewals are never reported, and a
 * scope that did not change reports nothing.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { deriveVaultKeys } from "../../../src/vault/keys.js";
import { createMemoryVault } from "../../../src/vault/memory-vault.js";
import { createSqliteVault } from "../../../src/vault/sqlite-vault.js";
import type { ChangeCursor, Retention, Vault, VaultEntry } from "../../../src/vault/vault.js";
import { req, tempDir, TEST_KEY_HEX } from "./helpers.js";

const HOUR = 60 * 60 * 1000;
const RETENTION: Retention = { PL2: 30 * HOUR, PL3: 20 * HOUR, PL4: 10 * HOUR };
const T0 = Date.UTC(2030, 0, 1);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Two handles on one store: the same object for memory, two connections for SQLite. */
function pair(kind: "memory" | "sqlite"): [Vault, Vault] {
  if (kind === "memory") {
    const vault = createMemoryVault({ retention: RETENTION });
    return [vault, vault];
  }
  const { dir, cleanup } = tempDir();
  const open = (): Vault =>
    createSqliteVault({
      file: `${dir}/vault.db`,
      keys: deriveVaultKeys(Buffer.from(TEST_KEY_HEX, "hex")),
      retention: RETENTION,
    });
  const a = open();
  const b = open();
  cleanups.push(() => {
    a.close();
    b.close();
    cleanup();
  });
  return [a, b];
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
  sync(now: number): VaultEntry[] {
    const changes = this.vault.changes(this.scope, this.cursor, { now });
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

describe.each(["memory", "sqlite"] as const)("%s vault change feed", (kind) => {
  it("starts with a reset holding every live entry, then reports only what was added", () => {
    const [vault] = pair(kind);
    vault.allocate("s", [req("a@x.io"), req("b@x.io")], { now: T0 });
    const reader = new Reader(vault, "s");
    expect(view(reader.sync(T0))).toEqual(["email_1=a@x.io@PL2", "email_2=b@x.io@PL2"]);
    expect(reader.resets).toBe(1);
    expect(reader.sync(T0)).toEqual([]);
    vault.allocate("s", [req("a@x.io"), req("c@x.io")], { now: T0 + 1 });
    expect(view(reader.sync(T0 + 1))).toEqual(["email_3=c@x.io@PL2"]);
    expect(reader.resets).toBe(1);
  });

  it("never reports a retention renewal, and reports a raised level", () => {
    const [vault] = pair(kind);
    vault.allocate("s", [req("a@x.io")], { now: T0 });
    const reader = new Reader(vault, "s");
    reader.sync(T0);
    // Well past the renew interval: the vault writes the new expiry.
    vault.allocate("s", [req("a@x.io")], { now: T0 + 2 * HOUR });
    expect(reader.sync(T0 + 2 * HOUR)).toEqual([]);
    vault.allocate("s", [req("a@x.io", "Email", "PL4")], { now: T0 + 2 * HOUR });
    expect(view(reader.sync(T0 + 2 * HOUR))).toEqual(["email_1=a@x.io@PL4"]);
    expect(reader.resets).toBe(1);
  });

  it("starts over when an entry passes its retention or is purged", () => {
    const [vault] = pair(kind);
    vault.allocate("s", [req("pin", "PIN", "PL4"), req("a@x.io")], { now: T0 });
    const reader = new Reader(vault, "s");
    reader.sync(T0);
    expect(view(reader.sync(T0 + 11 * HOUR))).toEqual(["email_1=a@x.io@PL2"]);
    expect(reader.resets).toBe(2);
    vault.purge({ scope: "s" });
    expect(reader.sync(T0 + 11 * HOUR)).toEqual([]);
    expect(reader.resets).toBe(3);
  });

  it("keeps scopes apart", () => {
    const [vault] = pair(kind);
    vault.allocate("s", [req("a@x.io")], { now: T0 });
    const reader = new Reader(vault, "t");
    expect(reader.sync(T0)).toEqual([]);
    vault.allocate("s", [req("b@x.io")], { now: T0 });
    expect(reader.sync(T0)).toEqual([]);
  });

  it("a reader applying the feed always holds entries() (property, two writers)", () => {
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
    fc.assert(
      fc.property(fc.array(op, { maxLength: 16 }), (ops) => {
        const writers = pair(kind);
        const readers = writers.map((w) => new Reader(w, "s"));
        let now = T0;
        for (const o of ops) {
          if (o.kind === "advance") now += o.hours * HOUR;
          else if (o.kind === "allocate")
            writers[o.writer]?.allocate(
              "s",
              o.values.map((v) => req(`${v.value}@x.io`, "Email", v.level)),
              { now },
            );
          else if (o.kind === "purgeExpired") writers[o.writer]?.purge({ expiredOnly: true, now });
          else writers[o.writer]?.purge({ scope: "s" });
          for (const reader of readers) {
            reader.sync(now);
            expect(view(reader.byKey.values())).toEqual(view(reader.vault.entries("s", { now })));
          }
        }
        for (const cleanup of cleanups.splice(0)) cleanup();
      }),
      { seed: 42, numRuns: kind === "sqlite" ? 60 : 300 },
    );
  });
});

describe("sqlite vault warm-up after a restart", () => {
  it("loads every scope's rows in the background, and a write racing it is still seen", async () => {
    const [a, b] = pair("sqlite");
    a.allocate("s", [req("a@x.io"), req("b@x.io")], { now: T0 });
    a.allocate("t", [req("c@x.io")], { now: T0 });
    // `b` is a second connection on the same file: its cache is empty, as after a restart.
    const warming = b.warm?.();
    // Another writer lands while the rows are being read.
    a.allocate("s", [req("d@x.io")], { now: T0 });
    expect(await warming).toBeGreaterThanOrEqual(3);
    expect(view(b.entries("s", { now: T0 }))).toEqual(view(a.entries("s", { now: T0 })));
    expect(view(b.entries("t", { now: T0 }))).toEqual(["email_1=c@x.io@PL2"]);
    const reader = new Reader(b, "s");
    expect(view(reader.sync(T0))).toHaveLength(3);
  });
});
