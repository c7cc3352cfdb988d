/**
 * Vault key handling: the 32-byte master key comes from `MEMPRIVACY_VAULT_KEY` or from a key file
 * `<dataDir>/vault.key` (created 0600 on first use), and every key the vault uses is derived from it with
 * HKDF-SHA256. Derived keys are held as `KeyObject`s so that logging or serialising them shows no material, and
 * no error built here ever carries key text.
 */
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
  type Stats,
} from "node:fs";
import { createHash, createSecretKey, hkdfSync, randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { ProxyError } from "../errors/catalogue.js";

/** Length of the master key and of every derived key, in bytes. */
export const VAULT_KEY_BYTES = 32;
/** File name of the key file inside the data directory. */
export const VAULT_KEY_FILE = "vault.key";

/** Keys derived from the master key; the master itself is not kept. */
export interface VaultKeys {
  /** Where the master key came from. */
  readonly source: "env" | "file";
  /** AES-256-GCM key for stored values. */
  readonly encryption: KeyObject;
  /** HMAC-SHA256 key for the value look-up MAC. */
  readonly valueMac: KeyObject;
  /** HMAC-SHA256 key that turns a logical scope into the stored scope tag. */
  readonly scopeHash: KeyObject;
  /** A one-way value stored in the vault so a wrong key is detected at open; reveals nothing about the key. */
  readonly check: Buffer;
}

// A fixed salt: the master key is already uniformly random, so HKDF needs domain separation, not a secret salt.
const HKDF_SALT = Buffer.from("memprivacy-vault-v1", "utf8");
const HEX_KEY_RE = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY_RE = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL_KEY_RE = /^[A-Za-z0-9_-]{43}=?$/;

/** Parses a master key given as 64 hex characters or base64 (standard or URL-safe) of 32 bytes; throws PRX_VAULT_KEY_INVALID. */
export function parseVaultKey(text: string): Buffer {
  const trimmed = text.trim();
  if (HEX_KEY_RE.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (BASE64_KEY_RE.test(trimmed) || BASE64URL_KEY_RE.test(trimmed)) {
    const bytes = Buffer.from(trimmed, BASE64_KEY_RE.test(trimmed) ? "base64" : "base64url");
    if (bytes.length === VAULT_KEY_BYTES) return bytes;
  }
  // Never include the text: it is (a mistyped) key.
  throw new ProxyError("PRX_VAULT_KEY_INVALID");
}

/** Derives the vault's sub-keys from a 32-byte master key with HKDF-SHA256 (one `info` label per purpose). */
export function deriveVaultKeys(master: Uint8Array, source: VaultKeys["source"] = "env"): VaultKeys {
  if (master.length !== VAULT_KEY_BYTES) throw new ProxyError("PRX_VAULT_KEY_INVALID");
  const derive = (label: string): Buffer =>
    Buffer.from(hkdfSync("sha256", master, HKDF_SALT, `memprivacy vault ${label}`, VAULT_KEY_BYTES));
  const secret = (label: string): KeyObject => {
    const bytes = derive(label);
    const key = createSecretKey(bytes);
    bytes.fill(0);
    return key;
  };
  // The check value is a hash of a derived key, so even a weakness in one HKDF output would not expose others.
  const checkKey = derive("key-check");
  const check = createHash("sha256").update(checkKey).digest();
  checkKey.fill(0);
  return Object.freeze({
    source,
    encryption: secret("aes-256-gcm value encryption"),
    valueMac: secret("hmac-sha256 value lookup"),
    scopeHash: secret("hmac-sha256 scope tag"),
    check,
  });
}

/** Whether POSIX ownership and modes are checked at all (Windows has none worth checking). */
const POSIX = process.platform !== "win32";

function unsafe(path: string, problem: string, fix: string): ProxyError {
  return new ProxyError("PRX_VAULT_UNSAFE_PATH", { detail: `${path}: ${problem}; ${fix}` });
}

function effectiveUid(): number {
  return process.geteuid?.() ?? -1;
}

/**
 * Checks what the proxy found at `path` (from `lstat`/`fstat`, so a symbolic link is seen as one): the right
 * kind, owned by the effective user, no write for group or others — and for `private` files no read either.
 * Throws PRX_VAULT_UNSAFE_PATH (or PRX_VAULT_KEY_PERMISSIONS for a key file others may read or write) with
 * a detail that says what to fix.
 */
export function assertPrivateEntry(path: string, st: Stats, kind: "directory" | "key" | "database"): void {
  if (!POSIX) return;
  if (st.isSymbolicLink())
    throw unsafe(path, "is a symbolic link", "point the data directory at the real location instead");
  if (kind === "directory" ? !st.isDirectory() : !st.isFile())
    throw unsafe(path, `is not a ${kind === "directory" ? "directory" : "regular file"}`, "remove it");
  const uid = effectiveUid();
  if (uid !== -1 && st.uid !== uid) {
    throw unsafe(
      path,
      `belongs to uid ${st.uid}, not to uid ${uid} running the proxy`,
      kind === "directory"
        ? "use a data directory of your own (--data-dir) or chown it"
        : "another user may have planted it: remove it, or chown it if it is yours",
    );
  }
  const mode = st.mode & 0o777;
  if (kind === "directory") {
    if ((mode & 0o022) !== 0)
      throw unsafe(path, `is writable by group or others (mode ${mode.toString(8)})`, "run chmod 700 on it");
    return;
  }
  if ((mode & 0o077) !== 0) {
    if (kind === "key") throw new ProxyError("PRX_VAULT_KEY_PERMISSIONS", { detail: path });
    throw unsafe(
      path,
      `is readable or writable by group or others (mode ${mode.toString(8)})`,
      "run chmod 600 on it",
    );
  }
}

/**
 * Checks an optional file of the data directory without following a symbolic link (`lstat`): nothing there is
 * fine; anything else must pass {@link assertPrivateEntry}.
 */
export function assertPrivateFileIfPresent(path: string, kind: "key" | "database"): void {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (cause) {
    if (isErrnoCode(cause, "ENOENT")) return;
    throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: `cannot stat ${path}` });
  }
  assertPrivateEntry(path, st, kind);
}

