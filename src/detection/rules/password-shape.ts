// Strings that can only be passwords: 8–64 characters mixing lower case, upper case, digits and symbols,
// with no spaces, not an address, URL or path. Found without any cue word.
import { emit, type RuleContext } from "./context.js";

// Token characters: A–Z, a–z, 0–9 and !@#$%^&*_+=?~.- (a table: a regex test per character costs far more);
// 2 marks the symbols a token is scanned from (!@#$%^&*_+=?~).
const TOKEN_CHARS = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-")
  TOKEN_CHARS[c.charCodeAt(0)] = 1;
for (const c of "!@#$%^&*_+=?~") TOKEN_CHARS[c.charCodeAt(0)] = 2;
const STRONG_SYMBOL_RE = /[!@#$%^&*+=?~]/;

function isTokenChar(t: string, i: number): boolean {
  return i >= 0 && i < t.length && (TOKEN_CHARS[t.charCodeAt(i)] as number) > 0;
}

/**
 * Finds password-shaped tokens (Password, PL4): scans from each symbol to the token around it. A token lies
 * inside one maximal run of token characters and what is found in a run depends on that run alone, and a
 * password holds a digit: so only the runs holding a digit run are scanned, each once.
 */
export function detectPasswordShapes(ctx: RuleContext): void {
  const t = ctx.text;
  // A password shape holds a digit and a capital letter.
  if (ctx.digitCount === 0 || !ctx.hasUpper) return;
  const runs = ctx.digitRuns;
  let walked = 0;
  for (let r = 0; r < runs.length; r += 2) {
    const digit = runs[r] as number;
    if (digit < walked) continue;
    let from = digit;
    while (from > walked && isTokenChar(t, from - 1)) from--;
    let to = digit;
    while (to < t.length && isTokenChar(t, to)) to++;
    walked = to;
    scanRun(ctx, from, to);
  }
}

/** The symbol scan over one maximal run of token characters [from, to). */
function scanRun(ctx: RuleContext, from: number, to: number): void {
  const t = ctx.text;
  let i = from;
  while (i < to) {
    if (TOKEN_CHARS[t.charCodeAt(i)] !== 2) {
      i++;
      continue;
    }
    const at = i;
    let start = at;
    let end = at + 1;
    while (start > 0 && isTokenChar(t, start - 1) && at - start < 64) start--;
    while (end < t.length && isTokenChar(t, end) && end - start < 64) end++;
    i = end;
    // Trimming only shortens the token: too short now is too short after (saves the regex work below).
    if (end - start < 8) continue;
    const raw = t.slice(start, end);
    const v = raw.replace(/[.-]+$/, "");
    if (v.length < 8 || v.length > 64) continue;
    // "_" alone makes identifiers (ERR_IP_CONFLICT_0x88A), not passwords: another symbol is required.
    if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || !/\d/.test(v) || !STRONG_SYMBOL_RE.test(v)) continue;
    // An email address, a handle ("@name") or a markdown/emphasis run is not a password.
    if (/^[^@]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/.test(v) || v.startsWith("@") || /^[*_]/.test(v)) continue;
    const before = start === 0 ? "" : t.charAt(start - 1);
    if (before === "/" || before === ":" || before === "\\") continue;
    emit(ctx, start, start + v.length, "Password", "PL4", "password-shape");
  }
}
