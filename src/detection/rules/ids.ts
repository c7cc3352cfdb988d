// Identity documents by shape: CN resident ID (MOD 11-2), US SSN, CN passports (E/G + 8 digits) in a text
// that mentions a passport. Numbers after a cue word ("passport", "驾照", "身份证") are found in cues.ts.
import { clearBefore, dashOffsets, emit, execAll, hasChar, type RuleContext } from "./context.js";
import { type ClusterShape, clusterWindows, execInWindows } from "./digit-clusters.js";
import { cnResidentIdValid, ssnValid } from "./validators.js";

const CN_ID_RE =
  /[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const SSN_RE = /\d{3}-\d{2}-\d{4}(?![0-9A-Za-z-])/g;
// An SSN is three runs of nine digits split by single "-" (digit-clusters.ts).
const SSN_SHAPE: ClusterShape = { maxGap: 1, minDigits: 9, minRuns: 3 };
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
  if (ctx.maxDigitRun >= 3 && dashOffsets(ctx).length > 0) {
    for (const m of execInWindows(SSN_RE, t, clusterWindows(ctx, SSN_SHAPE))) {
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
