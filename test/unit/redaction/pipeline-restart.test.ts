// The first requests after a restart with a large scope: the vault's warm-up still running and the scope's
// matcher blocks still pending, yet every stored value that occurs is masked and the round trip holds.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRedactor } from "../../../src/redaction/pipeline.js";
import type { Policy } from "../../../src/redaction/policy.js";
import { restoreText } from "../../../src/redaction/restore.js";
import { deriveVaultKeys } from "../../../src/vault/keys.js";
import { createSqliteVault } from "../../../src/vault/sqlite-vault.js";
import { scriptedDetector } from "../../helpers/detectors.js";

const policy: Policy = { levels: ["PL2", "PL3", "PL4"], mode: "type_specific", allow: [], deny: [] };
const keys = deriveVaultKeys(Buffer.alloc(32, 3));
const SCOPE = "auth:t|session:restart";
const STORED = 5000;
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function storedVault(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "memprivacy-restart-"));
  dirs.push(dir);
  const file = path.join(dir, "vault.db");
  const vault = createSqliteVault({ file, keys });
  for (let i = 0; i < STORED; i += 1000) {
    const batch = [];
    for (let j = i; j < i + 1000; j++)
      batch.push({ value: `stored${j}@example.org`, type: "Email", name: "Email", level: "PL2" as const });
    await vault.allocate(SCOPE, batch);
  }
  await vault.close();
  return file;
}

describe("redaction after a restart with a large scope", () => {
  for (const warm of [false, true]) {
    it(`masks every stored value in the first requests${warm ? " while warm-up races them" : ""}`, async () => {
      const file = await storedVault();
      const vault = createSqliteVault({ file, keys });
      const redactor = createRedactor({ detector: scriptedDetector([]), vault, detectTimeoutMs: 1000 });
      const warming = warm ? vault.warm?.() : undefined;
      try {
        const picks = [0, 1, 999, 1000, 2047, 2048, 4095, 4096, STORED - 1];
        for (const [round, pick] of picks.entries()) {
          const value = `stored${pick}@example.org`;
          const text = `round ${round}: write to ${value}, cc stored${(pick * 7) % STORED}@example.org.`;
          const out = await redactor.redact({ items: [{ text, detect: false }], scope: SCOPE, policy });
          const masked = out.texts[0] ?? "";
          expect(masked).not.toMatch(/stored\d+@example\.org/);
          expect(masked).toMatch(/^round \d+: write to <Email_\d+>, cc <Email_\d+>\.$/);
          expect(restoreText(masked, out.index).text).toBe(text);
          // Let the background build advance between requests, so later rounds see a mix of blocks and ids.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } finally {
        await warming;
        await vault.close();
      }
    });
  }
});
