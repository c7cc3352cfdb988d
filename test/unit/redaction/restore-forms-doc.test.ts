import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { restoreText } from "../../../src/redaction/restore.js";
import { indexOf } from "../../helpers/index-of.js";

/** The README's table of restored forms: each row's forms, and whether they are restored. */
function readmeForms(): { forms: string[]; restored: boolean }[] {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const table = /<!-- restore-forms:start -->([\s\S]*?)<!-- restore-forms:end -->/.exec(readme)?.[1] ?? "";
  return table
    .split("\n")
    .filter((line) => line.startsWith("| `") || line.startsWith("| ``"))
    .map((line) => {
      const [first = "", second = ""] = line.slice(2, -2).split(" | ");
      const forms = [...first.matchAll(/`` (.+?) ``|`([^`]+)`/g)].map((m) => m[1] ?? m[2] ?? "");
      return { forms, restored: second.startsWith("yes") };
    });
}

describe("the README's table of restored forms", () => {
  const index = indexOf({ "<Email_1>": "a@b.co" });
  const rows = readmeForms();

  it("is there", () => {
    expect(rows.length).toBeGreaterThanOrEqual(6);
  });

  it("agrees with restoreText, row by row", () => {
    for (const { forms, restored } of rows) {
      for (const form of forms) {
        const json = form.includes("\\u003c");
        const out = restoreText(form, index, { json }).text;
        expect({ form, out }).toEqual({ form, out: restored ? "a@b.co" : form });
      }
    }
  });
});
