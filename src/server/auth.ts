/**
 * Optional proxy token (`MEMPRIVACY_PROXY_TOKEN`): when set, every route but the health checks needs it,
 * in `x-memprivacy-token` or as `Authorization: Bearer <token>` (the latter only when the upstream key is
 * injected by the proxy, since otherwise Authorization carries the caller's upstream key). Constant-time compare.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { TOKEN_HEADER } from "./scope.js";

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** True when the request carries the proxy token. */
export function hasProxyToken(headers: IncomingHttpHeaders, token: string, allowBearer: boolean): boolean {
  const given = headers[TOKEN_HEADER];
  if (typeof given === "string" && safeEqual(given, token)) return true;
  const auth = headers.authorization;
  if (allowBearer && typeof auth === "string" && auth.startsWith("Bearer "))
    return safeEqual(auth.slice(7), token);
  return false;
}
