/**
 * Security regression: evasion of the rule detector. Every disguise the normaliser and the rules claim to
 * handle (zero-width characters, full-width forms, the separators the patterns allow) must be masked by the
 * real pipeline. The others are measured, not asserted: `npx tsx scripts/evasion-report.ts` prints the table
 * kept in docs/evasion.md.
 */
import { describe, expect, it } from "vitest";
import { coreSurvives, EVASION_CASES, measureEvasions, undisguise } from "./evasion-cases.js";

describe("evasion", () => {
  it("the checker sees through the disguises it is meant to undo (so the assertions below can fail)", () => {
    expect(coreSurvives("Call １３９ 1234-5678", "13912345678")).toBe(true);
    expect(coreSurvives("Mail c\u0430n\u0430ry.user@x.org", "canaryuser")).toBe(true);
    expect(coreSurvives("电话 一三九一二三四五六七八", "13912345678")).toBe(true);
    expect(coreSurvives("server 10。0。0。12", "10 0 0 12")).toBe(true);
    expect(coreSurvives("server 110.0.0.123", "10 0 0 12")).toBe(false);
    expect(coreSurvives("Call <Phone_Number_1>", "13912345678")).toBe(false);
    expect(undisguise("ＡＢ\u0430")).toBe("aba");
    expect(coreSurvives("Call ١٣٩١٢٣٤٥٦٧٨", "13912345678")).toBe(true);
    expect(coreSurvives("Call 139\u200f1234\u034f5678", "13912345678")).toBe(true);
    expect(coreSurvives("Mail canary.user%40x.org", "canaryuser")).toBe(true);
  });

  it.each(EVASION_CASES.filter((c) => c.claimed).map((c) => [`${c.category}: ${c.technique}`, c] as const))(
    "masks %s",
    async (_name, c) => {
      const [result] = await measureEvasions([c]);
      expect(result?.handled, `forwarded: ${result?.redacted ?? ""}`).toBe(true);
    },
  );

  it("measures every case (the report's table has one row per case)", async () => {
    const results = await measureEvasions();
    expect(results).toHaveLength(EVASION_CASES.length);
    for (const r of results) expect(typeof r.handled).toBe("boolean");
  });
});
