// Email addresses (ASCII or Latin-script local part, dotted domain with an alphabetic TLD).
import { emit, type RuleContext, execAll } from "./context.js";

// Latin letters only: CJK text glued to an address ("邮箱a@b.com") must not become part of it.
const L = "A-Za-z0-9\\u00C0-\\u024F";
const EMAIL_RE = new RegExp(
  `[${L}_%+-][${L}._%+-]{0,63}@[${L}][${L}-]{0,62}(?:\\.[${L}][${L}-]{0,62}){0,6}\\.[A-Za-z]{2,24}(?![A-Za-z0-9-])`,
  "g",
);

/** Finds email addresses (type Email, PL2). */
export function detectEmails(ctx: RuleContext): void {
  if (!ctx.text.includes("@")) return;
  for (const m of execAll(EMAIL_RE, ctx.text)) {
    // "scheme://user:pass@host" is a credential URL (secrets.ts), not an address; an address in a URL's
    // path or query ("https://x.org/u/a@b.org", "?to=a@b.org") is one.
    const before = m.index === 0 ? "" : ctx.text.charAt(m.index - 1);
    if (before !== "" && (/[A-Za-z0-9._%+-]/.test(before) || (before >= "\u00C0" && before <= "\u024F")))
      continue;
    if (/:\/\/[^\s/?#]*$/.test(ctx.text.slice(Math.max(0, m.index - 200), m.index))) continue;
    emit(ctx, m.index, m.index + m[0].length, "Email", "PL2", "email");
  }
}
