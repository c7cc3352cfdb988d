/**
 * The data directory as another local user could prepare it: a world-writable directory, a key file and a
 * database planted by another uid (65534 when the tests run as root), symbolic links to files elsewhere.
 * Start-up must stop with a catalogue error that says what to fix, before the planted key is used or
 * anything is written; a private directory of the user's own starts normally.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { isProxyError } from "../../src/errors/catalogue.js";
import { LogSink, testConfig } from "../helpers/app.js";

const POSIX = process.platform !== "win32";
const IS_ROOT = process.geteuid?.() === 0;
const OTHER_UID = 65534;
const PLANTED_KEY = `${"ab".repeat(32)}\n`;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A fresh private parent directory (0700) for one test's data directory. */
function parent(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "memprivacy-datadir-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts the app on `dataDir` (a real SQLite vault); the catalogue code it stops with, or "started". */
async function startUp(dataDir: string, envKey?: string): Promise<{ code: string; detail: string }> {
  const saved = process.env.MEMPRIVACY_VAULT_KEY;
  if (envKey === undefined) delete process.env.MEMPRIVACY_VAULT_KEY;
  else process.env.MEMPRIVACY_VAULT_KEY = envKey;
  try {
    const app = await buildApp(testConfig({ ephemeral: false, dataDir }), { logDestination: new LogSink() });
    await app.close();
    return { code: "started", detail: "" };
  } catch (err) {
    if (!isProxyError(err)) throw err;
    return { code: err.code, detail: err.detail ?? "" };
  } finally {
    if (saved === undefined) delete process.env.MEMPRIVACY_VAULT_KEY;
    else process.env.MEMPRIVACY_VAULT_KEY = saved;
  }
}

/** A database file that looks like a vault someone else made (any bytes: it must never be opened). */
function plantDatabase(file: string): void {
  fs.writeFileSync(file, "SQLite format 3\0planted", { mode: 0o600 });
}

describe.skipIf(!POSIX)("data directory, key file and database", () => {
  it("starts on a private directory of its own, creating it 0700 with a 0600 key", async () => {
    const dataDir = path.join(parent(), "data");
    expect(await startUp(dataDir)).toEqual({ code: "started", detail: "" });
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, "vault.key")).mode & 0o777).toBe(0o600);
    // And again on the same directory (now holding its own key and database).
    expect((await startUp(dataDir)).code).toBe("started");
  });

  it.skipIf(!IS_ROOT)(
    "refuses a world-writable directory holding a key and a database planted by another uid",
    async () => {
      const dataDir = path.join(parent(), "shared");
      fs.mkdirSync(dataDir, { mode: 0o777 });
      fs.chmodSync(dataDir, 0o777);
      fs.writeFileSync(path.join(dataDir, "vault.key"), PLANTED_KEY, { mode: 0o600 });
      plantDatabase(path.join(dataDir, "vault.db"));
      fs.chownSync(path.join(dataDir, "vault.key"), OTHER_UID, OTHER_UID);
      fs.chownSync(path.join(dataDir, "vault.db"), OTHER_UID, OTHER_UID);
      const before = fs.readFileSync(path.join(dataDir, "vault.db"));

      const result = await startUp(dataDir);
      expect(result.code).toBe("PRX_VAULT_UNSAFE_PATH");
      expect(result.detail).toContain("writable by group or others");
      expect(result.detail).toContain("chmod 700");
      // Nothing was written there.
      expect(fs.readFileSync(path.join(dataDir, "vault.db"))).toEqual(before);
      expect(fs.readdirSync(dataDir).sort()).toEqual(["vault.db", "vault.key"]);

      // Even once the directory is made private, the other user's files are still refused.
      fs.chmodSync(dataDir, 0o700);
      const key = await startUp(dataDir);
      expect(key.code).toBe("PRX_VAULT_UNSAFE_PATH");
      expect(key.detail).toContain(`belongs to uid ${OTHER_UID}`);
      expect(key.detail).toContain("vault.key");
      // With the key from the environment the planted key is not read, and the planted database is refused.
      const db = await startUp(dataDir, "0f".repeat(32));
      expect(db.code).toBe("PRX_VAULT_UNSAFE_PATH");
      expect(db.detail).toContain("vault.db");
      expect(fs.readFileSync(path.join(dataDir, "vault.db"))).toEqual(before);
    },
  );

  it.skipIf(!IS_ROOT)("refuses a data directory that belongs to another uid", async () => {
    const dataDir = path.join(parent(), "theirs");
    fs.mkdirSync(dataDir, { mode: 0o700 });
    fs.chownSync(dataDir, OTHER_UID, OTHER_UID);
    const result = await startUp(dataDir);
    expect(result.code).toBe("PRX_VAULT_UNSAFE_PATH");
    expect(result.detail).toContain(`belongs to uid ${OTHER_UID}`);
  });

  it("refuses a key file that is a symbolic link, without reading what it points at", async () => {
    const outside = parent();
    const target = path.join(outside, "their.key");
    fs.writeFileSync(target, PLANTED_KEY, { mode: 0o600 });
    const dataDir = path.join(parent(), "data");
    fs.mkdirSync(dataDir, { mode: 0o700 });
    fs.symlinkSync(target, path.join(dataDir, "vault.key"));
    const result = await startUp(dataDir);
    expect(result.code).toBe("PRX_VAULT_UNSAFE_PATH");
    expect(result.detail).toContain("symbolic link");
    expect(fs.existsSync(path.join(dataDir, "vault.db"))).toBe(false);
  });

  it("refuses a database (or its WAL) that is a symbolic link", async () => {
    for (const name of ["vault.db", "vault.db-wal"]) {
      const outside = parent();
      const target = path.join(outside, "elsewhere.db");
      plantDatabase(target);
      const dataDir = path.join(parent(), "data");
      fs.mkdirSync(dataDir, { mode: 0o700 });
      fs.symlinkSync(target, path.join(dataDir, name));
      const result = await startUp(dataDir, "0f".repeat(32));
      expect(result.code, name).toBe("PRX_VAULT_UNSAFE_PATH");
      expect(result.detail, name).toContain(name);
      expect(fs.readFileSync(target).toString("latin1"), name).toContain("planted");
    }
  });

  it("refuses a data directory that is itself a symbolic link", async () => {
    const real = path.join(parent(), "real");
    fs.mkdirSync(real, { mode: 0o700 });
    const link = path.join(parent(), "link");
    fs.symlinkSync(real, link);
    const result = await startUp(link);
    expect(result.code).toBe("PRX_VAULT_UNSAFE_PATH");
    expect(result.detail).toContain("symbolic link");
  });

  it("refuses a database that group or others can read", async () => {
    const dataDir = path.join(parent(), "data");
    expect((await startUp(dataDir)).code).toBe("started");
    fs.chmodSync(path.join(dataDir, "vault.db"), 0o644);
    const result = await startUp(dataDir);
    expect(result.code).toBe("PRX_VAULT_UNSAFE_PATH");
    expect(result.detail).toContain("chmod 600");
  });
});
