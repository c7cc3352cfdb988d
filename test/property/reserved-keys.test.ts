// The keys a request's own text reserves (taxonomy/placeholder.ts `reservedKeysIn`) are found by a walk back from
// each number over the words before it: the same keys as the regex over a 160-unit window it replaced (which,
// tried at every start of the window, held the event loop for seconds on 1 MiB of "12 34 ": npm run
// bench:hostile, family digit-groups).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reservedKeysIn } from "../../src/taxonomy/placeholder.js";

/** The former definition, kept as the reference. */
function reference(text: string): Set<string> {
  const keys = new Set<string>();
  if (!/[0-9]/.test(text)) return keys;
  for (const m of text.matchAll(/[ _-]{1,3}(\d{1,9})(?![0-9])/g)) {
    const before = text.slice(Math.max(0, m.index - 160), m.index);
    const words = /(?:[A-Za-z0-9]+[ _-]{1,3}){0,7}[A-Za-z0-9]+$/.exec(before)?.[0].split(/[ _-]+/) ?? [];
    for (let k = 1; k <= words.length; k++)
      keys.add(`${words.slice(-k).join("_").toLowerCase()}_${Number(m[1])}`);
  }
  return keys;
}

const sorted = (s: Set<string>): string[] => [...s].sort();

describe("reservedKeysIn", () => {
  it("reserves what the former window regex reserved, on random text of words, digits and separators", () => {
    const unit = fc.constantFrom(
      "a",
      "B",
      "z",
      "7",
      "0",
      "42",
      " ",
      "  ",
      "   ",
      "    ",
      "_",
      "-",
      "é",
      ".",
      "\n",
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 120 }), (parts) => {
        const text = parts.join("");
        expect(sorted(reservedKeysIn(text))).toEqual(sorted(reference(text)));
      }),
      { numRuns: 3000 },
    );
  });

  it("reserves the same keys where the window cuts a word (more than 160 units before a number)", () => {
    const long = `${"x".repeat(150)}word ${"ab ".repeat(60)}phone number 1`;
    expect(sorted(reservedKeysIn(long))).toEqual(sorted(reference(long)));
    const cut = `${"q".repeat(200)} 5`;
    expect(sorted(reservedKeysIn(cut))).toEqual(sorted(reference(cut)));
    expect(reservedKeysIn("call [phone number 1]").has("phone_number_1")).toBe(true);
  });
});
