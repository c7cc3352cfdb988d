// Personal figures: money amounts (spending, income, debts, assets), specific ages and credit scores.
import { clearBefore, emit, execAll, type RuleContext } from "./context.js";
import { execAtStarts } from "./digit-clusters.js";
import { hasKeyword, KW } from "./keywords.js";

const CUR_SYMBOL = String.raw`(?:[$€£¥₹₩]|US\$|C\$|A\$|HK\$|R\$|(?:USD|EUR|GBP|CAD|AUD|CHF|JPY|CNY|RMB|HKD|ZAR|BRL|INR)\s?)`;
const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?`;
const SCALE = String.raw`(?:\s?(?:k|K|M|bn|million|billion|thousand|万|亿))?`;
const CUR_WORD = String.raw`(?:万|亿|千)?(?:元|欧元|美元|英镑|加元|澳元|港元|日元|瑞士法郎|兰特|雷亚尔|人民币|块钱|块)|\s?(?:euros?|dollars?|pounds?|bucks|USD|EUR|GBP|CAD|AUD|CHF|ZAR|BRL)(?![A-Za-z])`;
const MONEY_RE = new RegExp(`${CUR_SYMBOL}(?:${NUMBER})${SCALE}|(?:${NUMBER})${SCALE}(?:${CUR_WORD})`, "g");
// Every money match holds a currency symbol, a character of a Chinese currency word, a code or an English word.
const CURRENCY_CHAR_RE = /[$€£¥₹₩元镑郎特尔币块]/;
const CURRENCY_CODE_RE = /USD|EUR|GBP|CAD|AUD|CHF|JPY|CNY|RMB|HKD|ZAR|BRL|INR/;
const CURRENCY_WORD_RE = /euro|dollar|pound|bucks/;

export const AGE_RE =
  /(\d{1,3})\s?(?:岁|周岁)|(\d{1,3})[- ]years?[- ]old|(?<![A-Za-z])(?:[Aa]ged?|AGE)(?:\s+of)?\s*[:：]?\s*\**(\d{1,3})(?!\d)/dg;
export const AGE_AT = new RegExp(AGE_RE.source, "dy");

/**
 * Where an age can start (exported for the equivalence test): the last one to three digits of a run followed
 * by a space, "-", 岁 or 周 (any non-ASCII unit may be a space), and the "a"/"A" of each "age"/"AGE".
 */
export function ageStarts(ctx: RuleContext): number[] {
  const t = ctx.text;
  const runs = ctx.digitRuns;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const e = runs[r + 1] as number;
    const c = t.charCodeAt(e);
    if (c <= 32 || c === 45 || c >= 0x80) out.push(Math.max(runs[r] as number, e - 3));
  }
  const words: number[] = [];
  for (let i = t.indexOf("ge"); i >= 0; i = t.indexOf("ge", i + 1)) {
    const c = t.charCodeAt(i - 1);
    if (c === 97 || c === 65) words.push(i - 1);
  }
  for (let i = t.indexOf("GE"); i >= 0; i = t.indexOf("GE", i + 1))
    if (t.charCodeAt(i - 1) === 65) words.push(i - 1);
  if (words.length === 0) return out;
  return out.concat(words).sort((a, b) => a - b);
}

const CREDIT_RE =
  /(?:[Cc]redit\s+[Ss]core|信用(?:评)?分|芝麻分|FICO)(?:[^0-9\n。.!?]{0,30}?)(\d{3})(?!\d)|(\d{3})\s?分?(?:的)?(?:[^0-9\n。，,]{0,4})?信用(?:评)?分/dg;

/** Cheap superset of MONEY_RE: the pattern tries every digit, which costs more than these searches. */
function mayHoldMoney(ctx: RuleContext): boolean {
  const t = ctx.text;
  return (
    CURRENCY_CHAR_RE.test(t) ||
    (ctx.hasUpper && CURRENCY_CODE_RE.test(t)) ||
    (hasKeyword(ctx, KW.currencyWord) && CURRENCY_WORD_RE.test(t))
  );
}

/** Finds money amounts (Monetary Amount, PL3), ages (Specific Age, PL2) and credit scores (Credit Score, PL3). */
export function detectAmounts(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.digitCount === 0) return;
  if (mayHoldMoney(ctx)) {
    for (const m of execAll(MONEY_RE, t)) {
      if (!clearBefore(t, m.index)) continue;
      const end = m.index + m[0].replace(/\s+$/, "").length;
      emit(ctx, m.index, end, "Monetary Amount", "PL3", "money");
    }
  }
  for (const m of execAtStarts(AGE_AT, t, ageStarts(ctx))) {
    const idx = m.indices?.[1] ?? m.indices?.[2] ?? m.indices?.[3];
    const v = m[1] ?? m[2] ?? m[3];
    if (idx === undefined || v === undefined || Number(v) > 120 || !clearBefore(t, idx[0])) continue;
    emit(ctx, idx[0], idx[1], "Specific Age", "PL2", "age");
  }
  if (ctx.maxDigitRun >= 3 && hasKeyword(ctx, KW.credit) && /[Cc]redit\s+[Ss]core|信用|芝麻分|FICO/.test(t)) {
    for (const m of execAll(CREDIT_RE, t)) {
      const idx = m.indices?.[1] ?? m.indices?.[2];
      const v = m[1] ?? m[2];
      if (idx === undefined || v === undefined || Number(v) < 250 || Number(v) > 950) continue;
      emit(ctx, idx[0], idx[1], "Credit Score", "PL3", "credit-score");
    }
  }
}
