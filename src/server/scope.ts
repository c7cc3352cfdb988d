/**
 * Scope of a request (DESIGN §5): a hash of the caller's credential plus an optional session header.
 * The logical scope never holds the credential itself; the vault stores only a keyed hash of it.
 */
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export const SESSION_HEADER = "x-memprivacy-session";
export const USER_NAME_HEADER = "x-memprivacy-user-name";
export const TOKEN_HEADER = "x-memprivacy-token";

/** Longest session id accepted (printable ASCII). */
const SESSION_RE = /^[\x21-\x7e]{1,128}$/;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The caller's credential: `Authorization`, else `x-api-key`, else none (anonymous scope). */
export function credentialOf(headers: IncomingHttpHeaders): string {
  return first(headers.authorization) ?? first(headers["x-api-key"]) ?? "";
}

/** Logical scope for a request; undefined when the session header is malformed. */
export function scopeFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const session = first(headers[SESSION_HEADER]);
  if (session !== undefined && !SESSION_RE.test(session)) return undefined;
  return scopeFor(credentialOf(headers), session);
}

/** Logical scope from a credential and an optional session. */
export function scopeFor(credential: string, session?: string): string {
  const id = credential === "" ? "anonymous" : createHash("sha256").update(credential).digest("base64url");
  return `auth:${id}|session:${session ?? ""}`;
}

/** Logical scope for a name given on the command line (`--scope`). */
export function namedScope(name: string): string {
  return `named:${name}`;
}
