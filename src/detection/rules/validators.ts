// Checksum and syntax validators for structured values: Luhn, IBAN mod-97, CN resident ID, IPv4/IPv6, US SSN.

/** True when the digit string passes the Luhn check (non-digits make it false). */
export function luhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    const c = digits.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    let d = c;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** True when the IBAN (spaces allowed) has a 2-letter country, 2 check digits and passes mod-97. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/ /g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    // Letters expand to two digits (A=10 … Z=35); fold them in digit by digit.
    const value = code >= 65 ? code - 55 : code - 48;
    rem = value >= 10 ? (rem * 100 + value) % 97 : (rem * 10 + value) % 97;
  }
  return rem === 1;
}

const CN_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CN_ID_CHECK = "10X98765432";

/** True when an 18-character CN resident ID passes ISO 7064 MOD 11-2 (last char may be X/x). */
export function cnResidentIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (CN_ID_WEIGHTS[i] ?? 0);
  return CN_ID_CHECK[sum % 11] === id.charAt(17).toUpperCase();
}

/** Parses dotted-quad IPv4 (no leading zeros except "0"); returns the four octets or undefined. */
export function parseIPv4(text: string): [number, number, number, number] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith("0"))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return [out[0] ?? 0, out[1] ?? 0, out[2] ?? 0, out[3] ?? 0];
}

/** True for private, loopback, link-local, CGNAT and unspecified IPv4 ranges (internal networks). */
export function isInternalIPv4(o: readonly [number, number, number, number]): boolean {
  const [a, b] = o;
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/** Parses IPv6 text (with "::" compression and an optional trailing IPv4) into 8 groups, or undefined. */
export function parseIPv6(text: string): number[] | undefined {
  if (text.length < 2 || text.length > 45) return undefined;
  let body = text;
  const tail: number[] = [];
  const lastColon = body.lastIndexOf(":");
  if (body.includes(".")) {
    const v4 = parseIPv4(body.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    const prefix = body.slice(0, lastColon + 1);
    body = prefix.endsWith("::") ? prefix : prefix.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === "") return [];
    const groups: number[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const head = parseGroups(halves[0] ?? "");
  if (head === undefined) return undefined;
  if (halves.length === 1) {
    const all = [...head, ...tail];
    return all.length === 8 ? all : undefined;
  }
  const rest = parseGroups(halves[1] ?? "");
  if (rest === undefined) return undefined;
  const known = head.length + rest.length + tail.length;
  if (known > 7) return undefined;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}

/** True for IPv6 loopback, unspecified, link-local (fe80::/10) and unique-local (fc00::/7) addresses. */
export function isInternalIPv6(groups: readonly number[]): boolean {
  const first = groups[0] ?? 0;
  const allZeroHead = groups.slice(0, 7).every((g) => g === 0);
  if (allZeroHead && ((groups[7] ?? 0) === 1 || (groups[7] ?? 0) === 0)) return true;
  return (first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00;
}

/** True when "AAA-GG-SSSS" is a syntactically valid US SSN (area not 000/666/9xx, group and serial non-zero). */
export function ssnValid(ssn: string): boolean {
  const m = /^(\d{3})-(\d{2})-(\d{4})$/.exec(ssn);
  if (m === null) return false;
  const area = m[1] ?? "";
  return area !== "000" && area !== "666" && !area.startsWith("9") && m[2] !== "00" && m[3] !== "0000";
}