/**
 * Creates the data directory (mode 0700) when it does not exist, then checks it (not a symbolic link, owned
 * by the effective user, not writable by group or others), and that its parent is not a directory others can
 * write without the sticky bit (they could swap the data directory for their own).
 */
export function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: "cannot create the data directory" });
  }
  if (!POSIX) return;
  let st: Stats;
  let parent: Stats;
  const parentPath = dirname(resolve(dataDir));
  try {
    st = lstatSync(dataDir);
    parent = lstatSync(parentPath);
  } catch (cause) {
    throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: "cannot stat the data directory" });
  }
  assertPrivateEntry(dataDir, st, "directory");
  if ((parent.mode & 0o002) !== 0 && (parent.mode & 0o1000) === 0) {
    throw unsafe(
      parentPath,
      "(the data directory's parent) is writable by others without the sticky bit",
      "move the data directory somewhere only you can write",
    );
  }
}

/**
 * Loads the master key and derives the vault keys. `envKey` (the value of `MEMPRIVACY_VAULT_KEY`) wins when it is
 * set and not blank; otherwise `<dataDir>/vault.key` is read, or created with 32 random bytes (hex, mode 0600).
 * Throws PRX_VAULT_KEY_INVALID, PRX_VAULT_KEY_PERMISSIONS (key file readable by group/others) or PRX_VAULT_FAILED.
 */
export function loadVaultKey(options: { dataDir: string; envKey?: string | undefined }): VaultKeys {
  ensureDataDir(options.dataDir);
  if (options.envKey !== undefined && options.envKey.trim() !== "") {
    const master = parseVaultKey(options.envKey);
    try {
      return deriveVaultKeys(master, "env");
    } finally {
      master.fill(0);
    }
  }
  const master = readOrCreateKeyFile(join(options.dataDir, VAULT_KEY_FILE));
  try {
    return deriveVaultKeys(master, "file");
  } finally {
    master.fill(0);
  }
}

function readOrCreateKeyFile(path: string): Buffer {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = readKeyFile(path);
    if (existing !== undefined) return existing;
    // Whether this process or a concurrent one created it, it is read back through the same checks.
    createKeyFile(path);
  }
  throw new ProxyError("PRX_VAULT_FAILED", { detail: "cannot create the vault key file" });
}

/**
 * Reads the key file; undefined when it does not exist. Opened with O_NOFOLLOW and checked on the open
 * descriptor (`fstat`), so what is checked is what is read: a symbolic link, another user's file, or a key
 * others can read is refused.
 */
function readKeyFile(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | (POSIX ? fsConstants.O_NOFOLLOW : 0));
  } catch (cause) {
    if (isErrnoCode(cause, "ENOENT")) return undefined;
    if (isErrnoCode(cause, "ELOOP"))
      throw unsafe(path, "is a symbolic link", "remove it (the key file must be a file of its own)");
    throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: "cannot open the vault key file" });
  }
  let bytes: Buffer;
  try {
    assertPrivateEntry(path, fstatSync(fd), "key");
    bytes = readFileSync(fd);
  } catch (cause) {
    if (cause instanceof ProxyError) throw cause;
    throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: "cannot read the vault key file" });
  } finally {
    closeSync(fd);
  }
  try {
    // A raw 32-byte file is accepted too; any other length must be hex or base64 text.
    if (bytes.length === VAULT_KEY_BYTES) return Buffer.from(bytes);
    return parseVaultKey(bytes.toString("utf8"));
  } finally {
    bytes.fill(0);
  }
}

/**
 * Writes a fresh key atomically: into a private temporary file first, then hard-linked into place, so a
 * concurrent starter never reads a half-written key and a crash never leaves an empty key file behind.
 * Returns false when another process created the key first.
 */
function createKeyFile(path: string): boolean {
  const key = randomBytes(VAULT_KEY_BYTES);
  const text = Buffer.from(`${key.toString("hex")}\n`, "utf8");
  key.fill(0);
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    writePrivateFile(tmp, text);
    try {
      linkSync(tmp, path);
    } catch (cause) {
      if (isErrnoCode(cause, "EEXIST")) return false;
      // Some file systems (certain container volumes) have no hard links: create the file in place instead.
      if (!isErrnoCode(cause, "EPERM") && !isErrnoCode(cause, "ENOTSUP") && !isErrnoCode(cause, "EXDEV"))
        throw cause;
      try {
        writePrivateFile(path, text);
      } catch (inner) {
        if (isErrnoCode(inner, "EEXIST")) return false;
        throw inner;
      }
    }
    syncDir(path);
    return true;
  } catch (cause) {
    throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: "cannot create the vault key file" });
  } finally {
    text.fill(0);
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
}

function writePrivateFile(path: string, bytes: Buffer): void {
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// Losing the key loses the vault, so the directory entry is made durable as well.
function syncDir(filePath: string): void {
  if (process.platform === "win32") return;
  try {
    const fd = openSync(join(filePath, ".."), "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on directories; the file itself is already synced.
  }
}

function isErrnoCode(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}
