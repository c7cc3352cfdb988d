// Phone numbers: CN mobile (with +86/86), international E.164 with "+", US formats, CN landlines, and
// every other national or international format through libphonenumber-js (its full "max" metadata): a
// digit group is a phone number when it is valid for one of the configured regions, or possible for one
// of them with a phone word nearby ("call", "Tel.", "电话", "numéro"…). The CN and US rules stay: they are
// stricter about shape and cheaper.
import { hash } from "node:crypto";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import {
  clearBefore,
  countDigits,
  emit,
  hasChar,
  OverlapIndex,
  type RuleContext,
  unitOffsets,
} from "./context.js";
import { type ClusterShape, clusterWindows, execAtStarts, execInWindows } from "./digit-clusters.js";

/** Regions tried, in order, for numbers without "+" (the config default is the same list). */
export const DEFAULT_PHONE_REGIONS: readonly string[] =
  "US,GB,DE,FR,ES,IT,NL,PL,BR,PT,CN,AU,CA,IN,FI,SE,CH,AT,BE,IE".split(",");

// A digit group with single separators between its parts, an optional "+CC" or "00" and "(area)" before:
// parts are maximal runs of digits, so the pattern cannot split a run two ways (linear).
const CANDIDATE_RE =
  /(?:\+|00)?(?:\(\d{1,5}\)[ .-]?\d{1,12}|\d{1,12})(?:[ .\-/](?:\(\d{1,5}\)[ .-]?\d{1,12}|\d{1,12})){0,6}(?:\s?(?:x|ext\.?|доб\.?)\s?\d{1,6})?/g;
const PHONE_WORD_RE =
  /phone|tel\b|tel\.|call|mobile|cell|number|numéro|nummer|numer|número|numero|whats ?app|signal|text|sms|reach|ring|fax|landline|contact|hotline|电话|手机|号码|联系|致电|座机|telefon|téléphone|teléfono|telefone|telefono|handy|portable|móvil|celular|cellulare|zadzwoń|bel |appeler|appelle|ruf|llama|chiamare|liga|komórk|gsm/i;
// The digits each pattern's matches hold and how far apart they may stand (see digit-clusters.ts): a
// candidate needs 7 digits, its parts are split by at most 2 units, its extension by 6 ("1 доб. 2").
const CANDIDATE_SHAPE: ClusterShape = { maxGap: 6, minDigits: 7, minRuns: 1 };
const CN_MOBILE_SHAPE: ClusterShape = { maxGap: 1, minDigits: 11, minRuns: 1 };
const US_SHAPE: ClusterShape = { maxGap: 2, minDigits: 10, minRuns: 3 };
const CN_LANDLINE_SHAPE: ClusterShape = { maxGap: 2, minDigits: 10, minRuns: 2 };
const DATE_RE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;

// Leading look-behinds are checked by hand (clearBefore): they stop V8 from skipping ahead quickly.
const CN_MOBILE_RE = /(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z])/g;
export const INTL_RE = /\+[1-9]\d{0,14}(?:[ .-]?\(\d{1,6}\))?(?:[ .-]\d{1,12}){0,5}(?![0-9A-Za-z])/g;
// Every match starts with its "+": the pattern is tried at each "+" found by a builtin search.
export const INTL_AT = new RegExp(INTL_RE.source, "y");
const US_RE = /(?:1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}(?![0-9A-Za-z])/g;
const CN_LANDLINE_RE = /(?:\(0\d{2,3}\) ?|0\d{2,3}-)[2-9]\d{6,7}(?:-\d{1,5})?(?![0-9A-Za-z])/g;

// An extension after a number ("x6443", "ext. 792", ", poste 173") and a country code in brackets before it
// ("(+62) "): part of the number, so masked with it.
const EXTENSION_RE = /^,?\s?(?:x|ext\.?|extn\.?|extension|poste|доб\.?)\s?\d{1,6}(?![0-9A-Za-z])/i;
const BRACKETED_CODE_RE = /\(\+\d{1,4}\)\s?$/;

