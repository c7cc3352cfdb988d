// The committed gazetteer is what scripts/gen-gazetteer.ts makes from the installed faker: the held-out fifth
// of names (the only ones the dev corpus scores) in lists of their own, known to the product and left out
// only when the rules are evaluated with `namesHeldOut`.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  FIRST_NAMES,
  FIRST_NAMES_HELD_OUT,
  SURNAMES,
  SURNAMES_HELD_OUT,
} from "../../../../src/detection/rules/gazetteer-data.js";
import { detectRules } from "../../../../src/detection/rules/index.js";
import { isHeldOut } from "../../../../scripts/lib/name-holdout.js";

const split = (s: string): string[] => s.split(" ").filter((n) => n !== "");

describe("gazetteer", () => {
  it("keeps the held-out fifth in its own lists, and only there", () => {
    const kept = [...split(FIRST_NAMES), ...split(SURNAMES)];
    const heldOut = [...split(FIRST_NAMES_HELD_OUT), ...split(SURNAMES_HELD_OUT)];
    expect(kept.length).toBeGreaterThan(10_000);
    expect(heldOut.length).toBeGreaterThan(2_000);
    expect(kept.filter((n) => isHeldOut(n))).toEqual([]);
    expect(heldOut.filter((n) => !isHeldOut(n))).toEqual([]);
  });

  it("knows a held-out given name, unless the names are held out", () => {
    const name = split(FIRST_NAMES_HELD_OUT).find((n) => n === "Sarah" || n === "Eleanor");
    expect(name).toBeDefined();
    const text = `I had lunch with ${name} yesterday.`;
    const names = (namesHeldOut: boolean): string[] =>
      detectRules(text, { namesHeldOut })
        .filter((s) => s.type === "Third-Party Identifiable Info")
        .map((s) => s.text);
    expect(names(false)).toEqual([name]);
    expect(names(true)).toEqual([]);
  });

  it("is up to date with its generator", () => {
    expect(() =>
      execFileSync(process.execPath, ["--import", "tsx", "scripts/gen-gazetteer.ts", "--check"], {
        stdio: "pipe",
      }),
    ).not.toThrow();
  }, 30_000);
});
