/**
 * Scope of a request (README "Scopes"): a hash of every credential-bearing header the upstream APIs use —
 * `Authorization` and `x-api-key` both (OpenAI reads the first; Anthropic the second, and the first for
 * OAuth tokens) — plus an optional session header. A header that is empty (or a bare `Bearer` scheme with no
 * token) counts as absent; the anonymous scope is only for a request with no credential at all.
 *
 * The logical scope never holds a credential: it holds a SHA-256 digest, and the vault stores only an HMAC
 * of the logical scope under its scope-tag key (src/vault/keys.ts), so the stored tag is a keyed hash of the
 * credentials. A request with one credential (or the same value in both headers) keeps the digest earlier
 * versions used, so existing vaults keep their placeholders; two different credentials are hashed together,
 * each under its header's name, so that two callers sharing one header but not the other never share a scope.
 */
import { createHash, hash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export const SESSION_HEADER = "x-memprivacy-session";
export const USER_NAME_HEADER = "x-memprivacy-user-name";
export const TOKEN_HEADER = "x-memprivacy-token";

/** Credential-bearing request headers, in the order they enter the scope hash. */
export const CREDENTIAL_HEADERS = ["authorization", "x-api-key"] as const;

/** Longest session id accepted (printable ASCII). */
const SESSION_RE = /^[\x21-\x7e]{1,128}$/;
/** An auth scheme with nothing after it (`Bearer`, `Basic `): no credential at all. */
const BARE_SCHEME_RE = /^[A-Za-z][A-Za-z0-9+.-]*\s*$/;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A credential header's value, or undefined when it is absent, blank, or (Authorization) a bare scheme. */
function credentialValue(headers: IncomingHttpHeaders, name: (typeof CREDENTIAL_HEADERS)[number]) {
  const value = first(headers[name]);
  if (value === undefined || value.trim() === "") return undefined;
  if (name === "authorization" && BARE_SCHEME_RE.test(value)) return undefined;
  return value;
}

/** The present credentials by header name (empty when the request is anonymous). */
export function credentialsOf(headers: IncomingHttpHeaders): [string, string][] {
  const out: [string, string][] = [];
  for (const name of CREDENTIAL_HEADERS) {
    const value = credentialValue(headers, name);
    if (value !== undefined) out.push([name, value]);
  }
  return out;
}

/** The credential id of a request: "anonymous", the digest of its one credential, or of all of them. */
export function credentialIdOf(headers: IncomingHttpHeaders): string {
  const present = credentialsOf(headers);
  const distinct = new Set(present.map(([, v]) => v));
  if (distinct.size === 0) return "anonymous";
  if (distinct.size === 1) return digest([...distinct][0] as string);
  // Length-prefixed, named fields: no two different header sets give the same input.
  const hash = createHash("sha256").update("memprivacy scope v2\0");
  for (const [name, value] of present) hash.update(`${name.length}:${name}${value.length}:${value}\0`);
  return `v2.${hash.digest("base64url")}`;
}

function digest(credential: string): string {
  // One-shot: half the cost of a Hash object, on every request.
  return hash("sha256", credential, "base64url");
}

/** Logical scope for a request; undefined when the session header is malformed (an empty one is absent). */
export function scopeFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const raw = first(headers[SESSION_HEADER]);
  const session = raw === undefined || raw === "" ? undefined : raw;
  if (session !== undefined && !SESSION_RE.test(session)) return undefined;
  return scopeOfId(credentialIdOf(headers), session);
}

/** Logical scope from one credential and an optional session (`""` credential: anonymous). */
export function scopeFor(credential: string, session?: string): string {
  return scopeOfId(credential === "" ? "anonymous" : digest(credential), session);
}

function scopeOfId(id: string, session: string | undefined): string {
  return `auth:${id}|session:${session ?? ""}`;
}

/** Logical scope for a name given on the command line (`--scope`). */
export function namedScope(name: string): string {
  return `named:${name}`;
}
