/**
 * Vitest global setup: builds the page into `dist/ui/` before any test runs, so a fresh clone's `npm test`
 * serves the same files `npm start` would (the server reads them from there). In CI (`CI=true`) a missing
 * Chromium fails the run: the browser tests skip themselves only on a developer's machine.
 */
import fs from "node:fs";
import { buildUi } from "../../scripts/build-ui.js";

/** Builds the UI once per test run (about 100 ms); in CI, first checks that Chromium is there. */
export default async function setup(): Promise<void> {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  const ci = process.env.CI === "true" || process.env.CI === "1";
  if (ci && !fs.existsSync(chromium)) {
    throw new Error(
      `CI: ${chromium} not found; the browser tests must run here (apt-get install -y chromium)`,
    );
  }
  await buildUi();
}
