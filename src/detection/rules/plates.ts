// Vehicle licence plates: strong shapes only (CN incl. new-energy, UK, German) plus any plate after a cue.
import { clearBefore, countDigits, emit, execAll, hasChar, type RuleContext } from "./context.js";
import { execAtStarts, isRegExpSpace } from "./digit-clusters.js";
import { hasKeyword, KW } from "./keywords.js";

const CN_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
const CN_PLATE_RE = new RegExp(`[${CN_PROVINCES}][A-HJ-NP-Z][·•・ ]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])`, "g");
// Both start at their digits (rare) and take the letters before them by hand.
export const UK_PLATE_RE = /\d{2} [A-Z]{3}(?![A-Za-z0-9-])/g;
export const DE_PLATE_RE = /-[A-Z]{1,2} \d{1,4}[EH]?(?![A-Za-z0-9-])/g;
// Where they can start, from the digit runs: a UK match is the last two digits of a run and a space; a German
// one the "-" one or two capitals before a run of at most four digits after a space.
export const UK_PLATE_AT = new RegExp(UK_PLATE_RE.source, "y");
export const DE_PLATE_AT = new RegExp(DE_PLATE_RE.source, "y");

/** Where a UK plate's digits can start (exported for the equivalence test). */
export function ukStarts(ctx: RuleContext): number[] {
  const runs = ctx.digitRuns;
  const t = ctx.text;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const e = runs[r + 1] as number;
    if (e - (runs[r] as number) >= 2 && t.charCodeAt(e) === 32) out.push(e - 2);
  }
  return out;
}

/** Where a German plate's "-" can stand (exported for the equivalence test). */
export function deStarts(ctx: RuleContext): number[] {
  const runs = ctx.digitRuns;
  const t = ctx.text;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const s = runs[r] as number;
    if ((runs[r + 1] as number) - s > 4 || t.charCodeAt(s - 1) !== 32) continue;
    if (t.charCodeAt(s - 4) === 45) out.push(s - 4);
    if (t.charCodeAt(s - 3) === 45) out.push(s - 3);
  }
  return out;
}
export const CUE_PLATE_RE =
  /(?<![A-Za-z])(?:[Ll]icen[cs]e\s+[Pp]late|[Nn]umber\s+[Pp]late|[Pp]late\s+(?:[Nn]umber|[Nn]o\.?)|[Pp]lates?|[Rr]egistration(?:\s+[Nn]umber)?|车牌号码|车牌号|车牌)(?:\s*(?:is|was|:|：|是|为|号))*\s*['"“‘(（]?\s*([A-Z0-9\u4e00-\u9fff][A-Z0-9]{0,3}(?:[ ·-]?[A-Z0-9]{1,6}){1,2})(?![A-Za-z0-9])/dg;

export const CUE_PLATE_AT = new RegExp(CUE_PLATE_RE.source, "dy");

/** Start of "License"/"Licence"/"Number" (either case first) ending at `k`, or -1. */
function plateWordBefore(t: string, k: number): number {
  const l = t.charCodeAt(k - 7);
  if ((l === 76 || l === 108) && (t.startsWith("icense", k - 6) || t.startsWith("icence", k - 6)))
    return k - 7;
  const n = t.charCodeAt(k - 6);
  return (n === 78 || n === 110) && t.startsWith("umber", k - 5) ? k - 6 : -1;
}

/**
 * Where a plate cue can start (exported for the equivalence test), ascending: the "P"/"p" of each "late", with
 * the "License"/"Number" before it across spaces, the "R"/"r" of each "egistration", and each 车牌.
 */
export function plateCueStarts(ctx: RuleContext): number[] {
  const t = ctx.text;
  const out: number[] = [];
  for (let i = t.indexOf("late", 1); i >= 0; i = t.indexOf("late", i + 1)) {
    let k = i - 1;
    if (isRegExpSpace(t.charCodeAt(k - 1))) {
      while (isRegExpSpace(t.charCodeAt(k - 1))) k--;
      const w = plateWordBefore(t, k);
      if (w >= 0) out.push(w);
    }
    out.push(i - 1);
  }
  for (let i = t.indexOf("egistration", 1); i >= 0; i = t.indexOf("egistration", i + 1)) out.push(i - 1);
  if (ctx.hasCjk) for (let i = t.indexOf("车牌"); i >= 0; i = t.indexOf("车牌", i + 1)) out.push(i);
  return out.sort((a, b) => a - b);
}

function plausiblePlate(v: string): boolean {
  const compact = v.replace(/[ ·-]/g, "");
  return (
    compact.length >= 5 && compact.length <= 9 && /\d/.test(compact) && /[A-Z\u4e00-\u9fff]/.test(compact)
  );
}

/** Finds licence plates (License Plate, PL3). */
export function detectPlates(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.digitCount < 1) return;
  if (ctx.hasCjk && ctx.hasUpper) {
    for (const m of execAll(CN_PLATE_RE, t)) {
      const tail = m[0].slice(2).replace(/[·•・ ]/g, "");
      const digits = countDigits(tail);
      // Regular plates have 5 characters; new-energy plates 6 with D/F first or last.
      const ok = tail.length === 5 ? digits >= 3 : /^[DF]|[DF]$/.test(tail) && digits >= 4;
      if (ok) emit(ctx, m.index, m.index + m[0].length, "License Plate", "PL3", "plate-cn");
    }
  }
  for (const m of ctx.maxDigitRun >= 2 && ctx.hasUpper ? execAtStarts(UK_PLATE_AT, t, ukStarts(ctx)) : []) {
    const start = m.index - 2;
    if (start >= 0 && /^[A-Z]{2}$/.test(t.slice(start, m.index)) && clearBefore(t, start, "-")) {
      emit(ctx, start, m.index + m[0].length, "License Plate", "PL3", "plate-uk");
    }
  }
  if (hasChar(ctx, "-") && ctx.hasUpper) {
    for (const m of execAtStarts(DE_PLATE_AT, t, deStarts(ctx))) {
      let start = m.index;
      while (start > 0 && m.index - start < 3 && /[A-ZÄÖÜ]/.test(t.charAt(start - 1))) start--;
      if (start < m.index && clearBefore(t, start, "-")) {
        emit(ctx, start, m.index + m[0].length, "License Plate", "PL3", "plate-de");
      }
    }
  }
  if (hasKeyword(ctx, KW.plate)) {
    for (const m of execAtStarts(CUE_PLATE_AT, t, plateCueStarts(ctx))) {
      const idx = m.indices?.[1];
      if (idx !== undefined && m[1] !== undefined && plausiblePlate(m[1])) {
        emit(ctx, idx[0], idx[1], "License Plate", "PL3", "plate-cue");
      }
    }
  }
}
