/**
 * DNS-rebinding guard, on every listener whatever `--host` is. A web page elsewhere can reach the proxy by
 * pointing a name it controls at the proxy's address; the browser then sends that foreign name in `Host`.
 * So only names nobody else can point at us are served: loopback names (`localhost`, `*.localhost`, the
 * 127.0.0.0/8 and ::1 literals), the literal address the proxy listens on, and names in `allowedHosts`
 * (a sidecar's compose service name, say). The Host value must also follow the RFC 9110 §7.2 / RFC 3986
 * §3.2.2 grammar strictly — `[::1]evil.example`, `127.0.0.1:1@evil.example`, a missing Host, two Hosts —
 * anything a browser would never send is refused rather than guessed at.
 */

/** A Host value split into its parts: `name` lower-case (IPv6 with brackets), `port` when present. */
export interface ParsedHost {
  readonly name: string;
  readonly port?: number;
}

/** A DNS label (letters, digits, hyphens inside; underscores tolerated, as some container names use them). */
const LABEL_RE = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const DOTTED_QUAD_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_CHARS_RE = /^[0-9a-f:.]+$/;

/** True when `text` is an IPv4 address in canonical dotted-quad form (no `127.1`, no leading zeros). */
export function isDottedQuad(text: string): boolean {
  return DOTTED_QUAD_RE.test(text);
}

function isIpv6(text: string): boolean {
  if (!IPV6_CHARS_RE.test(text) || !text.includes(":")) return false;
  try {
    // The WHATWG parser is the one browsers use; anything it rejects is not a browser's Host.
    return new URL(`http://[${text}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/**
 * Parses a Host header value strictly: `reg-name`, dotted-quad IPv4 or `[IPv6]`, then an optional `:port`
 * (1–65535, digits only). Undefined for anything else — userinfo, paths, spaces, empty, a bracket followed
 * by text, a numeric name that is not a canonical dotted quad (`127.1`, `0x7f.1`).
 */
export function parseHost(value: string | undefined): ParsedHost | undefined {
  if (value === undefined || value.length === 0 || value.length > 300) return undefined;
  const text = value.toLowerCase();
  let name: string;
  let rest: string;
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    if (end === -1 || !isIpv6(text.slice(1, end))) return undefined;
    name = text.slice(0, end + 1);
    rest = text.slice(end + 1);
  } else {
    const colon = text.indexOf(":");
    name = colon === -1 ? text : text.slice(0, colon);
    rest = colon === -1 ? "" : text.slice(colon);
    const bare = name.endsWith(".") ? name.slice(0, -1) : name;
    const labels = bare.split(".");
    if (bare.length === 0 || bare.length > 253 || !labels.every((l) => LABEL_RE.test(l))) return undefined;
    // An all-numeric name must be a canonical IPv4 address: `127.1` or `2130706433` would be read as one by
    // some resolvers and as a name by others.
    if (/^[0-9.]+$/.test(bare) && !isDottedQuad(bare)) return undefined;
    // The last label of a host name is never numeric (RFC 3696 §2); only a dotted quad may end in digits.
    if (/^\d+$/.test(labels.at(-1) ?? "") && !isDottedQuad(bare)) return undefined;
    name = bare;
  }
  if (rest === "") return { name };
  if (!/^:\d{1,5}$/.test(rest)) return undefined;
  const port = Number(rest.slice(1));
  if (port < 1 || port > 65535) return undefined;
  return { name, port };
}

/** The host name of a Host header value, lower-case, without the port; "" when it does not parse. */
export function hostNameOf(host: string): string {
  return parseHost(host)?.name ?? "";
}

/** True for names that always mean this machine and cannot be pointed elsewhere by a DNS owner. */
export function isLoopbackName(name: string): boolean {
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (name === "[::1]") return true;
  return isDottedQuad(name) && name.startsWith("127.");
}

/** The listen address as a Host name (IPv6 bracketed, lower-case). */
function listenName(listenHost: string): string {
  const h = listenHost.toLowerCase();
  return h.includes(":") && !h.startsWith("[") ? `[${h}]` : h;
}

/**
 * True when a request with this Host header may be served by a proxy listening on `listenHost`: the value
 * parses (see {@link parseHost}) and names loopback, the literal IP the proxy listens on (not a wildcard), or
 * an entry of `allowed` (host names, compared without port and case).
 */
export function isAllowedHost(
  listenHost: string,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  const parsed = parseHost(host);
  if (parsed === undefined) return false;
  const name = parsed.name;
  if (isLoopbackName(name)) return true;
  const listen = listenName(listenHost);
  // A literal listen address cannot be rebound; wildcards (0.0.0.0, ::) are not names a browser may use.
  if (
    name === listen &&
    listen !== "0.0.0.0" &&
    listen !== "[::]" &&
    (isDottedQuad(name) || name.startsWith("["))
  )
    return true;
  return allowed.some((a) => {
    const entry = parseHost(a.trim());
    return entry !== undefined && entry.name === name;
  });
}
