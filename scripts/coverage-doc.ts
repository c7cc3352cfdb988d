/**
 * Writes docs/coverage.md from the adapters' coverage declarations (`npm run docs:coverage`);
 * test/unit/providers/coverage-doc.test.ts fails when the file and the code disagree.
 */
import { writeFileSync } from "node:fs";
import { coverageDocument } from "../src/providers/coverage-doc.js";

writeFileSync(new URL("../docs/coverage.md", import.meta.url), coverageDocument());
console.log("wrote docs/coverage.md");
