// Street addresses: Chinese road + number (+ unit), English "12 Main Street", European "Via Brera 12",
// and flat / apartment units. Only shapes with a house number are taken.
import { clearBefore, emit, isCjkIdeograph, type RuleContext } from "./context.js";
import { execAtStarts, isRegExpSpace } from "./digit-clusters.js";
import { hasKeyword, keywordStarts, KW } from "./keywords.js";
import { extendAddress } from "./street.js";

// Patterns start at their rarest part (road word, house number, suffix) so V8 can skip ahead; the place
// name before a Chinese road word or a German "-straße" is taken by hand afterwards.
export const CN_ROAD_RE =
  /(?:路|街|大道|大街|巷|弄|胡同|公路)\s?\d{1,5}\s?[号號](?:[\u4e00-\u9fff]{0,8}?\s?\d{0,4}[A-Z]?(?:室|楼|层|单元|栋|座))?/g;
export const CN_ROAD_AT = new RegExp(CN_ROAD_RE.source, "y");
// Words that end a clause before the place name ("我住在…", "地址是…", "已搬迁至…", "更新为…"): the address
// starts after them. A verb of moving or changing counts with its second character, so a place name that opens
// with 回 / 进 / 向 / 为 ("回龙观", "向阳路") keeps it.
const CN_LEAD_RE =
  /^.*(?:住在|家住|位于|地址是|地址为|搬到|接近|送达|前往|来到|寄到|送到|迁至|寄至|送至|搬至|已由|改由|包括|包含|运回|搬回|寄回|送回|搬进|住进|搬入|住入|迁入|[新更改地址设]为|在|于|是|到|的|和|与|去|从|往)/;
const ADMIN_SUFFIX = "省市区县";
export const CN_UNIT_RE =
  /(?:公寓|阁楼|单元|房间|房)\s?\d{1,4}[A-Z]?(?:室|号)?(?![0-9A-Za-z])|\d{1,4}[A-Z]?\s?(?:室|号房)/g;
export const CN_UNIT_AT = new RegExp(CN_UNIT_RE.source, "y");

/** Where a word of one or two units ends just before `s` (one \s between at most): that end. */
function wordEndBefore(t: string, s: number): number {
  return isRegExpSpace(t.charCodeAt(s - 1)) ? s - 1 : s;
}

/** True when the two units ending at `w` are one of the pairs in `pairs` ("大道大街"). */
function pairEndsAt(t: string, w: number, pairs: string): boolean {
  for (let k = 0; k + 1 < pairs.length; k += 2)
    if (t.charCodeAt(w - 2) === pairs.charCodeAt(k) && t.charCodeAt(w - 1) === pairs.charCodeAt(k + 1))
      return true;
  return false;
}

/**
 * Where a Chinese road address can start (exported for the equivalence test): the road word just before a
 * run of at most five digits that 号 or 號 follows, one \s at most on either side of the run.
 */
export function cnRoadStarts(ctx: RuleContext): number[] {
  const t = ctx.text;
  const runs = ctx.digitRuns;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const s = runs[r] as number;
    const e = runs[r + 1] as number;
    if (e - s > 5) continue;
    const after = isRegExpSpace(t.charCodeAt(e)) ? e + 1 : e;
    const c = t.charCodeAt(after);
    if (c !== 0x53f7 && c !== 0x865f) continue;
    const w = wordEndBefore(t, s);
    if (pairEndsAt(t, w, "大道大街胡同公路")) out.push(w - 2);
    if ("路街巷弄".includes(t.charAt(w - 1))) out.push(w - 1);
  }
  return out;
}

/**
 * Where a Chinese unit can start (exported for the equivalence test): the unit word just before a run of at
 * most four digits (one \s between at most), and the last one to four digits of a run before 室 or 号房
 * (a capital and one \s between at most).
 */
export function cnUnitStarts(ctx: RuleContext): number[] {
  const t = ctx.text;
  const runs = ctx.digitRuns;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const s = runs[r] as number;
    const e = runs[r + 1] as number;
    if (e - s <= 4) {
      const w = wordEndBefore(t, s);
      if (pairEndsAt(t, w, "公寓阁楼单元房间")) out.push(w - 2);
      if (t.charAt(w - 1) === "房") out.push(w - 1);
    }
    let a = e;
    const cap = t.charCodeAt(a);
    if (cap >= 65 && cap <= 90) a++;
    if (isRegExpSpace(t.charCodeAt(a))) a++;
    if (t.charAt(a) === "室" || t.startsWith("号房", a)) out.push(Math.max(s, e - 4));
  }
  return out;
}
const STREET_WORDS =
  "Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Boulevard|Blvd\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Court|Ct\\.?|Place|Pl\\.?|Terrace|Way|Square|Crescent|Close|Parade|Highway|Hwy\\.?|Row|Mews|Gardens|Walk|Hill";
