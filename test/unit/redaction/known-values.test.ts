// KnownValues: look-ups and the binary-counter matcher agree with a naive model of the scope, whatever the
// order and batching of appends, replacements (raised levels) and resets.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KnownValues } from "../../../src/redaction/known-values.js";
import type { PrivacyLevel } from "../../../src/taxonomy/levels.js";
import type { VaultEntry } from "../../../src/vault/vault.js";

const entry = (value: string, n: number, level: PrivacyLevel = "PL2", name = "Email"): VaultEntry => ({
  placeholder: `<${name}_${n}>`,
  key: `${name.toLowerCase()}_${n}`,
  name,
  n,
  type: name,
  level,
  value,
});

function naive(entries: Iterable<VaultEntry>, text: string): string[] {
  const out: string[] = [];
  for (const e of entries)
    for (let i = text.indexOf(e.value); i !== -1; i = text.indexOf(e.value, i + 1))
      out.push(`${e.key}@${e.level}:${i}-${i + e.value.length}`);
  return out.sort();
}

const found = (known: KnownValues, text: string): string[] =>
  known
    .findAll(text)
    .map((m) => `${m.entry.key}@${m.entry.level}:${m.start}-${m.end}`)
    .sort();

describe("KnownValues", () => {
  it("answers by key and by value per partition", () => {
    const known = new KnownValues();
    known.apply([entry("a@x.io", 1), entry("b@x.io", 2)], false);
    known.apply([entry("a@x.io", 1, "PL2", "Private")], true);
    expect(known.size).toBe(3);
    expect(known.entryForKey("email_2")?.value).toBe("b@x.io");
    expect(known.entryForKey("private_1")?.value).toBe("a@x.io");
    expect(known.entryForValue("a@x.io", false)?.key).toBe("email_1");
    expect(known.entryForValue("a@x.io", true)?.key).toBe("private_1");
    expect(known.entryForValue("b@x.io", true)).toBeUndefined();
  });

  it("replaces an entry whose level rose without a new matcher, and ignores a repeat", () => {
    const known = new KnownValues();
    known.apply([entry("a@x.io", 1)], false);
    const revision = known.revision;
    expect(known.apply([entry("a@x.io", 1)], false)).toBe(false);
    expect(known.revision).toBe(revision);
    expect(known.apply([entry("a@x.io", 1, "PL4")], false)).toBe(true);
    expect(known.blockCount).toBe(1);
    expect(found(known, "to a@x.io")).toEqual(["email_1@PL4:3-9"]);
  });

  it("drops the old key of a value given a new one", () => {
    const known = new KnownValues();
    known.apply([entry("a@x.io", 1)], false);
    known.apply([entry("a@x.io", 2)], false);
    expect(known.size).toBe(1);
    expect(known.entryForKey("email_1")).toBeUndefined();
    expect(found(known, "a@x.io")).toEqual(["email_2@PL2:0-6"]);
  });

  it("keeps at most log2(n) + 1 matchers over 1,000 single appends", () => {
    const known = new KnownValues();
    for (let i = 1; i <= 1000; i++) {
      known.apply([entry(`v${i}x`, i)], false);
      expect(known.blockCount).toBeLessThanOrEqual(Math.floor(Math.log2(i)) + 1);
    }
    expect(found(known, "v17x v999x")).toEqual(["email_17@PL2:0-4", "email_999@PL2:5-10"]);
  });

  it("finds what a naive scan of the live entries finds (property)", () => {
    const value = fc.stringMatching(/^[ab]{1,4}$/);
    const op = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .array(fc.tuple(value, fc.constantFrom<PrivacyLevel>("PL2", "PL3", "PL4")), {
            minLength: 1,
            maxLength: 20,
          })
          .map((batch) => ({ kind: "apply" as const, batch })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), fc.stringMatching(/^[ab ]{0,40}$/), (ops, text) => {
        const known = new KnownValues();
        // The model: value → entry; a value keeps its number, a level only rises.
        const model = new Map<string, VaultEntry>();
        let next = 1;
        for (const o of ops) {
          if (o.kind === "clear") {
            known.clear();
            model.clear();
            continue;
          }
          const batch: VaultEntry[] = [];
          for (const [v, level] of o.batch) {
            const before = model.get(v);
            const e =
              before === undefined
                ? entry(v, next++, level)
                : level > before.level
                  ? { ...before, level }
                  : before;
            model.set(v, e);
            batch.push(e);
          }
          known.apply(batch, false);
          expect(known.blockCount).toBeLessThanOrEqual(Math.floor(Math.log2(Math.max(1, next))) + 1);
        }
        expect(known.size).toBe(model.size);
        expect(found(known, text)).toEqual(naive(model.values(), text));
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe("KnownValues with a deferred (background) matcher build", () => {
  it("finds every value of a bulk load at once, while its blocks are still pending", async () => {
    const known = new KnownValues();
    const entries = Array.from({ length: 3000 }, (_, i) => entry(`stored${i}@example.org`, i + 1));
    known.apply(entries, false);
    expect(known.pendingCount).toBe(3000);
    const text = "mail stored7@example.org, stored2999@example.org and stored1500@example.org.";
    const expected = naive(entries, text);
    expect(expected).toHaveLength(3);
    expect(found(known, text)).toEqual(expected);
    // The background build reaches every id, and the answers do not change on the way.
    for (let turn = 0; turn < 1000 && known.pendingCount > 0; turn++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(found(known, text)).toEqual(expected);
    }
    expect(known.pendingCount).toBe(0);
    expect(known.blockCount).toBeLessThanOrEqual(Math.floor(Math.log2(3000)) + 1);
    expect(found(known, text)).toEqual(expected);
  });

  it("finishes the build before searching a text too large to look up piecewise", () => {
    const known = new KnownValues();
    const entries = Array.from({ length: 2000 }, (_, i) => entry(`v${i}@x.io`, i + 1));
    known.apply(entries, false);
    const text = `${"lorem ipsum ".repeat(12_000)} v3@x.io v1999@x.io`;
    expect(found(known, text)).toEqual(naive(entries, text));
    expect(known.pendingCount).toBe(0);
  });

  it("agrees with a naive scan through any mix of appends, partial builds and resets (property)", () => {
    const value = fc.stringMatching(/^[ab]{1,4}$/);
    const op = fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .array(fc.tuple(value, fc.constantFrom<PrivacyLevel>("PL2", "PL3", "PL4"), fc.boolean()), {
            minLength: 1,
            maxLength: 20,
          })
          .map((batch) => ({ kind: "apply" as const, batch })),
      },
      {
        weight: 3,
        arbitrary: fc.integer({ min: 1, max: 3 }).map((steps) => ({ kind: "build" as const, steps })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 14 }), fc.stringMatching(/^[ab ]{0,40}$/), (ops, text) => {
        // Every apply of 3 or more new values goes pending, so most runs mix blocks and pending ids.
        const known = new KnownValues({ deferFrom: 3 });
        const models = { typed: new Map<string, VaultEntry>(), generic: new Map<string, VaultEntry>() };
        let next = 1;
        for (const o of ops) {
          if (o.kind === "clear") {
            known.clear();
            models.typed.clear();
            models.generic.clear();
          } else if (o.kind === "build") {
            known.build(o.steps);
          } else {
            for (const generic of [false, true]) {
              const model = generic ? models.generic : models.typed;
              const batch: VaultEntry[] = [];
              for (const [v, level, inGeneric] of o.batch) {
                if (inGeneric !== generic) continue;
                const before = model.get(v);
                const name = generic ? "Private" : "Email";
                const e =
                  before === undefined
                    ? entry(v, next++, level, name)
                    : level > before.level
                      ? { ...before, level }
                      : before;
                model.set(v, e);
                batch.push(e);
              }
              if (batch.length > 0) known.apply(batch, generic);
            }
          }
          expect(known.blockCount).toBeLessThanOrEqual(Math.floor(Math.log2(Math.max(1, next))) + 1);
          expect(found(known, text)).toEqual(
            naive([...models.typed.values(), ...models.generic.values()], text),
          );
        }
        known.build();
        expect(known.pendingCount).toBe(0);
        expect(found(known, text)).toEqual(
          naive([...models.typed.values(), ...models.generic.values()], text),
        );
      }),
      { seed: 42, numRuns: 400 },
    );
  });
});
