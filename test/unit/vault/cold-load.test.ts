// A durable vault's first read of a scope (no cache yet, or one that must be read again) decrypts the scope's rows
// a slice per turn of the event loop, once for every caller that comes meanwhile; every caller still sees what
// was committed before its call, and a purge or a write landing during the load is not lost.
import { afterEach, describe, expect, it } from "vitest";
import type { Vault } from "../../../src/vault/vault.js";
import { turnsDuring } from "../../helpers/turns.js";
import { BACKENDS, req, type VaultBackend } from "./helpers.js";

/** Enough rows for several slices of decryption. */
const ROWS = 3000;
const DURABLE = BACKENDS.filter((b) => b.name !== "memory");

/** How many decrypted scopes the vault object holds (DurableVault's protected `caches`). */
const cachedScopes = (vault: Vault): number => (vault as unknown as { caches: { size: number } }).caches.size;

const values = (entries: readonly { value: string }[]): string[] => entries.map((e) => e.value).sort();

async function loaded(backend: VaultBackend): Promise<{ writer: Vault; reader: Vault; stored: string[] }> {
  const writer = await backend.create();
  const stored = Array.from({ length: ROWS }, (_, i) => `user${i}@example.org`);
  await writer.allocate(
    "s",
    stored.map((v) => req(v)),
  );
  // A second handle: its cache of "s" is empty, as after a restart or in another process.
  const reader = await backend.create({ sameStoreAs: writer });
  return { writer, reader, stored };
}

describe.each(DURABLE)("$name vault: a cold scope's load", (backend) => {
  afterEach(() => backend.cleanup());

  it("gives the event loop back while it decrypts, and returns every row", async () => {
    const { reader, stored } = await loaded(backend);
    const { result, turns } = await turnsDuring(reader.entries("s"));
    expect(values(result)).toEqual([...stored].sort());
    // 3,000 rows decrypted in one piece would leave no turn at all on SQLite (its reads are synchronous).
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it("is shared by the reads that come while it runs, and each read sees the writes committed before it", async () => {
    const { writer, reader, stored } = await loaded(backend);
    const first = reader.entries("s");
    await new Promise((resolve) => setImmediate(resolve));
    await writer.allocate("s", [req("late@example.org")]);
    const second = reader.entries("s");
    const [a, b] = await Promise.all([first, second]);
    expect(values(b)).toEqual([...stored, "late@example.org"].sort());
    // The first read started before the write: it has every stored row, with or without the late one.
    expect(values(a).filter((v) => v !== "late@example.org")).toEqual([...stored].sort());
    // Placeholders agree between the two handles.
    const late = b.find((e) => e.value === "late@example.org");
    expect((await writer.resolve("s", [late?.key ?? ""])).get(late?.key ?? "")?.value).toBe(
      "late@example.org",
    );
  });

  it("does not bring back a scope purged while it loads", async () => {
    const { writer, reader } = await loaded(backend);
    const reading = reader.entries("s");
    await new Promise((resolve) => setImmediate(resolve));
    await writer.purge({ scope: "s" });
    await reading;
    expect(await reader.entries("s")).toEqual([]);
    expect(await reader.resolve("s", ["email_1"])).toEqual(new Map());
  });

  it("leaves no decrypted scope in a vault closed while it loads", async () => {
    const writer = await backend.create();
    await writer.allocate(
      "s",
      Array.from({ length: 50 }, (_, i) => req(`user${i}@example.org`)),
    );
    const reader = await backend.create({ sameStoreAs: writer });
    const reading = reader.entries("s");
    // SQLite reads synchronously: close() lands between the read and the decryption (one microtask).
    // PostgreSQL: close() lands while the scope's query is in flight.
    if (backend.name === "sqlite") queueMicrotask(() => void reader.close());
    else setImmediate(() => void reader.close());
    await expect(reading).rejects.toMatchObject({ code: "PRX_VAULT_FAILED" });
    await reader.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(cachedScopes(reader)).toBe(0);
  });

  it("allocates on the loaded scope without a second placeholder for a stored value", async () => {
    const { reader, stored } = await loaded(backend);
    const [entries, again] = await Promise.all([
      reader.entries("s"),
      reader.allocate("s", [req(stored[7] as string), req("new@example.org")]),
    ]);
    expect(entries.find((e) => e.value === stored[7])?.placeholder).toBe(again[0]?.placeholder);
    expect(again[1]?.placeholder).toBe(`<Email_${ROWS + 1}>`);
  });
});
