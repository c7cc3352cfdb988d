/**
 * Optional proxy token (`MEMPRIVACY_PROXY_TOKEN`): when set, every route but the health checks needs it,
 * in `x-memprivacy-token` or as `Authorization: Bearer <token>` (the latter only when an upstream key is
 * injected by the proxy, since otherwise Authorization carries the caller's upstream key). Constant-time
 * compare. The token is the proxy's own: it is never forwarded (src/upstream/headers.ts drops any credential
 * header that carries it), and a web page cannot use it without passing the Origin check first
 * (src/server/boundary.ts runs before this one).
 */
import { hash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { TOKEN_HEADER } from "../scope/scope.js";

const BEARER_RE = /^bearer\s+/i;

function digest(value: string): Buffer {
  return hash("sha256", value, "buffer");
}

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** True when the request carries the proxy token (as `Bearer` only when `allowBearer`; scheme in any case). */
export function hasProxyToken(headers: IncomingHttpHeaders, token: string, allowBearer: boolean): boolean {
  const given = headers[TOKEN_HEADER];
  if (typeof given === "string" && safeEqual(given, token)) return true;
  const auth = headers.authorization;
  if (allowBearer && typeof auth === "string" && BEARER_RE.test(auth))
    return safeEqual(auth.replace(BEARER_RE, "").trim(), token);
  return false;
}
