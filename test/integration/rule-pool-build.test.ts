// The rule pool as it runs in a build: compiled JavaScript with `rules-worker.js` beside `pool.js`, in a plain
// `node` process without tsx. (Under vitest the same module runs from its .ts source; see pool.test.ts.)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

// Inside the repository, so that the bundle's external packages resolve from its node_modules.
const root = path.resolve(import.meta.dirname, "../..");
const cache = path.join(root, "node_modules", ".cache");
fs.mkdirSync(cache, { recursive: true });
const dir = fs.mkdtempSync(path.join(cache, "rule-pool-build-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("rule pool from compiled JavaScript", () => {
  it("starts rules-worker.js beside pool.js and returns the same spans as the inline rules", async () => {
    await build({
      entryPoints: {
        pool: path.join(root, "src/detection/worker/pool.ts"),
        "rules-worker": path.join(root, "src/detection/worker/rules-worker.ts"),
        rules: path.join(root, "src/detection/rules/index.ts"),
      },
      outdir: dir,
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      logLevel: "silent",
    });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const script = `
      import { createRulePoolDetector } from "./pool.js";
      import { detectRules } from "./rules.js";
      const text = "mail jane.doe@example.com or call +1 415 555 0132; ".repeat(400);
      const pool = createRulePoolDetector({ workers: 1, minChars: 1024 });
      const spans = await pool.detect({ text });
      const same = JSON.stringify(spans) === JSON.stringify(detectRules(text));
      console.log(JSON.stringify({ same, count: spans.length, offloaded: pool.poolStats().offloaded }));
      await pool.close();
    `;
    fs.writeFileSync(path.join(dir, "run.mjs"), script);
    // A plain node, no loader: the .js entry must be found on its own.
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const out = execFileSync(process.execPath, [path.join(dir, "run.mjs")], {
      cwd: dir,
      encoding: "utf8",
      env,
    });
    expect(JSON.parse(out.trim())).toEqual({ same: true, count: 800, offloaded: 1 });
  });
});
