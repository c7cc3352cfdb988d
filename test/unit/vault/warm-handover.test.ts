// The durable vaults' warm-up hands each scope it loaded to a reader (by tag, with the feed's first read), and a
// reader that continues the feed from that cursor sees every write since — racing the warm-up or after it.
import { afterEach, describe, expect, it } from "vitest";
import type { ScopeChanges, Vault, VaultEntry } from "../../../src/vault/vault.js";
import { BACKENDS, req, type VaultBackend } from "./helpers.js";

const view = (entries: Iterable<VaultEntry>): string[] =>
  [...entries].map((e) => `${e.key}=${e.value}@${e.level}`).sort();

async function pair(backend: VaultBackend): Promise<[Vault, Vault]> {
  const a = await backend.create();
  return [a, await backend.create({ sameStoreAs: a })];
}

describe.each(BACKENDS.filter((b) => b.name !== "memory"))("$name vault warm-up hand-over", (backend) => {
  afterEach(() => backend.cleanup());

  it("names each loaded scope by its tag, with its whole live set and a cursor that continues the feed", async () => {
    const [a, b] = await pair(backend);
    await a.allocate("s", [req("a@x.io"), req("b@x.io")]);
    await a.allocate("t", [req("c@x.io")]);
    const handed = new Map<string, ScopeChanges>();
    const warming = b.warm?.((tag, changes) => handed.set(tag, changes));
    // Another writer lands while the rows are being read.
    await a.allocate("s", [req("d@x.io")]);
    expect(await warming).toBeGreaterThanOrEqual(3);
    const tagS = b.scopeTag?.("s") ?? "";
    const tagT = b.scopeTag?.("t") ?? "";
    expect(tagS).toMatch(/^[0-9a-f]{64}$/);
    expect(tagS).not.toBe(tagT);
    expect(b.scopeTag?.("s")).toBe(a.scopeTag?.("s")); // the stored tag, the same for every handle
    const s = handed.get(tagS);
    expect(s?.reset).toBe(true);
    expect(view(handed.get(tagT)?.entries ?? [])).toEqual(["email_1=c@x.io@PL2"]);
    // Whatever the hand-over missed, the feed from its cursor brings: the reader ends with the live set.
    const next = await b.changes("s", s?.cursor);
    const seen = next.reset ? view(next.entries) : view([...(s?.entries ?? []), ...next.entries]);
    expect(seen).toEqual(view(await a.entries("s")));
    expect(seen).toHaveLength(3);
  });

  it("a cursor handed over before a purge by another handle starts the reader over", async () => {
    const [a, b] = await pair(backend);
    await a.allocate("s", [req("a@x.io"), req("b@x.io")]);
    const handed = new Map<string, ScopeChanges>();
    await b.warm?.((tag, changes) => handed.set(tag, changes));
    await a.purge({ scope: "s" });
    const next = await b.changes("s", handed.get(b.scopeTag?.("s") ?? "")?.cursor);
    expect(next.reset).toBe(true);
    expect(next.entries).toEqual([]);
  });
});
