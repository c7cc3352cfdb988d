// Financial values: payment cards (Luhn), IBAN (mod-97), account numbers and card tails after cue words, CVV.
import { clearBefore, emit, execAll, type RuleContext } from "./context.js";
import { type ClusterShape, clusterWindows, execAtStarts, execInWindows } from "./digit-clusters.js";
import { hintAtKeywords, keywordStarts, KW, stickyHint } from "./keywords.js";
import { ibanValid, luhnValid } from "./validators.js";

// 13–19 digits, optionally in groups split by single spaces or dashes; IIN must start with 2–6.
const CARD_RE = /[2-6]\d{2,5}(?:[ -]?\d{2,6}){2,5}(?![0-9A-Za-z]|[.,]\d)/g;
// A card is 13–19 digits split by single separators (digit-clusters.ts).
const CARD_SHAPE: ClusterShape = { maxGap: 1, minDigits: 13, minRuns: 1 };
export const IBAN_RE = /[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![0-9A-Za-z])/g;
export const IBAN_AT = new RegExp(IBAN_RE.source, "y");

/** Where an IBAN can start (exported for the equivalence test): two capitals just before a run of 2+ digits. */
export function ibanStarts(ctx: RuleContext): number[] {
  const runs = ctx.digitRuns;
  const t = ctx.text;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const s = runs[r] as number;
    if ((runs[r + 1] as number) - s < 2) continue;
    const a = t.charCodeAt(s - 2);
    const b = t.charCodeAt(s - 1);
    if (a >= 65 && a <= 90 && b >= 65 && b <= 90) out.push(s - 2);
  }
  return out;
}
export const ACCOUNT_RE =
  /(?<![A-Za-z])(?:account\s+(?:number|no\.?|#)|acct\.?\s*(?:no\.?|#)?|bank\s+account|card\s+(?:number|no\.?)|账号|账户|帐号|帐户|卡号)(?:\s*(?:is|was|:|：|是|为|#))*\s*['"“‘]?((?:\d[ -]?){7,22}\d)(?![0-9A-Za-z])/dgi;
export const TAIL_RE =
  /(?:尾号|末尾|后四位|末四位)(?:\s*(?:为|是|：|:))?\s*(\d{3,4})(?!\d)|(?<![A-Za-z])(?:ending\s+(?:in|with)|last\s+(?:four|4|three|3)\s+(?:digits\s+)?(?:of\s+\w+\s+)?(?:are\s+|is\s+)?|digits)\s*:?\s*(\d{3,4})(?!\d)/dgi;
const CVV_RE =
  /(?<![A-Za-z])(?:CVV2?|CVC2?|CID|card\s+security\s+code|安全码|校验码\s*\(?CVV\)?)(?:\s*(?:is|was|code|:|：|是|为))*\s*['"“‘]?(\d{3,4})(?!\d)/dgi;
// Every account match starts with a word of the account gate: it is tried only where the keyword scan saw one.
export const ACCOUNT_AT = new RegExp(ACCOUNT_RE.source, "diy");
export const ACCOUNT_HINT_RE = /account|acct|card\s+n|账号|账户|帐号|帐户|卡号/i;
const ACCOUNT_HINT_AT = stickyHint(ACCOUNT_HINT_RE);
const TAIL_HINT_RE = /尾号|末尾|后四位|末四位|ending|last|digits/i;
const CVV_HINT_RE = /CVV|CVC|CID|security code|安全码|校验码/i;
const PHONE_CONTEXT_RE = /手机|电话|号码|phone|mobile|cell|number/i;
const CARD_CONTEXT_RE = /卡|card|account|账户|银行|bank|visa|amex|master/i;

// Cheap supersets of TAIL_HINT_RE and CVV_HINT_RE: their English words, case-insensitive, tried where the keyword
// scan saw one start (the full hints also hold Chinese words, which cost a two-byte scan).
export const TAIL_WORDS_RE = /ending|last|digits/i;
export const CVV_WORDS_RE = /cvv|cvc|cid|security code/i;
const TAIL_WORDS_AT = stickyHint(TAIL_WORDS_RE);
const CVV_WORDS_AT = stickyHint(CVV_WORDS_RE);

/**
 * The matches of TAIL_RE in `t` as a whole-text scan finds them (exported for the equivalence test): every
 * match starts at a hint word, so the scan starts at the first one, and a text without one is not scanned.
 */
export function tailMatches(t: string): RegExpExecArray[] {
  const hint = TAIL_HINT_RE.exec(t);
  const out: RegExpExecArray[] = [];
  if (hint === null) return out;
  TAIL_RE.lastIndex = hint.index;
  for (let m = TAIL_RE.exec(t); m !== null; m = TAIL_RE.exec(t)) out.push(m);
  return out;
}

/** Cheap superset of TAIL_HINT_RE. */
function mayHoldTail(ctx: RuleContext): boolean {
  const t = ctx.text;
  return (
    hintAtKeywords(ctx, KW.tail, TAIL_WORDS_AT) || (ctx.hasCjk && (t.includes("尾") || t.includes("四位")))
  );
}

/** Cheap superset of CVV_HINT_RE. */
function mayHoldCvv(ctx: RuleContext): boolean {
  const t = ctx.text;
  return (
    hintAtKeywords(ctx, KW.cvv, CVV_WORDS_AT) ||
    (ctx.hasCjk && (t.includes("安全码") || t.includes("校验码")))
  );
}

/** Finds payment cards, IBANs, account numbers, card tails (Financial Account, PL3) and CVVs (PL4). */
export function detectFinance(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.digitCount < 3) return;
  if (ctx.digitCount >= 13 && ctx.maxDigitRun >= 2) {
    for (const m of execInWindows(CARD_RE, t, clusterWindows(ctx, CARD_SHAPE))) {
      // A "-" glued before a card is no separator of a longer number when nothing alphanumeric precedes it
      // ("-4111111111111111" is a disguise, "12-4111…" a longer number).
      const glued = t.charAt(m.index - 1) === "-" && clearBefore(t, m.index - 1, ".,+-");
      if (!glued && !clearBefore(t, m.index, ".,+-")) continue;
      // The middle of a longer grouped number (an IBAN body, an 8-group ID) is not a card.
      if (/(?:\d|[A-Z]{2}\d{2})[ -]$/.test(t.slice(Math.max(0, m.index - 5), m.index))) continue;
      const digits = m[0].replace(/[ -]/g, "");
      if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) {
        emit(ctx, m.index, m.index + m[0].length, "Financial Account", "PL3", "card-luhn");
      }
    }
    for (const m of execAtStarts(IBAN_AT, t, ibanStarts(ctx))) {
      if (clearBefore(t, m.index) && ibanValid(m[0]))
        emit(ctx, m.index, m.index + m[0].length, "Financial Account", "PL3", "iban");
    }
  }
  if (ctx.digitCount >= 8 && hintAtKeywords(ctx, KW.account, ACCOUNT_HINT_AT)) {
    for (const m of execAtStarts(ACCOUNT_AT, t, keywordStarts(ctx, KW.account))) {
      const idx = m.indices?.[1];
      if (idx !== undefined) emit(ctx, idx[0], idx[1], "Financial Account", "PL3", "account-cue");
    }
  }
  if (ctx.maxDigitRun >= 3 && mayHoldTail(ctx))
    for (const m of tailMatches(t)) {
      const idx = m.indices?.[1] ?? m.indices?.[2];
      if (idx === undefined) continue;
      // The noun right after the tail decides ("尾号0780的手机" vs "尾号8865的借记卡"), else the words before.
      const after = t.slice(idx[1], Math.min(t.length, idx[1] + 10));
      const before = t.slice(Math.max(0, m.index - 14), m.index);
      const cardAfter = CARD_CONTEXT_RE.exec(after)?.index ?? 99;
      const phoneAfter = PHONE_CONTEXT_RE.exec(after)?.index ?? 99;
      const isPhone =
        phoneAfter < cardAfter ||
        (phoneAfter === cardAfter && PHONE_CONTEXT_RE.test(before) && !CARD_CONTEXT_RE.test(before));
      if (isPhone) emit(ctx, idx[0], idx[1], "Phone Number", "PL2", "phone-tail");
      else emit(ctx, idx[0], idx[1], "Financial Account", "PL3", "card-tail");
    }
  if (ctx.maxDigitRun >= 3 && mayHoldCvv(ctx) && CVV_HINT_RE.test(t))
    for (const m of execAll(CVV_RE, t)) {
      const idx = m.indices?.[1];
      if (idx !== undefined) emit(ctx, idx[0], idx[1], "Payment Security Code", "PL4", "cvv");
    }
}
