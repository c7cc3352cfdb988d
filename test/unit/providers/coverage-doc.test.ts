import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coverageDocument } from "../../../src/providers/coverage-doc.js";

describe("docs/coverage.md", () => {
  it("is what the declarations say (run `npm run docs:coverage` after changing them)", () => {
    expect(readFileSync(new URL("../../../docs/coverage.md", import.meta.url), "utf8")).toBe(
      coverageDocument(),
    );
  });

  it("lists the opaque fields with their reasons and never a redacted one", () => {
    const doc = coverageDocument();
    expect(doc).toContain("| `POST /v1/chat/completions` | opaque: model name | `model` |");
    expect(doc).toMatch(/thinking block is refused \| [^\n]*`content\{type=thinking\}\.thinking`/);
    for (const redacted of ["`metadata`", "`user`", "`stop`", "`refusal`", "`cited_text`", "`summary`"])
      expect(doc).not.toContain(`| ${redacted} |`);
  });
});
