/**
 * The vault contract (src/vault/vault.ts), run against every backend in BACKENDS: numbering, reserved numbers,
 * stable placeholders, level upgrades, scope isolation, case-insensitive look-up, retention and purge.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import type { Retention, Vault } from "../../../src/vault/vault.js";
import { BACKENDS, req } from "./helpers.js";

const HOUR = 60 * 60 * 1000;
const RETENTION: Retention = { PL2: 30 * HOUR, PL3: 20 * HOUR, PL4: 10 * HOUR };
const T0 = Date.UTC(2030, 0, 1);

describe.each(BACKENDS.map((b) => [b.name, b] as const))("%s vault contract", (_name, backend) => {
  const create = (retention?: Retention): Promise<Vault> =>
    backend.create(retention === undefined ? {} : { retention });
  afterEach(() => backend.cleanup());

  it("reports its kind", async () => {
    expect((await create()).kind).toBe(backend.name);
  });

  it("numbers placeholders per type name, from 1", async () => {
    const vault = await create();
    const out = await vault.allocate("s", [
      req("a@x.io"),
      req("b@x.io"),
      req("+1 555 0100", "Phone Number"),
      req("someone else", "Third-Party Identifiable Info", "PL4"),
    ]);
    expect(out.map((e) => e.placeholder)).toEqual([
      "<Email_1>",
      "<Email_2>",
      "<Phone_Number_1>",
      "<Third_Party_Identifiable_Info_1>",
    ]);
    expect(out[0]).toEqual({
      placeholder: "<Email_1>",
      key: "email_1",
      name: "Email",
      n: 1,
      type: "Email",
      level: "PL2",
      value: "a@x.io",
    });
    expect((await vault.allocate("s", [req("c@x.io")]))[0]?.placeholder).toBe("<Email_3>");
  });

  it("returns an empty list for no items", async () => {
    expect(await (await create()).allocate("s", [])).toEqual([]);
  });

  it("skips reserved numbers, in any case, and never hands them out later", async () => {
    const vault = await create();
    const reserved = new Set(["email_1", "EMAIL_3", "phone_number_1"]);
    const out = await vault.allocate("s", [req("a@x.io"), req("b@x.io"), req("1", "Phone Number")], {
      reserved,
    });
    expect(out.map((e) => e.placeholder)).toEqual(["<Email_2>", "<Email_4>", "<Phone_Number_2>"]);
    // The counter moved past the skipped numbers: they stay unissued even without the reservation.
    expect((await vault.allocate("s", [req("c@x.io")]))[0]?.placeholder).toBe("<Email_5>");
    expect((await vault.resolve("s", ["email_1", "email_3"])).size).toBe(0);
  });

  it("reserved keys do not change existing mappings", async () => {
    const vault = await create();
    await vault.allocate("s", [req("a@x.io")]);
    const out = await vault.allocate("s", [req("a@x.io")], { reserved: new Set(["email_1"]) });
    expect(out[0]?.placeholder).toBe("<Email_1>");
  });

  it("gives the same value the same placeholder, across calls and within one call", async () => {
    const vault = await create();
    const first = await vault.allocate("s", [req("a@x.io"), req("b@x.io"), req("a@x.io")]);
    expect(first.map((e) => e.placeholder)).toEqual(["<Email_1>", "<Email_2>", "<Email_1>"]);
    const again = await vault.allocate("s", [req("b@x.io"), req("a@x.io")]);
    expect(again.map((e) => e.placeholder)).toEqual(["<Email_2>", "<Email_1>"]);
  });

  it("keeps the first type for a value seen again under another type", async () => {
    const vault = await create();
    await vault.allocate("s", [req("Alice", "Real Name")]);
    const out = await vault.allocate("s", [req("Alice", "Account ID/Username")]);
    expect(out[0]?.placeholder).toBe("<Real_Name_1>");
    expect(out[0]?.type).toBe("Real Name");
  });

  it("is exact about values: case and whitespace make different values", async () => {
    const vault = await create();
    const out = await vault.allocate("s", [req("a@x.io"), req("A@x.io"), req("a@x.io ")]);
    expect(new Set(out.map((e) => e.placeholder)).size).toBe(3);
  });

  it("raises a level but never lowers it", async () => {
    const vault = await create();
    await vault.allocate("s", [req("secret", "Key", "PL3")]);
    expect((await vault.allocate("s", [req("secret", "Key", "PL2")]))[0]?.level).toBe("PL3");
    expect((await vault.allocate("s", [req("secret", "Key", "PL4")]))[0]?.level).toBe("PL4");
    expect((await vault.allocate("s", [req("secret", "Key", "PL2")]))[0]?.level).toBe("PL4");
    expect((await vault.resolve("s", ["key_1"])).get("key_1")?.level).toBe("PL4");
    expect((await vault.entries("s"))[0]?.level).toBe("PL4");
  });

  it("gives repeated items of one call the final, highest level", async () => {
    const vault = await create();
    const out = await vault.allocate("s", [
      req("v", "Key", "PL2"),
      req("v", "Key", "PL4"),
      req("v", "Key", "PL3"),
    ]);
    expect(out.map((e) => e.level)).toEqual(["PL4", "PL4", "PL4"]);
  });

  it("isolates scopes: a scope cannot resolve or list another scope's entries", async () => {
    const vault = await create();
    expect((await vault.allocate("A", [req("a@x.io")]))[0]?.placeholder).toBe("<Email_1>");
    expect((await vault.resolve("B", ["email_1"])).size).toBe(0);
    expect(await vault.entries("B")).toEqual([]);
    expect((await vault.allocate("B", [req("b@x.io")]))[0]?.placeholder).toBe("<Email_1>");
    expect((await vault.resolve("A", ["email_1"])).get("email_1")?.value).toBe("a@x.io");
    expect((await vault.resolve("B", ["email_1"])).get("email_1")?.value).toBe("b@x.io");
    // The same value in two scopes is two independent mappings.
    expect((await vault.allocate("B", [req("a@x.io")]))[0]?.placeholder).toBe("<Email_2>");
  });

  it("resolves keys case-insensitively, keyed as passed, and skips unknown keys", async () => {
    const vault = await create();
    await vault.allocate("s", [req("a@x.io"), req("+1 555", "Phone Number")]);
    const out = await vault.resolve("s", [
      "EMAIL_1",
      "Email_1",
      "email_1",
      "phone_NUMBER_1",
      "email_2",
      "nope",
    ]);
    expect([...out.keys()]).toEqual(["EMAIL_1", "Email_1", "email_1", "phone_NUMBER_1"]);
    expect(out.get("EMAIL_1")?.value).toBe("a@x.io");
    expect(out.get("phone_NUMBER_1")?.placeholder).toBe("<Phone_Number_1>");
  });

  it("shares one counter between names that differ only in case", async () => {
    const vault = await create();
    const out = await vault.allocate("s", [
      { value: "a", type: "email", name: "email", level: "PL2" },
      { value: "b", type: "EMAIL", name: "EMAIL", level: "PL2" },
      { value: "c", type: "Email", name: "Email", level: "PL2" },
    ]);
    expect(out.map((e) => e.placeholder)).toEqual(["<email_1>", "<EMAIL_2>", "<Email_3>"]);
    expect(new Set(out.map((e) => e.key))).toEqual(new Set(["email_1", "email_2", "email_3"]));
  });

  it("lists live entries in allocation order", async () => {
    const vault = await create();
    await vault.allocate("s", [req("a"), req("b", "Phone Number"), req("c")]);
    expect((await vault.entries("s")).map((e) => [e.placeholder, e.value])).toEqual([
      ["<Email_1>", "a"],
      ["<Phone_Number_1>", "b"],
      ["<Email_2>", "c"],
    ]);
  });

  it("round-trips any Unicode value: emoji, CJK, combining marks, lone surrogates, 64 KB", async () => {
    const vault = await create();
    const big = "数据🔐".repeat(16 * 1024).slice(0, 64 * 1024);
    const values = ["张伟 13800138000", "👨‍👩‍👧‍👦 family", "e\u0301", "\uD83D", "\uDE00", "\uFFFD", "", " ", big];
    const out = await vault.allocate(
      "s",
      values.map((v) => req(v, "Private Key", "PL4")),
    );
    expect(new Set(out.map((e) => e.placeholder)).size).toBe(values.length);
    const resolved = await vault.resolve(
      "s",
      out.map((e) => e.key),
    );
    expect(out.map((e) => resolved.get(e.key)?.value)).toEqual(values);
    expect((await vault.entries("s")).map((e) => e.value)).toEqual(values);
  });

  it("refuses a malformed placeholder name without storing anything", async () => {
    const vault = await create();
    await expect(
      vault.allocate("s", [{ value: "v", type: "Email", name: "<Email>", level: "PL2" }]),
    ).rejects.toThrowError(expect.objectContaining({ code: "PRX_INTERNAL" }) as Error);
    expect(await vault.entries("s")).toEqual([]);
  });

  describe("retention", () => {
    it("expires an entry its level's retention after last use (PL4 first)", async () => {
      const vault = await create(RETENTION);
      await vault.allocate("s", [req("k", "Key", "PL4"), req("n", "Real Name", "PL2")], { now: T0 });
      const at = async (now: number): Promise<string[]> =>
        (await vault.entries("s", { now })).map((e) => e.value).sort();
      expect(await at(T0 + 10 * HOUR - 1)).toEqual(["k", "n"]);
      expect(await at(T0 + 10 * HOUR)).toEqual(["n"]);
      expect((await vault.resolve("s", ["key_1", "real_name_1"], { now: T0 + 10 * HOUR })).has("key_1")).toBe(
        false,
      );
      expect(await at(T0 + 30 * HOUR)).toEqual([]);
    });

    it("renews retention on use, and a raised level takes its own retention", async () => {
      const vault = await create(RETENTION);
      await vault.allocate("s", [req("n", "Real Name", "PL2")], { now: T0 });
      await vault.allocate("s", [req("n", "Real Name", "PL2")], { now: T0 + 25 * HOUR });
      expect((await vault.resolve("s", ["real_name_1"], { now: T0 + 54 * HOUR })).size).toBe(1);
      expect((await vault.resolve("s", ["real_name_1"], { now: T0 + 55 * HOUR })).size).toBe(0);
      await vault.allocate("s", [req("n", "Real Name", "PL4")], { now: T0 + 50 * HOUR });
      expect((await vault.resolve("s", ["real_name_1"], { now: T0 + 60 * HOUR })).size).toBe(0);
    });

    it("gives a value whose entry expired a new number, never reusing the old one", async () => {
      const vault = await create(RETENTION);
      await vault.allocate("s", [req("a"), req("b")], { now: T0 });
      await vault.allocate("s", [req("b")], { now: T0 + 20 * HOUR });
      const later = T0 + 31 * HOUR; // a expired, b renewed
      const out = await vault.allocate("s", [req("a"), req("b"), req("c")], { now: later });
      expect(out.map((e) => e.placeholder)).toEqual(["<Email_3>", "<Email_2>", "<Email_4>"]);
      expect((await vault.resolve("s", ["email_1"], { now: later })).size).toBe(0);
      expect((await vault.resolve("s", ["email_3"], { now: later })).get("email_3")?.value).toBe("a");
    });

    it("purges only expired entries with expiredOnly", async () => {
      const vault = await create(RETENTION);
      await vault.allocate("s", [req("k", "Key", "PL4"), req("n", "Real Name", "PL2")], { now: T0 });
      await vault.allocate("t", [req("k2", "Key", "PL4")], { now: T0 });
      expect(await vault.stats(undefined, { now: T0 + 11 * HOUR })).toMatchObject({ entries: 3, expired: 2 });
      expect(await vault.purge({ expiredOnly: true, now: T0 + 11 * HOUR })).toBe(2);
      expect(await vault.stats(undefined, { now: T0 + 11 * HOUR })).toMatchObject({
        scopes: 1,
        entries: 1,
        expired: 0,
      });
      expect((await vault.entries("s", { now: T0 + 11 * HOUR })).map((e) => e.value)).toEqual(["n"]);
    });
  });

  describe("version", () => {
    it("changes on writes and expiry, not on reads or on re-sending known values", async () => {
      const vault = await create(RETENTION);
      const v0 = await vault.version("s", { now: T0 });
      await vault.allocate("s", [req("a", "Key", "PL4")], { now: T0 });
      const v1 = await vault.version("s", { now: T0 });
      expect(v1).not.toBe(v0);
      await vault.resolve("s", ["key_1"], { now: T0 });
      await vault.entries("s", { now: T0 });
      await vault.allocate("s", [req("a", "Key", "PL4")], { now: T0 + 1000 });
      expect(await vault.version("s", { now: T0 + 1000 })).toBe(v1);
      await vault.allocate("t", [req("other")], { now: T0 });
      expect(await vault.version("s", { now: T0 + 1000 })).toBe(v1);
      const v2 = await vault.version("s", { now: T0 + 10 * HOUR });
      expect(v2).not.toBe(v1);
      await vault.purge({ scope: "s" });
      expect(await vault.version("s", { now: T0 + 10 * HOUR })).not.toBe(v2);
    });
  });

  describe("purge", () => {
    it("purges one scope, returns the count, and keeps numbers unissued", async () => {
      const vault = await create();
      await vault.allocate("A", [req("a"), req("b")]);
      await vault.allocate("B", [req("c")]);
      expect(await vault.purge({ scope: "A" })).toBe(2);
      expect(await vault.entries("A")).toEqual([]);
      expect((await vault.resolve("A", ["email_1"])).size).toBe(0);
      expect((await vault.entries("B")).map((e) => e.value)).toEqual(["c"]);
      expect((await vault.allocate("A", [req("a")]))[0]?.placeholder).toBe("<Email_3>");
      expect(await vault.purge({ scope: "nobody" })).toBe(0);
    });

    it("purges everything without options", async () => {
      const vault = await create();
      await vault.allocate("A", [req("a")]);
      await vault.allocate("B", [req("b")]);
      expect(await vault.purge()).toBe(2);
      expect(await vault.stats()).toMatchObject({ scopes: 0, entries: 0 });
    });
  });

  it("exports live entries with their values, per scope or all, scopes only as opaque tags", async () => {
    const vault = await create(RETENTION);
    await vault.allocate("A", [req("a@x.io"), req("k1", "Key", "PL4")], { now: T0 });
    await vault.allocate("B", [req("张三", "Real Name", "PL2")], { now: T0 });
    const all = await vault.exportEntries(undefined, { now: T0 + 1 });
    expect(all.map((e) => [e.placeholder, e.type, e.level, e.value]).sort()).toEqual([
      ["<Email_1>", "Email", "PL2", "a@x.io"],
      ["<Key_1>", "Key", "PL4", "k1"],
      ["<Real_Name_1>", "Real Name", "PL2", "张三"],
    ]);
    const tags = new Set(all.map((e) => e.scopeTag));
    expect(tags.size).toBe(2);
    for (const tag of tags) expect(tag).toMatch(/^[0-9a-f]{64}$/);
    const a = all.find((e) => e.value === "a@x.io");
    expect(a).toMatchObject({ created: T0, lastUsed: T0, expires: T0 + 30 * HOUR });

    const onlyB = await vault.exportEntries("B", { now: T0 + 1 });
    expect(onlyB.map((e) => e.value)).toEqual(["张三"]);
    expect(await vault.exportEntries("C", { now: T0 + 1 })).toEqual([]);
    // The PL4 key is past its retention: not exported (it no longer restores either).
    expect((await vault.exportEntries("A", { now: T0 + 10 * HOUR })).map((e) => e.value).sort()).toEqual([
      "a@x.io",
    ]);
  });

  it("counts per level and type, and per scope", async () => {
    const vault = await create();
    await vault.allocate("A", [req("a"), req("b"), req("k", "Key", "PL4")]);
    await vault.allocate("B", [req("c", "ID Number", "PL3")]);
    expect(await vault.stats()).toEqual({
      scopes: 2,
      entries: 4,
      expired: 0,
      byLevel: { PL2: 2, PL3: 1, PL4: 1 },
      byType: { Email: 2, Key: 1, "ID Number": 1 },
    });
    expect(await vault.stats("B")).toEqual({
      scopes: 1,
      entries: 1,
      expired: 0,
      byLevel: { PL3: 1 },
      byType: { "ID Number": 1 },
    });
    expect(JSON.stringify(await vault.stats())).not.toContain('"a"');
  });

  it("keeps one placeholder per value and one value per placeholder (property)", async () => {
    const vault = await create();
    const seen = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("s1", "s2"),
        fc.array(
          fc.record({
            value: fc.oneof(fc.constantFrom("a", "b", "A", "电话", "🔑"), fc.string({ maxLength: 6 })),
            type: fc.constantFrom("Email", "email", "Phone Number", "Key"),
          }),
          { maxLength: 8 },
        ),
        fc.uniqueArray(fc.constantFrom("email_3", "EMAIL_4", "key_1", "phone_number_2"), { maxLength: 3 }),
        async (scope, items, reserved) => {
          const out = await vault.allocate(
            scope,
            items.map((i) => req(i.value, i.type)),
            { reserved: new Set(reserved) },
          );
          for (const [i, entry] of out.entries()) {
            const item = items[i];
            if (item === undefined) continue;
            const id = `${scope}\0${item.value}`;
            const previous = seen.get(id);
            if (previous !== undefined) expect(entry.key).toBe(previous);
            else expect(reserved.map((r) => r.toLowerCase())).not.toContain(entry.key);
            seen.set(id, entry.key);
            expect(
              (await vault.resolve(scope, [entry.placeholder.slice(1, -1)])).get(
                entry.placeholder.slice(1, -1),
              )?.value,
            ).toBe(item.value);
          }
          const keys = (await vault.entries(scope)).map((e) => e.key);
          expect(new Set(keys).size).toBe(keys.length);
        },
      ),
      { seed: 20240601, numRuns: 150 },
    );
  });
});
