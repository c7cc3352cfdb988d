// The start filter against the regex it stands for: wherever some alternative matches (ignoring case), the
// filter's next start from any earlier place is no later than there; and literal prefixes are read as the
// regex reads them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createStartFilter, literalPrefix, nextStart } from "../../../../src/detection/rules/cue-starts.js";

describe("cue start filter", () => {
  it("reads the literal prefix up to a metacharacter or a quantified unit", () => {
    expect(literalPrefix(String.raw`ID\s+card`)).toBe("id");
    expect(literalPrefix("driver'?s?")).toBe("dri");
    expect(literalPrefix("codes?")).toBe("cod");
    expect(literalPrefix("pin码")).toBe("pin");
    expect(literalPrefix("护照(?:号码|号)?")).toBe("护照");
    expect(literalPrefix("ab?")).toBe("a");
    expect(() => createStartFilter(["x[yz]"])).toThrow();
  });

  it("never starts later than a place where an alternative matches", () => {
    const sources = [
      "se",
      "Pin",
      "pass",
      "ID\\s+no",
      "2fa",
      "密码",
      "护照(?:号)?",
      "toKen",
      "one[-\\s]time",
      "ab?c",
    ].filter((s) => literalPrefix(s).length >= 2);
    const filter = createStartFilter(sources);
    const res = sources.map((s) => new RegExp(s, "iy"));
    const part = fc.oneof(
      fc.constantFrom(
        "se",
        "SE",
        "pIn",
        "PASS",
        "id no",
        "Id\tno",
        "2FA",
        "密码",
        "护照号",
        "token",
        "one-time",
        "x",
        " ",
        "中",
      ),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        for (let p = 0; p < text.length; p++) {
          const matches = res.some((re) => {
            re.lastIndex = p;
            return re.test(text);
          });
          if (!matches) continue;
          for (const from of [0, Math.max(0, p - 1), p]) {
            const s = nextStart(filter, text, from);
            expect(s, `${JSON.stringify(text)} from ${from} to ${p}`).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(p);
          }
        }
      }),
      { seed: 1517, numRuns: 2000 },
    );
  });
});
