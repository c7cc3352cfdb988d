/**
 * DNS-rebinding guard: when the proxy listens on a loopback address, a web page elsewhere can still reach it
 * by pointing its own host name at 127.0.0.1. Browsers send that foreign name in `Host`, so on a loopback
 * listener only loopback names (and names listed in `allowedHosts`) are accepted.
 */

const LOOPBACK_LISTEN = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The host name of a Host header value, lower-case, without the port. */
export function hostNameOf(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.lastIndexOf(":");
  return colon === -1 ? value : value.slice(0, colon);
}

/** True when a request with this Host header may be served by a proxy listening on `listenHost`. */
export function isAllowedHost(
  listenHost: string,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (!LOOPBACK_LISTEN.has(listenHost.toLowerCase())) return true;
  if (host === undefined) return true;
  const name = hostNameOf(host);
  return (
    LOOPBACK_NAMES.has(name) || name.endsWith(".localhost") || allowed.some((a) => a.toLowerCase() === name)
  );
}
