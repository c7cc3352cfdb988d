/**
 * Vitest global setup: builds the page into `dist/ui/` before any test runs, so a fresh clone's `npm test`
 * serves the same files `npm start` would (the server reads them from there).
 */
import { buildUi } from "../../scripts/build-ui.js";

/** Builds the UI once per test run (about 100 ms). */
export default async function setup(): Promise<void> {
  await buildUi();
}
