// Phone numbers: CN mobile (with +86/86), international E.164 with "+", US formats, CN landlines.
import { clearBefore, emit, execAll, hasChar, type RuleContext } from "./context.js";

// Leading look-behinds are checked by hand (clearBefore): they stop V8 from skipping ahead quickly.
const CN_MOBILE_RE = /(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z])/g;
const INTL_RE = /\+[1-9]\d{0,14}(?:[ .-]?\(\d{1,6}\))?(?:[ .-]\d{1,12}){0,5}(?![0-9A-Za-z])/g;
const US_RE = /(?:1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}(?![0-9A-Za-z])/g;
const CN_LANDLINE_RE = /(?:\(0\d{2,3}\) ?|0\d{2,3}-)[2-9]\d{6,7}(?:-\d{1,5})?(?![0-9A-Za-z])/g;

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Finds phone numbers (type Phone Number, PL2). Needs at least 7 digits in the text. */
export function detectPhones(ctx: RuleContext): void {
  if (ctx.digitCount < 7) return;
  const t = ctx.text;
  // CN mobile and US numbers hold a run of four digits (\d{4}), CN landlines seven; international ones may not.
  if (ctx.maxDigitRun >= 4) {
    for (const m of execAll(CN_MOBILE_RE, t)) {
      if (clearBefore(t, m.index, "+"))
        emit(ctx, m.index, m.index + m[0].length, "Phone Number", "PL2", "phone-cn");
    }
  }
  if (hasChar(ctx, "+")) {
    for (const m of execAll(INTL_RE, t)) {
      const n = digitCount(m[0]);
      if (n >= 8 && n <= 15 && clearBefore(t, m.index, "+")) {
        emit(ctx, m.index, m.index + m[0].length, "Phone Number", "PL2", "phone-intl");
      }
    }
  }
  for (const m of ctx.maxDigitRun >= 4 ? execAll(US_RE, t) : []) {
    if (clearBefore(t, m.index, "+-"))
      emit(ctx, m.index, m.index + m[0].length, "Phone Number", "PL2", "phone-us");
  }
  if (ctx.maxDigitRun >= 7 && hasChar(ctx, "0")) {
    for (const m of execAll(CN_LANDLINE_RE, t)) {
      if (clearBefore(t, m.index))
        emit(ctx, m.index, m.index + m[0].length, "Phone Number", "PL2", "phone-cn-landline");
    }
  }
}