/** Emits a phone number [start, end), taking a bracketed country code before it and an extension after it. */
function emitPhone(ctx: RuleContext, start: number, end: number, rule: string): void {
  const t = ctx.text;
  let s = start;
  let e = end;
  if (s > 0 && t.charCodeAt(s - 1) <= 32) {
    const code = BRACKETED_CODE_RE.exec(t.slice(Math.max(0, s - 8), s));
    if (code !== null) s -= code[0].length;
  }
  const ext = EXTENSION_RE.exec(t.slice(e, e + 20));
  if (ext !== null) e += ext[0].length;
  emit(ctx, s, e, "Phone Number", "PL2", rule);
}

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

const DATE_PREFIX_RE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]/;
const YEAR_RANGE_RE = /^(?:1[5-9]|20)\d{2}\s?[-–/]\s?(?:(?:1[5-9]|20)\d{2}|\d{2})$/;
const DOTTED_QUAD_RE = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const THOUSANDS_RE = /^\d{1,3}(?:[ .,]\d{3}){2,4}$/;
const OPERATOR_AFTER_RE = /^\s*[=+*/^<>×÷)\]}]/;
const OPERATOR_BEFORE_RE = /[=+*/^<>×÷({[]\s*$/;

/**
 * Shapes that only look like phone numbers without a phone word: year ranges ("1991-1995"), dotted quads
 * (masks) and terms of a formula; without a phone word also thousands ("149 587 819") and two plain groups
 * ("2223-14553").
 */
function looksLikeArithmetic(t: string, start: number, end: number, raw: string, cue: boolean): boolean {
  if (YEAR_RANGE_RE.test(raw) || DOTTED_QUAD_RE.test(raw)) return true;
  // With a phone word nearby, thousands and two groups are phone numbers ("699 956 915", "07700 900123").
  if (!cue && (THOUSANDS_RE.test(raw) || (/^\d+[-–/.]\d+$/.test(raw) && !raw.startsWith("0")))) return true;
  return (
    OPERATOR_AFTER_RE.test(t.slice(end, end + 3)) ||
    OPERATOR_BEFORE_RE.test(t.slice(Math.max(0, start - 3), start))
  );
}

// libphonenumber's verdicts on bare digit groups, under a hash of (regions, phone word, grouping, digits): a parse
// with the full metadata costs ~20 µs per region tried, and a conversation repeats its numbers turn after turn
// (the excerpt's 87 parses per pass are of 15 groups). The key is hashed so the map holds no number in clear (an
// unsalted hash of a few digits is no secret against a search; it keeps numbers out of a heap dump's strings);
// the map is dropped when it fills.
const VERDICTS = new Map<string, boolean>();
const MAX_VERDICTS = 4096;

/** Whether the bare digit group `core` is a phone number of one of `regions` (see detectWorldPhones). */
function nationalPhone(core: string, regions: readonly string[], grouped: boolean, cue: boolean): boolean {
  const key = hash("sha256", `${regions.join(",")}\0${cue ? 1 : 0}${grouped ? 1 : 0}\0${core}`, "base64url");
  const known = VERDICTS.get(key);
  if (known !== undefined) return known;
  let ok = false;
  for (const region of regions) {
    const p = parsePhoneNumberFromString(core, region as CountryCode);
    if (p === undefined) continue;
    if ((p.isValid() && (grouped || cue)) || (cue && p.isPossible())) {
      ok = true;
      break;
    }
  }
  if (VERDICTS.size >= MAX_VERDICTS) VERDICTS.clear();
  VERDICTS.set(key, ok);
  return ok;
}

/** The libphonenumber pass (see the module comment). */
function detectWorldPhones(ctx: RuleContext, regions: readonly string[]): void {
  const t = ctx.text;
  // The spans found before this pass, indexed on first need. The pass's own spans never overlap a later
  // candidate (each ends before the next match starts), so the snapshot is all a candidate must avoid.
  let earlier: OverlapIndex | undefined;
  for (const m of execInWindows(CANDIDATE_RE, t, clusterWindows(ctx, CANDIDATE_SHAPE))) {
    // Most candidates are short digit groups ("3", "2024"): seven digits need seven characters.
    if (m[0].length < 7) continue;
    const raw = m[0].replace(/[ .\-/]+$/, "");
    const digits = countDigits(raw);
    if (digits < 7 || digits > 15) continue;
    const start = m.index;
    const end = start + raw.length;
    // Inside a longer token (an ID, a version, an amount) it is not a number on its own.
    const next = t.charAt(end);
    if (!clearBefore(t, start, "+.,/-_$€£¥") || /[0-9A-Za-z_]/.test(next)) continue;
    if ((next === "." || next === ",") && /[0-9]/.test(t.charAt(end + 1))) continue;
    if (
      DATE_RE.test(raw) ||
      DATE_PREFIX_RE.test(raw) ||
      (earlier ??= new OverlapIndex(ctx.out)).overlaps(start, end)
    )
      continue;
    const before = t.slice(Math.max(0, start - 40), start);
    const cue = PHONE_WORD_RE.test(before);
    if (looksLikeArithmetic(t, start, end, raw, cue)) continue;
    const core = raw.replace(/\s?(?:x|ext\.?|доб\.?)\s?\d{1,6}$/, "");
    let ok: boolean;
    if (core.startsWith("+") || core.startsWith("00")) {
      const intl = parsePhoneNumberFromString(core.startsWith("00") ? `+${core.slice(2)}` : core);
      ok = intl !== undefined && (intl.isValid() || (cue && intl.isPossible()));
    } else {
      // A bare run of digits is a phone number only with a cue: order numbers and IDs look the same.
      const grouped = /[ .\-/()]/.test(core);
      if (!grouped && !cue) continue;
      ok = nationalPhone(core, regions, grouped, cue);
    }
    if (ok) emitPhone(ctx, start, end, "phone-world");
  }
}

/** Finds phone numbers (type Phone Number, PL2). Needs at least 7 digits in the text. */
export function detectPhones(ctx: RuleContext, regions: readonly string[] = DEFAULT_PHONE_REGIONS): void {
  if (ctx.digitCount < 7) return;
  const t = ctx.text;
  // CN mobile and US numbers hold a run of four digits (\d{4}), CN landlines seven; international ones may not.
  // No cluster holds more digits than the text: a shape asking for more has no window (no walk over the runs).
  if (ctx.maxDigitRun >= 4 && ctx.digitCount >= CN_MOBILE_SHAPE.minDigits) {
    for (const m of execInWindows(CN_MOBILE_RE, t, clusterWindows(ctx, CN_MOBILE_SHAPE))) {
      if (clearBefore(t, m.index, "+")) emitPhone(ctx, m.index, m.index + m[0].length, "phone-cn");
    }
  }
  if (hasChar(ctx, "+")) {
    for (const m of execAtStarts(INTL_AT, t, unitOffsets(t, "+"))) {
      const n = digitCount(m[0]);
      if (n >= 8 && n <= 15 && clearBefore(t, m.index, "+")) {
        emitPhone(ctx, m.index, m.index + m[0].length, "phone-intl");
      }
    }
  }
  const us = ctx.maxDigitRun >= 4 && ctx.digitCount >= US_SHAPE.minDigits;
  for (const m of us ? execInWindows(US_RE, t, clusterWindows(ctx, US_SHAPE)) : []) {
    if (clearBefore(t, m.index, "+-")) emitPhone(ctx, m.index, m.index + m[0].length, "phone-us");
  }
  if (ctx.maxDigitRun >= 7 && ctx.digitCount >= CN_LANDLINE_SHAPE.minDigits && hasChar(ctx, "0")) {
    for (const m of execInWindows(CN_LANDLINE_RE, t, clusterWindows(ctx, CN_LANDLINE_SHAPE))) {
      if (clearBefore(t, m.index)) emitPhone(ctx, m.index, m.index + m[0].length, "phone-cn-landline");
    }
  }
  detectWorldPhones(ctx, regions);
}
