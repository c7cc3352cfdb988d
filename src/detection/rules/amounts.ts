// Personal figures: money amounts (spending, income, debts, assets), specific ages and credit scores.
import { clearBefore, emit, execAll, type RuleContext } from "./context.js";
import { execAtStarts, isRegExpSpace } from "./digit-clusters.js";
import { hintAtKeywords, KW, stickyHint } from "./keywords.js";
import { PERSON_TYPES } from "./people-words.js";

const CUR_SYMBOL = String.raw`(?:[$€£¥₹₩]|US\$|C\$|A\$|HK\$|R\$|(?:USD|EUR|GBP|CAD|AUD|CHF|JPY|CNY|RMB|HKD|ZAR|BRL|INR)\s?)`;
const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?`;
const SCALE = String.raw`(?:\s?(?:k|K|M|bn|million|billion|thousand|万|亿))?`;
const CUR_WORD = String.raw`(?:万|亿|千)?(?:元|欧元|美元|英镑|加元|澳元|港元|日元|瑞士法郎|兰特|雷亚尔|人民币|块钱|块)|\s?(?:euros?|dollars?|pounds?|bucks|USD|EUR|GBP|CAD|AUD|CHF|ZAR|BRL)(?![A-Za-z])`;
export const MONEY_RE = new RegExp(
  `${CUR_SYMBOL}(?:${NUMBER})${SCALE}|(?:${NUMBER})${SCALE}(?:${CUR_WORD})`,
  "g",
);
const MONEY_AT = new RegExp(MONEY_RE.source, "y");

// The first units of a scale or currency word after a number ("k", "million", "元", "euros", "USD"), with
// the unit after it where one unit says too little ("bn"/"billion"/"bucks"), and the currency signs: tables,
// as they are looked up once or twice per run of digits.
const MONEY_WORD_FIRST = new Uint8Array(0x10000);
for (const c of "kKM万亿千元欧美英加澳港日瑞兰雷人块") MONEY_WORD_FIRST[c.charCodeAt(0)] = 1;
// Per ASCII first letter and second unit, whether a word starts so (bn, billion, bucks, million, thousand, …).
const MONEY_WORD_PAIR = new Uint8Array(128 * 128);
for (const [first, seconds] of Object.entries({
  b: "niu",
  m: "i",
  t: "h",
  e: "u",
  d: "o",
  p: "o",
  U: "S",
  E: "U",
  G: "B",
  C: "AH",
  A: "U",
  Z: "A",
  B: "R",
})) {
  const f = first.charCodeAt(0);
  MONEY_WORD_FIRST[f] = 2;
  for (const c of seconds) MONEY_WORD_PAIR[f * 128 + c.charCodeAt(0)] = 1;
}
const SIGN = new Uint8Array(0x10000);
for (const c of "$€£¥₹₩") SIGN[c.charCodeAt(0)] = 1;

/** True when a number ending at `e` can be followed by a scale or currency word (at most one \s between). */
function wordMayFollow(t: string, e: number): boolean {
  // `| 0`: past the end charCodeAt gives NaN, and a NaN index takes V8's slow path.
  let i = e;
  if (isRegExpSpace(t.charCodeAt(i) | 0)) i++;
  const f = t.charCodeAt(i) | 0;
  const kind = MONEY_WORD_FIRST[f];
  if (kind !== 2) return kind === 1;
  const second = t.charCodeAt(i + 1) | 0;
  return second < 128 && MONEY_WORD_PAIR[f * 128 + second] === 1;
}

// Per run of digits, whether a currency word may follow it (reused between calls; grown on demand).
let wordAfter = new Uint8Array(256);

/**
 * Where a money amount can start (exported for the equivalence test), from the digit runs: one to four units
 * before a run for a currency sign or code ("$", "HK$", "USD "); the run's start for a number with a
 * currency word after it, which ends at the end of that run or of a run joined on by "," or "." (never inside
 * a run: a digit follows); and up to three digits before a "," ("1234,567元" matches from "234").
 */
export function moneyStarts(ctx: RuleContext): number[] {
  const t = ctx.text;
  const runs = ctx.digitRuns;
  const n = runs.length >> 1;
  if (wordAfter.length < n + 1) wordAfter = new Uint8Array(2 * n + 1);
  // From the last run: a currency word may follow the run or a run joined on by a single "," or ".".
  wordAfter[n] = 0;
  for (let k = n - 1; k >= 0; k--) {
    const e = runs[2 * k + 1] as number;
    const c = t.charCodeAt(e);
    const joined = (c === 44 || c === 46) && runs[2 * k + 2] === e + 1 && wordAfter[k + 1] === 1;
    wordAfter[k] = joined || wordMayFollow(t, e) ? 1 : 0;
  }
  const out: number[] = [];
  // The last start taken: starts stay ascending (a start before it would need digits before a sign).
  let last = -1;
  for (let k = 0; k < n; k++) {
    const s = runs[2 * k] as number;
    const e = runs[2 * k + 1] as number;
    const b1 = t.charCodeAt(s - 1) | 0;
    const b2 = t.charCodeAt(s - 2) | 0;
    // A code with a space before the number ("USD 5"), a code or "US$"/"HK$" ("USD5"), "C$"/"A$"/"R$", a sign.
    if (b2 >= 65 && b2 <= 90 && s - 4 > last && s >= 4) out.push((last = s - 4));
    if (((b1 >= 65 && b1 <= 90) || b1 === 36) && s - 3 > last && s >= 3) out.push((last = s - 3));
    if (b1 === 36 && s - 2 > last && s >= 2) out.push((last = s - 2));
    if (SIGN[b1] === 1 && s - 1 > last) out.push((last = s - 1));
    if (wordAfter[k] !== 1) continue;
    if (s > last) out.push((last = s));
    if (t.charCodeAt(e) === 44) for (let p = Math.max(s + 1, e - 3); p < e; p++) out.push((last = p));
  }
  return out;
}

function isDigitAt(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * The matches of MONEY_AT at `starts` ({@link moneyStarts}), as a scan of the whole text finds them: a match
 * with a sign may end inside a run ("EUR0,000" of "EUR0,0000块钱"), and the scan goes on from there.
 */
export function moneyMatches(t: string, starts: readonly number[]): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let next = 0;
  for (const p of starts) {
    if (p < next) continue;
    MONEY_AT.lastIndex = p;
    let m = MONEY_AT.exec(t);
    while (m !== null) {
      out.push(m);
      next = m.index + m[0].length;
      if (!isDigitAt(t, next) || !isDigitAt(t, next - 1)) break;
      MONEY_AT.lastIndex = next;
      m = MONEY_AT.exec(t);
    }
  }
  return out;
}

export const AGE_RE =
  /(\d{1,3})\s?(?:岁|周岁)|(\d{1,3})[- ]years?[- ]old|(?<![A-Za-z])(?:[Aa]ged?|AGE)(?:\s+of)?\s*[:：]?\s*\**(\d{1,3})(?!\d)/dg;
export const AGE_AT = new RegExp(AGE_RE.source, "dy");
const AGE_LIMIT_AFTER = ["以上", "以下", "及以上", "及以下", "以内"];

/** Start of "age", "Age", "AGE", "aged" or "Aged" ending at `w`, or -1. */
function ageWordBefore(t: string, w: number): number {
  const c1 = t.charCodeAt(w - 1);
  const at = c1 === 100 ? w - 1 : w;
  const a = t.charCodeAt(at - 3);
  const g = t.charCodeAt(at - 2);
  const e = t.charCodeAt(at - 1);
  if ((a === 97 || a === 65) && g === 103 && e === 101) return at - 3;
  return at === w && a === 65 && g === 71 && e === 69 ? at - 3 : -1;
}

/**
 * Where an age can start (exported for the equivalence test), from the digit runs: the last one to three
 * digits of a run followed by a space, "-", 岁 or 周 (any non-ASCII unit may be a space), and the "age" /
 * "aged" / "AGE" before a run of at most three digits, across stars, spaces, a colon and " of".
 */
export function ageStarts(ctx: RuleContext): number[] {
  const t = ctx.text;
  const runs = ctx.digitRuns;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const s = runs[r] as number;
    const e = runs[r + 1] as number;
    if (e - s <= 3 && s >= 3) {
      // Back over "**", then spaces and colons, then " of" and its spaces, to the word.
      let k = s;
      while (t.charCodeAt(k - 1) === 42) k--;
      for (let c = t.charCodeAt(k - 1); isRegExpSpace(c) || c === 58 || c === 0xff1a; c = t.charCodeAt(k - 1))
        k--;
      // What is left must end in "f" (of), "e"/"E" (age, AGE) or "d" (aged): most runs stop here.
      const last = t.charCodeAt(k - 1);
      if (last === 102 && t.charCodeAt(k - 2) === 111 && isRegExpSpace(t.charCodeAt(k - 3))) {
        k -= 2;
        while (isRegExpSpace(t.charCodeAt(k - 1))) k--;
      }
      const w = last === 102 || last === 101 || last === 69 || last === 100 ? ageWordBefore(t, k) : -1;
      if (w >= 0) out.push(w);
    }
    const c = t.charCodeAt(e);
    if (c <= 32 || c === 45 || c >= 0x80) out.push(Math.max(s, e - 3));
  }
  return out;
}

// A number right after a person's name is their age: "Chioma, 29, a pharmacist", "Jake, 7.", "Leila (34)",
// "my daughter Cecile is 5 and …", "Tom turned 40 last week" (not "is 5 minutes away", "is 3rd").
const AGE_AFTER_NAME_RE =
  /(?:,\s?(\d{1,3})(?=[,.;]|$)|\s?\((\d{1,3})\)|\s(?:is|was|turned|turns|just\sturned)\s(\d{1,3})(?=\s(?:and|but|now|today|years?|yrs?|this|next|last|in|on|already)\b|[,.;!?]|$))/dy;

/** Ages written just after a name the people rules found (they run first). */
function agesAfterNames(ctx: RuleContext): void {
  const t = ctx.text;
  const found = ctx.out.length;
  for (let k = 0; k < found; k++) {
    const s = ctx.out[k];
    if (s === undefined || !PERSON_TYPES.has(s.type)) continue;
    AGE_AFTER_NAME_RE.lastIndex = s.end;
    const m = AGE_AFTER_NAME_RE.exec(t);
    const idx = m?.indices?.[1] ?? m?.indices?.[2] ?? m?.indices?.[3];
    if (idx !== undefined && Number(t.slice(idx[0], idx[1])) <= 120)
      emit(ctx, idx[0], idx[1], "Specific Age", "PL2", "age-after-name");
  }
}

// A credit-score word, the family's hint (tried where the keyword scan saw a credit word).
export const CREDIT_HINT_RE = /[Cc]redit\s+[Ss]core|信用|芝麻分|FICO/;
const CREDIT_HINT_AT = stickyHint(CREDIT_HINT_RE);
const CREDIT_RE =
  /(?:[Cc]redit\s+[Ss]core|信用(?:评)?分|芝麻分|FICO)(?:[^0-9\n。.!?]{0,30}?)(\d{3})(?!\d)|(\d{3})\s?分?(?:的)?(?:[^0-9\n。，,]{0,4})?信用(?:评)?分/dg;

/**
 * True when a TeX command, a superscript or a subscript follows an amount ending at `end` (one space between at
 * most): "$2 \times 2$", "$4\sin ^4 x$" open a formula with "$", they hold no dollars.
 */
function texMathAfter(t: string, end: number): boolean {
  const c = t.charCodeAt(end) === 32 ? t.charCodeAt(end + 1) : t.charCodeAt(end);
  return c === 92 || c === 94 || c === 95;
}

/** Finds money amounts (Monetary Amount, PL3), ages (Specific Age, PL2) and credit scores (Credit Score, PL3). */
export function detectAmounts(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.digitCount === 0) return;
  for (const m of moneyMatches(t, moneyStarts(ctx))) {
    if (!clearBefore(t, m.index) || texMathAfter(t, m.index + m[0].length)) continue;
    const end = m.index + m[0].replace(/\s+$/, "").length;
    emit(ctx, m.index, end, "Monetary Amount", "PL3", "money");
  }
  for (const m of execAtStarts(AGE_AT, t, ageStarts(ctx))) {
    const idx = m.indices?.[1] ?? m.indices?.[2] ?? m.indices?.[3];
    const v = m[1] ?? m[2] ?? m[3];
    if (idx === undefined || v === undefined || Number(v) > 120 || !clearBefore(t, idx[0])) continue;
    // An age limit is nobody's age ("适合12岁以上的玩家", "18岁以下").
    if (m[1] !== undefined && AGE_LIMIT_AFTER.some((w) => t.startsWith(w, m.index + m[0].length))) continue;
    emit(ctx, idx[0], idx[1], "Specific Age", "PL2", "age");
  }
  agesAfterNames(ctx);
  if (ctx.maxDigitRun >= 3 && hintAtKeywords(ctx, KW.credit, CREDIT_HINT_AT)) {
    for (const m of execAll(CREDIT_RE, t)) {
      const idx = m.indices?.[1] ?? m.indices?.[2];
      const v = m[1] ?? m[2];
      if (idx === undefined || v === undefined || Number(v) < 250 || Number(v) > 950) continue;
      emit(ctx, idx[0], idx[1], "Credit Score", "PL3", "credit-score");
    }
  }
}