export const EN_ADDRESS_RE = new RegExp(
  `\\d{1,5}[A-Za-z]?,?\\s+(?:[A-Z][\\p{L}'’-]+\\s+){1,4}(?:${STREET_WORDS})(?![A-Za-z])`,
  "gu",
);
export const EN_ADDRESS_AT = new RegExp(EN_ADDRESS_RE.source, "uy");

/**
 * Where an English address can start (exported for the equivalence test): its number is the last one to five
 * digits of a run, followed by an optional letter and comma, spaces and a capital.
 */
export function enAddressStarts(ctx: RuleContext): number[] {
  const runs = ctx.digitRuns;
  const t = ctx.text;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const e = runs[r + 1] as number;
    let a = e;
    const c = t.charCodeAt(a);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) a++;
    if (t.charCodeAt(a) === 44) a++;
    if (!isRegExpSpace(t.charCodeAt(a))) continue;
    while (isRegExpSpace(t.charCodeAt(a))) a++;
    const cap = t.charCodeAt(a);
    if (cap >= 65 && cap <= 90) out.push(Math.max(runs[r] as number, e - 5));
  }
  return out;
}
export const EU_ADDRESS_RE =
  /(?:Via|Viale|Corso|Piazza|Rua|Avenida|Av\.|Rue|Calle|Carrer|Paseo|Plaza|Praça|Boulevard|Chemin|Allée|Straße|Strasse)\s+(?:(?:[A-Z][\p{L}'’-]+|d[aeio]s?|de|del|della|di|du|des|la|le)\s+){0,4}[A-Z][\p{L}'’-]+,?\s+\d{1,5}[A-Za-z]?(?![0-9])/gu;
export const DE_SUFFIX_RE = /(?:straße|strasse|weg|gasse|platz|allee)\s+\d{1,4}[a-z]?(?![0-9])/g;
// Both patterns start with a word of their keyword gate (the European street words, the German suffixes): they
// are tried only where the keyword scan saw one start.
export const EU_ADDRESS_AT = new RegExp(EU_ADDRESS_RE.source, "uy");
export const DE_SUFFIX_AT = new RegExp(DE_SUFFIX_RE.source, "y");
export const UNIT_RE = /(?:Flat|Apt\.?|Apartment|Suite|Unit)\s+#?\d{1,5}[A-Za-z]?(?![0-9A-Za-z])/g;
export const UNIT_AT = new RegExp(UNIT_RE.source, "y");
const UNIT_WORDS = ["Flat", "Apt", "Apt.", "Apartment", "Suite", "Unit"];

/**
 * Where a flat or unit number can start (exported for the equivalence test): the unit word before a run of
 * at most five digits, across spaces and a "#".
 */
export function unitStarts(ctx: RuleContext): number[] {
  const runs = ctx.digitRuns;
  const t = ctx.text;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const s = runs[r] as number;
    if ((runs[r + 1] as number) - s > 5) continue;
    let k = t.charCodeAt(s - 1) === 35 ? s - 1 : s;
    if (!isRegExpSpace(t.charCodeAt(k - 1))) continue;
    while (isRegExpSpace(t.charCodeAt(k - 1))) k--;
    // Every unit word ends in "t", "." or "e".
    const last = t.charCodeAt(k - 1);
    if (last !== 116 && last !== 46 && last !== 101) continue;
    // A plain loop: a closure per candidate (Array#find) was a good part of this family's allocation.
    for (const word of UNIT_WORDS)
      if (t.endsWith(word, k)) {
        out.push(k - word.length);
        break;
      }
  }
  return out;
}

function emitAddress(ctx: RuleContext, start: number, end: number): void {
  const trimmed = ctx.text.slice(start, end).replace(/[\s,]+$/, "");
  emit(ctx, start, start + trimmed.length, "Detailed Address", "PL2", "address");
}

// A postcode after a postcode word: UK, Canadian, US (ZIP+4), Dutch, Polish, Brazilian, Chinese and the
// four- and five-digit forms of most of Europe ("postcode SW1A 1AA", "PLZ 10115", "邮编100020").
export const POSTCODE_RE =
  /(?:(?<![\p{L}\p{N}])(?:post\s?code|postal\s+code|zip(?:\s?code)?|PLZ|code\s+postal|c[oó]digo\s+postal|CEP|kod\s+pocztowy)|邮编|邮政编码)(?:\s*(?:is|est|é|:|：|=|是|为|-)(?![\p{L}]))*\s*((?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|\d{5}(?:-\d{3,4})?|\d{4}\s?[A-Z]{2}|\d{2}-\d{3}|\d{6}|\d{4}))(?![\p{L}\p{N}])/dgiu;
export const POSTCODE_AT = new RegExp(POSTCODE_RE.source, "dyiu");

/**
 * Where a postcode match can start (exported for the equivalence test): at the keyword scan's postcode words,
 * two units before a "digo" ("código"). Every match starts with one of them; the pattern, whose look-behind
 * keeps V8 from skipping ahead, is tried only there.
 */
export function postcodeStarts(ctx: RuleContext): number[] {
  const t = ctx.text;
  const out: number[] = [];
  for (const s of keywordStarts(ctx, KW.postcode)) {
    const c = t.charCodeAt(s) | 32;
    out.push(c === 100 && s >= 2 ? s - 2 : s);
  }
  // A "digo" two units after another word's start comes before it now.
  for (let k = 1; k < out.length; k++)
    if ((out[k] as number) < (out[k - 1] as number)) return out.sort((a, b) => a - b);
  return out;
}

/** Finds postcodes after a postcode word (Detailed Address, PL2). */
function detectPostcodes(ctx: RuleContext): void {
  if (ctx.digitCount < 2 || !hasKeyword(ctx, KW.postcode)) return;
  for (const m of execAtStarts(POSTCODE_AT, ctx.text, postcodeStarts(ctx))) {
    const idx = m.indices?.[1];
    if (idx !== undefined) emit(ctx, idx[0], idx[1], "Detailed Address", "PL2", "postcode");
  }
}

/** Finds street addresses and flat numbers (Detailed Address, PL2). */
export function detectAddresses(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.digitCount === 0) return;
  detectPostcodes(ctx);
  if (ctx.hasCjk) {
    for (const m of execAtStarts(CN_ROAD_AT, t, cnRoadStarts(ctx))) {
      let start = m.index;
      while (start > 0 && m.index - start < 8 && isCjkIdeograph(t.charCodeAt(start - 1))) start--;
      if (start === m.index) continue;
      // Cut at the limit inside a place name ("州市天河区…" of 广州市): a city, province, district or county
      // name has two units or more before its suffix, so the cut moves back to the name's start.
      if (m.index - start === 8 && isCjkIdeograph(t.charCodeAt(start - 1))) {
        const cut = ADMIN_SUFFIX.includes(t.charAt(start))
          ? 2
          : ADMIN_SUFFIX.includes(t.charAt(start + 1))
            ? 1
            : 0;
        for (let k = 0; k < cut && start > 0 && isCjkIdeograph(t.charCodeAt(start - 1)); k++) start--;
      }
      const lead = CN_LEAD_RE.exec(t.slice(start, m.index));
      if (lead !== null && m.index - start - lead[0].length >= 2) start += lead[0].length;
      emitAddress(ctx, start, m.index + m[0].length);
    }
    for (const m of execAtStarts(CN_UNIT_AT, t, cnUnitStarts(ctx)))
      emitAddress(ctx, m.index, m.index + m[0].length);
  }
  // The English, European and unit patterns all hold a capital letter.
  if (ctx.hasUpper) {
    const en = execAtStarts(EN_ADDRESS_AT, t, enAddressStarts(ctx));
    const eu = hasKeyword(ctx, KW.euStreet)
      ? execAtStarts(EU_ADDRESS_AT, t, keywordStarts(ctx, KW.euStreet))
      : [];
    for (const m of en)
      if (clearBefore(t, m.index)) emitAddress(ctx, m.index, extendAddress(t, m.index + m[0].length));
    for (const m of [...eu, ...execAtStarts(UNIT_AT, t, unitStarts(ctx))])
      if (clearBefore(t, m.index)) emitAddress(ctx, m.index, m.index + m[0].length);
  }
  const deSuffix = hasKeyword(ctx, KW.deSuffix);
  for (const m of deSuffix ? execAtStarts(DE_SUFFIX_AT, t, keywordStarts(ctx, KW.deSuffix)) : []) {
    let start = m.index;
    while (start > 0 && m.index - start < 30 && /[\p{L}-]/u.test(t.charAt(start - 1))) start--;
    if (m.index - start >= 3 && /[A-ZÄÖÜ]/.test(t.charAt(start)))
      emitAddress(ctx, start, m.index + m[0].length);
  }
}
