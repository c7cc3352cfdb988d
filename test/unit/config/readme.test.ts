/** The README's configuration table stays true: every key, with its flag and its environment variable. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { envNameFor, flagNameFor } from "../../../src/config/load.js";
import { CONFIG_KEYS } from "../../../src/config/schema.js";

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
const table = readme.slice(
  readme.indexOf("## Configuration"),
  readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1),
);

describe("README configuration table", () => {
  it.each(CONFIG_KEYS.map((k) => [k]))("documents %s with its flag and environment variable", (key) => {
    const row = table.split("\n").find((line) => line.includes(`\`${envNameFor(key)}\``));
    expect(row, envNameFor(key)).toBeDefined();
    expect(row).toContain(`\`--${flagNameFor(key)}\``);
  });
});
