// Shared state for one detection pass: the normalised text, cheap pre-computed facts, and the span sink.
import type { PrivacyLevel } from "../../taxonomy/levels.js";

/** A span found on the normalised text, before offsets are mapped back. */
export interface RawSpan {
  start: number;
  end: number;
  type: string;
  level: PrivacyLevel;
  rule: string;
}

/** What every rule family receives. */
export interface RuleContext {
  /** The normalised text (full-width folded, zero-width removed). */
  readonly text: string;
  /** Length of the longest run of ASCII digits (ignoring single separators is left to the rules). */
  readonly maxDigitRun: number;
  /** Number of ASCII digits in the text. */
  readonly digitCount: number;
  readonly hasCjk: boolean;
  /** Which ASCII characters occur: bit `c & 31` of word `c >> 5` (see {@link hasChar}). */
  readonly ascii: Uint32Array;
  readonly out: RawSpan[];
}

/** Pushes a raw span; empty or out-of-range spans are ignored. */
export function emit(
  ctx: RuleContext,
  start: number,
  end: number,
  type: string,
  level: PrivacyLevel,
  rule: string,
): void {
  if (start < 0 || end <= start || end > ctx.text.length) return;
  ctx.out.push({ start, end, type, level, rule });
}

/** True when no character of `chars` (default: ASCII letters and digits) sits just before `start`. */
export function clearBefore(text: string, start: number, extra = ""): boolean {
  if (start === 0) return true;
  const c = text.charAt(start - 1);
  return !isAlnumAt(text, start - 1) && (extra === "" || !extra.includes(c));
}

/**
 * Every match of a global regex in `text`, via exec (String#matchAll clones the regex on every call, which
 * costs more than the scan itself on short texts).
 */
export function execAll(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/**
 * Builds the context in one pass over the text: digit statistics, CJK presence and the set of ASCII
 * characters, so that each rule family can skip itself without scanning the text again.
 */
export function createContext(text: string): RuleContext {
  // The ASCII set lives in four locals while scanning (typed-array stores in the loop cost more).
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let maxRun = 0;
  let digits = 0;
  let run = 0;
  let hasCjk = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 64) {
      a1 |= c >= 32 ? 1 << (c - 32) : 0;
      a0 |= c < 32 ? 1 << c : 0;
      if (c >= 48 && c <= 57) {
        digits++;
        if (++run > maxRun) maxRun = run;
        continue;
      }
    } else if (c < 128) {
      if (c < 96) a2 |= 1 << (c - 64);
      else a3 |= 1 << (c - 96);
    } else if (c >= 0x3400 && c <= 0x9fff) {
      hasCjk = true;
    }
    run = 0;
  }
  const ascii = Uint32Array.of(a0, a1, a2, a3);
  return { text, maxDigitRun: maxRun, digitCount: digits, hasCjk, ascii, out: [] };
}

/** True when the ASCII character `ch` (one code unit below 128) occurs in the context's text. */
export function hasChar(ctx: RuleContext, ch: string): boolean {
  const c = ch.charCodeAt(0);
  return ((ctx.ascii[c >> 5] ?? 0) & (1 << (c & 31))) !== 0;
}

/** True when the text holds an ASCII upper-case letter. */
export function hasUpper(ctx: RuleContext): boolean {
  // A–Z are code points 65–90: bits 1–26 of word 2.
  return ((ctx.ascii[2] ?? 0) & 0x07fffffe) !== 0;
}

/** True when the code unit at `i` is an ASCII letter or digit. */
export function isAlnumAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
