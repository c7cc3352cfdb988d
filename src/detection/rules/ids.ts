// Identity documents: CN resident ID (MOD 11-2), US SSN, passports, driver's licences, IDs after a cue word.
import { clearBefore, emit, type RuleContext, execAll } from "./context.js";
import { cnResidentIdValid, ssnValid } from "./validators.js";

const CN_ID_RE =
  /[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const SSN_RE = /\d{3}-\d{2}-\d{4}(?![0-9A-Za-z-])/g;
const CN_PASSPORT_RE = /[EG]\d{8}(?![0-9A-Za-z])/g;
const PASSPORT_CUE_RE = /passport|护照/i;

// Cue, then up to a few filler words/punctuation, then the value (must contain a digit).
const FILLER = String.raw`(?:\s*(?:number|no\.?|num|#|id|号码|号|码)){0,2}\s*(?:(?:is|was|of|:|：|=|是|为|-)\s*){0,2}['"“‘(（]?\s*`;
const PASSPORT_RE = new RegExp(
  String.raw`(?<![A-Za-z])(?:passport|护照)${FILLER}([A-Z0-9]{6,12})(?![0-9A-Za-z])`,
  "gid",
);
const LICENCE_RE = new RegExp(
  String.raw`(?<![A-Za-z])(?:driver'?s?\s+licen[cs]e|driving\s+licen[cs]e|licen[cs]e\s+number|驾照|驾驶证)${FILLER}([A-Z0-9][A-Z0-9-]{4,19})(?![0-9A-Za-z])`,
  "gid",
);
const ID_CUE_RE = new RegExp(
  String.raw`(?<![A-Za-z])(?:身份证|证件|ID\s+(?:card|number|no\.?)|national\s+ID|social\s+security\s+number|SSN|NRIC|tax\s+ID|税号)${FILLER}([A-Z0-9][A-Z0-9-]{5,20})(?![0-9A-Za-z])`,
  "gid",
);

function hasDigit(s: string): boolean {
  return /\d/.test(s);
}

function emitGroup(
  ctx: RuleContext,
  m: RegExpExecArray,
  type: string,
  level: "PL2" | "PL3",
  rule: string,
): void {
  const idx = m.indices?.[1];
  const value = m[1];
  if (idx === undefined || value === undefined || !hasDigit(value)) return;
  emit(ctx, idx[0], idx[1], type, level, rule);
}

/** Finds identity-document numbers (ID Number / Passport Number / Driver's License Number, PL3). */
export function detectIds(ctx: RuleContext): void {
  if (ctx.digitCount < 4) return;
  const t = ctx.text;
  if (ctx.maxDigitRun >= 17) {
    for (const m of execAll(CN_ID_RE, t)) {
      if (clearBefore(t, m.index) && cnResidentIdValid(m[0]))
        emit(ctx, m.index, m.index + m[0].length, "ID Number", "PL3", "cn-resident-id");
    }
  }
  if (t.includes("-")) {
    for (const m of execAll(SSN_RE, t)) {
      if (clearBefore(t, m.index, "-") && ssnValid(m[0]))
        emit(ctx, m.index, m.index + m[0].length, "ID Number", "PL3", "us-ssn");
    }
  }
  if (PASSPORT_CUE_RE.test(t)) {
    for (const m of execAll(CN_PASSPORT_RE, t)) {
      if (!clearBefore(t, m.index)) continue;
      emit(ctx, m.index, m.index + m[0].length, "Passport Number", "PL3", "passport-cn");
    }
    for (const m of execAll(PASSPORT_RE, t)) emitGroup(ctx, m, "Passport Number", "PL3", "passport-cue");
  }
  if (/licen[cs]e|驾照|驾驶证/i.test(t)) {
    for (const m of execAll(LICENCE_RE, t))
      emitGroup(ctx, m, "Driver's License Number", "PL3", "licence-cue");
  }
  if (/身份证|证件|ID|SSN|[Ss]ecurity [Nn]umber|NRIC|[Tt]ax|税号/.test(t)) {
    for (const m of execAll(ID_CUE_RE, t)) emitGroup(ctx, m, "ID Number", "PL3", "id-cue");
  }
}
