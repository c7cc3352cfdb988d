/** Vault keys: parsing, the key file (created 0600 in a 0700 directory, refused when others can read it), HKDF. */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { inspect } from "node:util";
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { isProxyError } from "../../../src/errors/catalogue.js";
import { deriveVaultKeys, loadVaultKey, parseVaultKey } from "../../../src/vault/keys.js";
import type { VaultKeys } from "../../../src/vault/keys.js";
import { OTHER_KEY_HEX, tempDir, TEST_KEY_HEX } from "./helpers.js";

const posix = process.platform !== "win32";
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function dataDir(): string {
  const { dir, cleanup } = tempDir("vault-keys-");
  cleanups.push(cleanup);
  return `${dir}/data`;
}

/** Two key sets are the same when their derived keys give the same MACs. */
function fingerprint(keys: VaultKeys): string {
  return [keys.encryption, keys.valueMac, keys.scopeHash]
    .map((k) => createHmac("sha256", k).update("probe").digest("hex"))
    .join(":");
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isProxyError(err) ? err.code : `non-catalogue: ${String(err)}`;
  }
  return undefined;
}

describe("parseVaultKey", () => {
  const bytes = Buffer.from(TEST_KEY_HEX, "hex");

  it("accepts 64 hex characters, base64 and base64url of 32 bytes, with surrounding whitespace", () => {
    expect(parseVaultKey(TEST_KEY_HEX)).toEqual(bytes);
    expect(parseVaultKey(TEST_KEY_HEX.toUpperCase())).toEqual(bytes);
    const random = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 251) % 256));
    expect(parseVaultKey(random.toString("base64"))).toEqual(random);
    expect(parseVaultKey(random.toString("base64url"))).toEqual(random);
    expect(parseVaultKey(` ${TEST_KEY_HEX}\n`)).toEqual(bytes);
  });

  it("refuses anything else with PRX_VAULT_KEY_INVALID and never echoes the key", () => {
    const bad = [
      "",
      "abc",
      TEST_KEY_HEX.slice(2),
      `${TEST_KEY_HEX}00`,
      "zz".repeat(32),
      Buffer.alloc(31).toString("base64"),
    ];
    for (const text of bad) expect(codeOf(() => parseVaultKey(text))).toBe("PRX_VAULT_KEY_INVALID");
    try {
      parseVaultKey(`${TEST_KEY_HEX}0`);
    } catch (err) {
      expect(`${String(err)} ${inspect(err)}`).not.toContain(TEST_KEY_HEX.slice(0, 16));
    }
  });
});

describe("deriveVaultKeys", () => {
  it("is deterministic per master key and separates purposes", () => {
    const a = deriveVaultKeys(Buffer.from(TEST_KEY_HEX, "hex"));
    const b = deriveVaultKeys(Buffer.from(TEST_KEY_HEX, "hex"));
    const c = deriveVaultKeys(Buffer.from(OTHER_KEY_HEX, "hex"));
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(a.check).toEqual(b.check);
    expect(fingerprint(a)).not.toBe(fingerprint(c));
    expect(a.check).not.toEqual(c.check);
    expect(new Set(fingerprint(a).split(":")).size).toBe(3);
  });

  it("shows no key material when logged or serialised", () => {
    const keys = deriveVaultKeys(Buffer.from(TEST_KEY_HEX, "hex"));
    const shown = `${JSON.stringify(keys)} ${inspect(keys, { depth: 5, showHidden: true })}`;
    for (const k of [keys.encryption, keys.valueMac, keys.scopeHash]) {
      const hex = k.export().toString("hex");
      expect(shown).not.toContain(hex);
      expect(shown).not.toContain(hex.slice(0, 16));
    }
    expect(shown).not.toContain(TEST_KEY_HEX.slice(0, 16));
  });

  it("refuses a master key that is not 32 bytes", () => {
    expect(codeOf(() => deriveVaultKeys(Buffer.alloc(16)))).toBe("PRX_VAULT_KEY_INVALID");
  });
});

describe("loadVaultKey", () => {
  it("uses MEMPRIVACY_VAULT_KEY when set, creating the data directory (0700) but no key file", () => {
    const dir = dataDir();
    const keys = loadVaultKey({ dataDir: dir, envKey: TEST_KEY_HEX });
    expect(keys.source).toBe("env");
    expect(fingerprint(keys)).toBe(fingerprint(deriveVaultKeys(Buffer.from(TEST_KEY_HEX, "hex"))));
    expect(existsSync(`${dir}/vault.key`)).toBe(false);
    if (posix) expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("refuses an invalid MEMPRIVACY_VAULT_KEY", () => {
    expect(codeOf(() => loadVaultKey({ dataDir: dataDir(), envKey: "not-a-key" }))).toBe(
      "PRX_VAULT_KEY_INVALID",
    );
  });

  it("creates a key file 0600 on first use and reads the same key back; a blank env key is unset", () => {
    const dir = dataDir();
    const first = loadVaultKey({ dataDir: dir });
    expect(first.source).toBe("file");
    const file = `${dir}/vault.key`;
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^[0-9a-f]{64}\n$/);
    const second = loadVaultKey({ dataDir: dir, envKey: "  " });
    expect(fingerprint(second)).toBe(fingerprint(first));
    expect(fingerprint(first)).not.toBe(fingerprint(loadVaultKey({ dataDir: dataDir() })));
  });

  it("accepts a key file the user wrote as raw bytes, hex or base64", () => {
    const raw = Buffer.from(OTHER_KEY_HEX, "hex");
    const expected = fingerprint(deriveVaultKeys(raw));
    for (const content of [raw, Buffer.from(`${OTHER_KEY_HEX}\n`), Buffer.from(raw.toString("base64"))]) {
      const dir = dataDir();
      loadVaultKey({ dataDir: dir, envKey: TEST_KEY_HEX }); // creates the directory
      writeFileSync(`${dir}/vault.key`, content, { mode: 0o600 });
      expect(fingerprint(loadVaultKey({ dataDir: dir }))).toBe(expected);
    }
  });

  it("refuses an invalid key file", () => {
    const dir = dataDir();
    loadVaultKey({ dataDir: dir, envKey: TEST_KEY_HEX });
    writeFileSync(`${dir}/vault.key`, "hello", { mode: 0o600 });
    expect(codeOf(() => loadVaultKey({ dataDir: dir }))).toBe("PRX_VAULT_KEY_INVALID");
  });

  it.skipIf(!posix)("refuses a key file that group or others can read or write", () => {
    const dir = dataDir();
    loadVaultKey({ dataDir: dir });
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      chmodSync(`${dir}/vault.key`, mode);
      expect(codeOf(() => loadVaultKey({ dataDir: dir }))).toBe("PRX_VAULT_KEY_PERMISSIONS");
    }
    chmodSync(`${dir}/vault.key`, 0o400);
    expect(loadVaultKey({ dataDir: dir }).source).toBe("file");
  });
});
