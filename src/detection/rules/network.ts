// Network identifiers: IPv4/IPv6 (validated; internal ranges → Internal IP PL4), MAC addresses.
import { clearBefore, dashOffsets, emit, execAll, hasChar, type RuleContext } from "./context.js";
import { type ClusterShape, clusterWindows, execInWindows } from "./digit-clusters.js";
import { isInternalIPv4, isInternalIPv6, parseIPv4, parseIPv6 } from "./validators.js";

// Leading look-behinds are checked by hand (clearBefore) so V8 can scan quickly for the first character.
const IPV4_RE = /(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?(?![0-9A-Za-z]|\.\d)/g;
// A dotted quad is four runs split by single "." (digit-clusters.ts).
const IPV4_SHAPE: ClusterShape = { maxGap: 1, minDigits: 4, minRuns: 4 };
// Candidate IPv6: hex groups and colons (optionally ending in a dotted quad); parsing decides.
const IPV6_RE =
  /(?:[0-9A-Fa-f]{1,4}:|::?)(?:[0-9A-Fa-f]{0,4}:){0,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![0-9A-Za-z:])/g;
// The IPv6 hint `::|h:h{1,4}:h{1,4}:h{1,4}:h` (h a hex digit), tried at each ":" (the second form from the
// digit before it): the hint holds somewhere exactly when it holds at one of them.
const IPV6_HINT_AT_RE = /[0-9A-Fa-f]:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]/y;
const MAC_RE = /[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![0-9A-Za-z:-])/g;
const MAC_HINT_RE = /[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}\1[0-9A-Fa-f]{2}\1/;
const MAC_DOT_RE = /[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z.])/g;

// Hex digits as a table (the hints below test a few characters around each separator).
const HEX = new Uint8Array(128);
for (const c of "0123456789ABCDEFabcdef") HEX[c.charCodeAt(0)] = 1;

function isHexAt(t: string, i: number): boolean {
  return HEX[t.charCodeAt(i)] === 1;
}

/**
 * Whether `/::|h:h{1,4}:h{1,4}:h{1,4}:h/` matches in `t`: tried at each ":" only (found by a builtin search,
 * from `firstColon`, the first ":", when the caller has it).
 */
export function ipv6Hint(t: string, firstColon = t.indexOf(":")): boolean {
  for (let i = firstColon; i >= 0; i = t.indexOf(":", i + 1)) {
    if (t.charCodeAt(i + 1) === 0x3a) return true;
    if (i > 0 && isHexAt(t, i - 1) && isHexAt(t, i + 1)) {
      IPV6_HINT_AT_RE.lastIndex = i - 1;
      if (IPV6_HINT_AT_RE.test(t)) return true;
    }
  }
  return false;
}

/** Whether a separator at `i` is followed by two hex digits and ":" or "-" (`/[:-]hh[:-]/` at `i`). */
function pairAt(t: string, i: number): boolean {
  const c = t.charCodeAt(i + 3);
  return (c === 0x3a || c === 0x2d) && isHexAt(t, i + 1) && isHexAt(t, i + 2);
}

/**
 * Whether `/[:-]hh[:-]/` (part of every MAC with separators) occurs in `t`; `dashes` are the offsets of its
 * "-" and `firstColon` its first ":" when the caller has them.
 */
export function macPairHint(t: string, dashes?: readonly number[], firstColon = t.indexOf(":")): boolean {
  for (let i = firstColon; i >= 0; i = t.indexOf(":", i + 1)) if (pairAt(t, i)) return true;
  if (dashes !== undefined) return dashes.some((i) => pairAt(t, i));
  for (let i = t.indexOf("-"); i >= 0; i = t.indexOf("-", i + 1)) if (pairAt(t, i)) return true;
  return false;
}

