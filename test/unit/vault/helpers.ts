/** Shared helpers for the vault tests: temporary data directories, fixed keys and allocation requests. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PrivacyLevel } from "../../../src/taxonomy/levels.js";
import { placeholderNameFor } from "../../../src/taxonomy/placeholder.js";
import type { AllocationRequest } from "../../../src/vault/vault.js";

/** A fixed master key for tests (never a real one). */
export const TEST_KEY_HEX = "0f".repeat(32);
/** A different fixed key, for wrong-key tests. */
export const OTHER_KEY_HEX = "a5".repeat(32);

/** A fresh private temporary directory and a function removing it. */
export function tempDir(prefix = "vault-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An allocation request whose placeholder name is derived from the type, as the pipeline does. */
export function req(value: string, type = "Email", level: PrivacyLevel = "PL2"): AllocationRequest {
  return { value, type, name: placeholderNameFor(type), level };
}

/** True when `needle` occurs in `haystack` (for searching raw file bytes). */
export function contains(haystack: Buffer, needle: Buffer): boolean {
  return needle.length > 0 && haystack.indexOf(needle) !== -1;
}
