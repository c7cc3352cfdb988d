// The user's own real name (from the request's metadata): every occurrence is a Real Name span (PL2).
import { emit, type RuleContext, execAll } from "./context.js";

const cache = new Map<string, RegExp | null>();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function nameRegExp(name: string): RegExp | null {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const trimmed = name.trim().replace(/\s+/g, " ");
  let re: RegExp | null = null;
  if (trimmed.length >= 2) {
    // Any run of whitespace, and the middle-dot variants used in transliterated names, are equivalent.
    const body = escapeRegExp(trimmed)
      .replace(/ /g, "\\s+")
      .replace(/[·•・]/g, "[·•・.]");
    const latin = /^[\p{Script=Latin}\s'’.-]+$/u.test(trimmed);
    // Latin names end at Latin letters or digits only: "Marie Curie女士" still matches in Chinese text.
    const edge = "A-Za-z0-9\\u00C0-\\u024F";
    re = latin ? new RegExp(`(?<![${edge}])${body}(?![${edge}])`, "giu") : new RegExp(body, "gu");
  }
  if (cache.size > 256) cache.clear();
  cache.set(name, re);
  return re;
}

/** Finds every occurrence of `userName` (case-insensitive for Latin names); Real Name, PL2. */
export function detectUserName(ctx: RuleContext, userName: string | undefined): void {
  if (userName === undefined) return;
  const re = nameRegExp(userName);
  if (re === null) return;
  for (const m of execAll(re, ctx.text))
    emit(ctx, m.index, m.index + m[0].length, "Real Name", "PL2", "user-name");
}
