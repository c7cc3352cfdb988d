// The committed gazetteer is what scripts/gen-gazetteer.ts makes from the installed faker, minus the held-out
// fifth that the dev corpus scores with.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { FIRST_NAMES, SURNAMES } from "../../../../src/detection/rules/gazetteer-data.js";
import { isHeldOut } from "../../../../scripts/lib/name-holdout.js";

describe("gazetteer", () => {
  it("holds no held-out name", () => {
    const names = [...FIRST_NAMES.split(" "), ...SURNAMES.split(" ")];
    expect(names.length).toBeGreaterThan(10_000);
    expect(names.filter((n) => isHeldOut(n))).toEqual([]);
  });

  it("is up to date with its generator", () => {
    expect(() =>
      execFileSync(process.execPath, ["--import", "tsx", "scripts/gen-gazetteer.ts", "--check"], {
        stdio: "pipe",
      }),
    ).not.toThrow();
  }, 30_000);
});
