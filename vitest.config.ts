import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/load/**", "node_modules/**"],
    pool: "forks",
    // Builds the web page into dist/ui/ (served by GET /) before the tests run.
    globalSetup: ["test/browser/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