/** Whether `/\.hhhh\./` (part of every dotted MAC) occurs in `t` (`firstDot`: its first ".", if known). */
export function macDotHint(t: string, firstDot = t.indexOf(".")): boolean {
  for (let i = firstDot; i >= 0; i = t.indexOf(".", i + 1)) {
    if (
      t.charCodeAt(i + 5) === 0x2e &&
      isHexAt(t, i + 1) &&
      isHexAt(t, i + 2) &&
      isHexAt(t, i + 3) &&
      isHexAt(t, i + 4)
    )
      return true;
  }
  return false;
}
const MAC_BARE_RE = /(?:MAC|物理地址)[^0-9A-Za-z\n]{0,12}([0-9A-Fa-f]{12})(?![0-9A-Za-z])/dg;
// "version 1.2.3.4", "v1.2.3.4", "版本 1.2.3.4": dotted quads that are version strings, not addresses.
const VERSION_BEFORE_RE =
  /(?:(?<![A-Za-z])(?:version|ver\.?|v|build|release|firmware)|版本|版本号)\s*[:：]?\s*$/i;

/** Finds IP addresses (Internal IP PL4 / IP Address PL2) and MAC addresses (MAC Address, PL2). */
export function detectNetwork(ctx: RuleContext): void {
  const t = ctx.text;
  // The first ":" and "." are looked for once: every test below starts from them.
  const colon = t.indexOf(":");
  const dot = ctx.digitCount > 0 ? t.indexOf(".") : -1;
  if (ctx.digitCount >= 4 && dot >= 0) {
    for (const m of execInWindows(IPV4_RE, t, clusterWindows(ctx, IPV4_SHAPE))) {
      if (!clearBefore(t, m.index, ".")) continue;
      const slash = m[0].indexOf("/");
      const octets = parseIPv4(slash >= 0 ? m[0].slice(0, slash) : m[0]);
      // 255.x.x.x are netmasks, not hosts.
      if (octets === undefined || octets[0] === 255) continue;
      if (VERSION_BEFORE_RE.test(t.slice(Math.max(0, m.index - 12), m.index))) continue;
      if (isInternalIPv4(octets)) emit(ctx, m.index, m.index + m[0].length, "Internal IP", "PL4", "ipv4");
      else emit(ctx, m.index, m.index + m[0].length, "IP Address", "PL2", "ipv4");
    }
  }
  if (colon >= 0 && ipv6Hint(t, colon)) {
    for (const m of execAll(IPV6_RE, t)) {
      const s = m[0];
      if (!clearBefore(t, m.index, ":.")) continue;
      const groups = parseIPv6(s);
      if (groups === undefined) continue;
      // "a::b" in code or "12:30:45" times: demand 8 groups, or "::" with a group of 3+ hex digits, or ::1.
      const strong = !s.includes("::") || /[0-9A-Fa-f]{3}/.test(s) || s === "::1";
      if (!strong || s.split(":").filter((g) => g !== "").length < (s === "::1" ? 1 : 2)) continue;
      if (isInternalIPv6(groups)) emit(ctx, m.index, m.index + s.length, "Internal IP", "PL4", "ipv6");
      else emit(ctx, m.index, m.index + s.length, "IP Address", "PL2", "ipv6");
    }
  }
  if (macPairHint(t, dashOffsets(ctx), colon) && MAC_HINT_RE.test(t)) {
    for (const m of execAll(MAC_RE, t)) {
      if (clearBefore(t, m.index, ":-"))
        emit(ctx, m.index, m.index + m[0].length, "MAC Address", "PL2", "mac");
    }
  }
  // A dotted MAC must hold a digit to be emitted.
  if (dot >= 0 && macDotHint(t, dot)) {
    for (const m of execAll(MAC_DOT_RE, t)) {
      if (/\d/.test(m[0]) && clearBefore(t, m.index, ".")) {
        emit(ctx, m.index, m.index + m[0].length, "MAC Address", "PL2", "mac");
      }
    }
  }
  if ((hasChar(ctx, "C") && t.includes("MAC")) || (ctx.hasCjk && t.includes("物理地址"))) {
    for (const m of execAll(MAC_BARE_RE, t)) {
      const idx = m.indices?.[1];
      if (idx !== undefined && clearBefore(t, m.index))
        emit(ctx, idx[0], idx[1], "MAC Address", "PL2", "mac");
    }
  }
}
