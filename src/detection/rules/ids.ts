// Identity documents by shape: CN resident ID (MOD 11-2), US SSN, CN passports (E/G + 8 digits) in a text
// that mentions a passport. Numbers after a cue word ("passport", "驾照", "身份证") are found in cues.ts.
import { clearBefore, emit, execAll, hasChar, type RuleContext } from "./context.js";
import { cnResidentIdValid, ssnValid } from "./validators.js";

const CN_ID_RE =
  /[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const SSN_RE = /\d{3}-\d{2}-\d{4}(?![0-9A-Za-z-])/g;
const CN_PASSPORT_RE = /[EG]\d{8}(?![0-9A-Za-z])/g;
const PASSPORT_CUE_RE = /passport|护照/i;

/** Finds identity-document numbers by shape (ID Number / Passport Number, PL3). */
export function detectIds(ctx: RuleContext): void {
  if (ctx.digitCount < 4) return;
  const t = ctx.text;
  if (ctx.maxDigitRun >= 17) {
    for (const m of execAll(CN_ID_RE, t)) {
      if (clearBefore(t, m.index) && cnResidentIdValid(m[0]))
        emit(ctx, m.index, m.index + m[0].length, "ID Number", "PL3", "cn-resident-id");
    }
  }
  if (ctx.maxDigitRun >= 3 && hasChar(ctx, "-")) {
    for (const m of execAll(SSN_RE, t)) {
      if (clearBefore(t, m.index, "-") && ssnValid(m[0]))
        emit(ctx, m.index, m.index + m[0].length, "ID Number", "PL3", "us-ssn");
    }
  }
  if (ctx.maxDigitRun >= 8 && (hasChar(ctx, "E") || hasChar(ctx, "G")) && PASSPORT_CUE_RE.test(t)) {
    for (const m of execAll(CN_PASSPORT_RE, t)) {
      if (!clearBefore(t, m.index)) continue;
      emit(ctx, m.index, m.index + m[0].length, "Passport Number", "PL3", "passport-cn");
    }
  }
}
