// Email addresses (ASCII or Latin-script local part, dotted domain with an alphabetic TLD).
import { emit, type RuleContext } from "./context.js";

// Latin letters only: CJK text glued to an address ("邮箱a@b.com") must not become part of it.
const L = "A-Za-z0-9\\u00C0-\\u024F";
/** The address pattern (global); {@link emailMatches} gives the matches of its scan. */
export const EMAIL_RE = new RegExp(
  `[${L}_%+-][${L}._%+-]{0,63}@[${L}][${L}-]{0,62}(?:\\.[${L}][${L}-]{0,62}){0,6}\\.[A-Za-z]{2,24}(?![A-Za-z0-9-])`,
  "g",
);

// Tried only where a match can start (see emailMatches).
const EMAIL_AT_RE = new RegExp(EMAIL_RE.source, "y");

// Units of a local part: the pattern's second class (its first is the same without ".").
function isLocalUnit(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    (c >= 0xc0 && c <= 0x24f) ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x25 ||
    c === 0x2b ||
    c === 0x2d
  );
}

/**
 * The matches of a global scan of the address pattern over `text`. A match holds one "@", its local part is
 * the up to 64 local units before it and starts at the first that is no "." (the domain alone decides whether
 * it matches): so each "@", found by a builtin search, is tried once, at that start.
 */
export function emailMatches(text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let next = 0;
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > next && at - start < 64 && isLocalUnit(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charCodeAt(start) === 0x2e) start++;
    if (start === at) continue;
    EMAIL_AT_RE.lastIndex = start;
    const m = EMAIL_AT_RE.exec(text);
    if (m === null) continue;
    out.push(m);
    next = start + m[0].length;
  }
  return out;
}

/** Finds email addresses (type Email, PL2). */
export function detectEmails(ctx: RuleContext): void {
  if (!ctx.text.includes("@")) return;
  for (const m of emailMatches(ctx.text)) {
    // "scheme://user:pass@host" is a credential URL (secrets.ts), not an address; an address in a URL's
    // path or query ("https://x.org/u/a@b.org", "?to=a@b.org") is one.
    const before = m.index === 0 ? "" : ctx.text.charAt(m.index - 1);
    if (before !== "" && (/[A-Za-z0-9._%+-]/.test(before) || (before >= "\u00C0" && before <= "\u024F")))
      continue;
    if (/:\/\/[^\s/?#]*$/.test(ctx.text.slice(Math.max(0, m.index - 200), m.index))) continue;
    emit(ctx, m.index, m.index + m[0].length, "Email", "PL2", "email");
  }
}
