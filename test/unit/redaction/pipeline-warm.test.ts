// After a restart the pipeline builds each stored scope's known values from the vault's warm-up, before any
// request asks; the invariant comes first: whenever a request arrives (mid-preparation, after a write by another
// handle, after a purge) it masks exactly the scope's live values — never a partial or stale view.
import { afterEach, describe, expect, it } from "vitest";
import { createRedactor, type Redactor } from "../../../src/redaction/pipeline.js";
import type { Policy } from "../../../src/redaction/policy.js";
import { restoreText } from "../../../src/redaction/restore.js";
import type { Vault } from "../../../src/vault/vault.js";
import { scriptedDetector } from "../../helpers/detectors.js";
import { BACKENDS, req } from "../vault/helpers.js";

const policy: Policy = { levels: ["PL2", "PL3", "PL4"], mode: "type_specific", allow: [], deny: [] };
const generic: Policy = { ...policy, mode: "generic" };
const SCOPE = "auth:t|session:warm";
const STORED = 10_000;

async function fill(vault: Vault): Promise<void> {
  for (let i = 0; i < STORED; i += 2000) {
    const batch = [];
    for (let j = i; j < i + 2000; j++) batch.push(req(`stored${j}@example.org`));
    await vault.allocate(SCOPE, batch);
  }
}

function redactorOn(vault: Vault): Redactor {
  return createRedactor({ detector: scriptedDetector([]), vault, detectTimeoutMs: 10_000 });
}

async function masked(redactor: Redactor, text: string, p = policy): Promise<string> {
  const out = await redactor.redact({ items: [{ text, detect: false }], scope: SCOPE, policy: p });
  expect(restoreText(out.texts[0] ?? "", out.index).text).toBe(text);
  return out.texts[0] ?? "";
}

describe.each(BACKENDS.filter((b) => b.name !== "memory"))(
  "$name: the pipeline's warm-up after a restart",
  (backend) => {
    afterEach(() => backend.cleanup());

    it("masks every stored value in requests that race the warm-up", async () => {
      const writer = await backend.create();
      await fill(writer);
      const restarted = await backend.create({ sameStoreAs: writer });
      const redactor = redactorOn(restarted);
      // Requests race the warm-up: the vault still decrypting, then the pipeline still building the scope.
      const warming = redactor.warm();
      for (const pick of [0, 1, 4095, 4096, 8191, STORED - 1]) {
        const text = `mail stored${pick}@example.org and stored${(pick * 7) % STORED}@example.org now`;
        expect(await masked(redactor, text)).toMatch(/^mail <Email_\d+> and <Email_\d+> now$/);
        await new Promise<void>((resolve) => setTimeout(resolve, 1));
      }
      expect(await warming).toBeGreaterThanOrEqual(0);
      expect(await masked(redactor, "last stored5@example.org")).toMatch(/^last <Email_\d+>$/);
    });

    it("masks every stored value in the first request after the warm-up", async () => {
      const writer = await backend.create();
      await fill(writer);
      const restarted = await backend.create({ sameStoreAs: writer });
      const redactor = redactorOn(restarted);
      expect(await redactor.warm()).toBeGreaterThanOrEqual(STORED);
      expect(await masked(redactor, "to stored0@example.org, stored9999@example.org")).toBe(
        "to <Email_1>, <Email_10000>",
      );
    });

    it("sees a value another handle wrote after the warm-up handed the scope over", async () => {
      const writer = await backend.create();
      await fill(writer);
      await writer.allocate(SCOPE, [req("early@example.net")], {});
      await writer.allocate(`${SCOPE}\u0000generic`, [
        { value: "gen@example.net", type: "Email", name: "Private", level: "PL2" },
      ]);
      const restarted = await backend.create({ sameStoreAs: writer });
      const redactor = redactorOn(restarted);
      await redactor.warm();
      const [late] = await writer.allocate(SCOPE, [req("late@example.net")]);
      for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      expect(await masked(redactor, "to late@example.net and early@example.net")).toBe(
        `to ${late?.placeholder ?? "?"} and <Email_${STORED + 1}>`,
      );
      expect(await masked(redactor, "generic gen@example.net", generic)).toBe("generic <Private_1>");
    });

    it("stops masking what another handle purged after the hand-over", async () => {
      const writer = await backend.create();
      await writer.allocate(SCOPE, [req("gone@example.net"), req("kept@example.net")]);
      const restarted = await backend.create({ sameStoreAs: writer });
      const redactor = redactorOn(restarted);
      await redactor.warm();
      await writer.purge({ scope: SCOPE });
      await writer.allocate(SCOPE, [req("kept@example.net")]);
      const text = "gone@example.net kept@example.net";
      const out = await masked(redactor, text);
      expect(out.startsWith("gone@example.net <Email_")).toBe(true);
    });
  },
);
