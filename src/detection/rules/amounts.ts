// Personal figures: money amounts (spending, income, debts, assets), specific ages and credit scores.
import { clearBefore, emit, execAll, type RuleContext } from "./context.js";
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
// Every age match holds one of these.
const AGE_HINT_RE = /岁|ge|old|AGE/;

const AGE_RE =
  /(\d{1,3})\s?(?:岁|周岁)|(\d{1,3})[- ]years?[- ]old|(?<![A-Za-z])(?:[Aa]ged?|AGE)(?:\s+of)?\s*[:：]?\s*\**(\d{1,3})(?!\d)/dg;
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
  if (AGE_HINT_RE.test(t)) {
    for (const m of execAll(AGE_RE, t)) {
      const idx = m.indices?.[1] ?? m.indices?.[2] ?? m.indices?.[3];
      const v = m[1] ?? m[2] ?? m[3];
      if (idx === undefined || v === undefined || Number(v) > 120 || !clearBefore(t, idx[0])) continue;
      emit(ctx, idx[0], idx[1], "Specific Age", "PL2", "age");
    }
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
