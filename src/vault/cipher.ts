/**
 * The vault's cryptography, shared by every durable backend (SQLite, PostgreSQL) so they store the same bytes:
 * a scope becomes a keyed tag (HMAC-SHA256), a value a keyed look-up MAC, a stored value AES-256-GCM ciphertext
 * with a random nonce, bound by its associated data to its scope tag and placeholder key, so a row moved between
 * scopes or placeholders fails authentication instead of restoring a wrong value. Pure: no I/O, no state but a
 * bounded memo of scope tags.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { ProxyError } from "../errors/catalogue.js";
import type { VaultKeys } from "./keys.js";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AAD_PREFIX = Buffer.from("memprivacy-vault-v1\0", "utf8");
// First byte of an encoded value: UTF-8 for well-formed strings, UTF-16LE for strings with lone surrogates,
// which UTF-8 would silently turn into U+FFFD (two different strings would then share one MAC).
const UTF8 = 1;
const UTF16 = 2;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Scope tags memoised at once (the HMAC costs more than the look-up it keys). */
const MEMO_TAGS = 1024;

/** Tags, MACs and ciphertexts of one vault key. */
export class VaultCipher {
  readonly #keys: VaultKeys;
  readonly #tags = new Map<string, Buffer>();

  constructor(keys: VaultKeys) {
    this.#keys = keys;
  }

  /** The keyed hash that stands for a logical scope in storage (the scope itself is never stored). */
  scopeTag(scope: string): Buffer {
    let tag = this.#tags.get(scope);
    if (tag === undefined) {
      tag = createHmac("sha256", this.#keys.scopeHash).update(encode(scope)).digest();
      if (this.#tags.size >= MEMO_TAGS) this.#tags.clear();
      this.#tags.set(scope, tag);
    }
    return tag;
  }

  /** The look-up MAC of a value in a scope. */
  valueMac(tag: Buffer, value: string): Buffer {
    return createHmac("sha256", this.#keys.valueMac).update(tag).update(encode(value)).digest();
  }

  /**
   * The keyed MAC of an upstream id a binding is stored under, domain-separated from value MACs (whose input
   * after the tag starts with byte 1 or 2).
   */
  bindingMac(tag: Buffer, id: string): Buffer {
    return createHmac("sha256", this.#keys.valueMac)
      .update(tag)
      .update("\u0000binding\u0000")
      .update(id, "utf8")
      .digest();
  }

  /** Nonce, ciphertext and tag of `value`, authenticated with the scope tag and `key`. */
  encrypt(tag: Buffer, key: string, value: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#keys.encryption, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(tag, key));
    const plain = encode(value);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    plain.fill(0);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  /** The value of a blob {@link encrypt} wrote for the same tag and key; PRX_VAULT_FAILED otherwise. */
  decrypt(tag: Buffer, key: string, blob: Buffer): string {
    if (blob.length < NONCE_BYTES + TAG_BYTES + 1)
      throw new ProxyError("PRX_VAULT_FAILED", { detail: "bad entry" });
    const decipher = createDecipheriv("aes-256-gcm", this.#keys.encryption, blob.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad(tag, key));
    decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(blob.subarray(NONCE_BYTES, blob.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (cause) {
      // A row moved between scopes or placeholders, or tampered with: refuse rather than restore a wrong value.
      throw new ProxyError("PRX_VAULT_FAILED", { cause, detail: "vault entry failed authentication" });
    }
    const value = decode(plain);
    plain.fill(0);
    return value;
  }

  /** Placeholder keys bound to an id, encrypted as one JSON array under the binding's MAC. */
  encryptKeys(tag: Buffer, mac: Buffer, keys: readonly string[]): Buffer {
    return this.encrypt(tag, bindingKey(mac), JSON.stringify(keys));
  }

  /** The keys of a blob {@link encryptKeys} wrote. */
  decryptKeys(tag: Buffer, mac: Buffer, blob: Buffer): string[] {
    const parsed: unknown = JSON.parse(this.decrypt(tag, bindingKey(mac), blob));
    return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === "string") : [];
  }

  /** Forgets the memoised tags (on close). */
  clear(): void {
    this.#tags.clear();
  }
}

function bindingKey(mac: Buffer): string {
  return `binding:${mac.toString("hex")}`;
}

function aad(tag: Buffer, key: string): Buffer {
  return Buffer.concat([AAD_PREFIX, tag, Buffer.from(key, "utf8")]);
}

function encode(text: string): Buffer {
  const wellFormed = !LONE_SURROGATE_RE.test(text);
  const body = Buffer.from(text, wellFormed ? "utf8" : "utf16le");
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = wellFormed ? UTF8 : UTF16;
  body.copy(out, 1);
  body.fill(0);
  return out;
}

function decode(bytes: Buffer): string {
  const body = bytes.subarray(1);
  if (bytes[0] === UTF8) return body.toString("utf8");
  if (bytes[0] === UTF16) return body.toString("utf16le");
  throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault entry has an unknown encoding" });
}
