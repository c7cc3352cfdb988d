// Strings that can only be passwords: 8–64 characters mixing lower case, upper case, digits and symbols,
// with no spaces, not an address, URL or path. Found without any cue word.
import { emit, execAll, type RuleContext } from "./context.js";

const CANDIDATE_RE = /[A-Za-z0-9!@#$%^&*_+=?~.-]{8,64}/g;
const SYMBOL_RE = /[!@#$%^&*_+=?~]/;

/** Finds password-shaped tokens (Password, PL4). */
export function detectPasswordShapes(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.digitCount === 0 || !SYMBOL_RE.test(t)) return;
  for (const m of execAll(CANDIDATE_RE, t)) {
    const v = m[0].replace(/[.-]+$/, "");
    if (v.length < 8 || !/[a-z]/.test(v) || !/[A-Z]/.test(v) || !/\d/.test(v) || !SYMBOL_RE.test(v)) continue;
    // An email address, a handle ("@name") or a markdown/emphasis run is not a password.
    if (/^[^@]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/.test(v) || v.startsWith("@") || /^[*_]/.test(v)) continue;
    const before = m.index === 0 ? "" : t.charAt(m.index - 1);
    if (before === "/" || before === ":" || before === "\\") continue;
    emit(ctx, m.index, m.index + v.length, "Password", "PL4", "password-shape");
  }
}
