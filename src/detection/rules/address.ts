// Street addresses: Chinese road + number (+ unit), English "12 Main Street", European "Via Brera 12",
// and flat / apartment units. Only shapes with a house number are taken.
import { clearBefore, emit, execAll, type RuleContext } from "./context.js";
import { execAtStarts } from "./digit-clusters.js";
import { hasKeyword, KW } from "./keywords.js";

// Patterns start at their rarest part (road word, house number, suffix) so V8 can skip ahead; the place
// name before a Chinese road word or a German "-straße" is taken by hand afterwards.
const CN_ROAD_RE =
  /(?:路|街|大道|大街|巷|弄|胡同|公路)\s?\d{1,5}\s?[号號](?:[\u4e00-\u9fff]{0,8}?\s?\d{0,4}[A-Z]?(?:室|楼|层|单元|栋|座))?/g;
// Words that end a clause before the place name ("我住在…", "地址是…"): the address starts after them.
const CN_LEAD_RE =
  /^.*(?:住在|位于|地址是|地址为|搬到|接近|送达|前往|来到|寄到|送到|在|于|是|到|的|和|与|去|从|往)/;
const CN_UNIT_RE =
  /(?:公寓|阁楼|单元|房间|房)\s?\d{1,4}[A-Z]?(?:室|号)?(?![0-9A-Za-z])|\d{1,4}[A-Z]?\s?(?:室|号房)/g;
// One character of each unit word (公寓, 阁楼, 单元, 房间, 房, 室, 号房).
const CN_UNIT_HINT_RE = /[寓楼元房室]/;
const STREET_WORDS =
  "Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Boulevard|Blvd\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Court|Ct\\.?|Place|Pl\\.?|Terrace|Way|Square|Crescent|Close|Parade|Highway|Hwy\\.?|Row|Mews|Gardens|Walk|Hill";
export const EN_ADDRESS_RE = new RegExp(
  `\\d{1,5}[A-Za-z]?,?\\s+(?:[A-Z][\\p{L}'’-]+\\s+){1,4}(?:${STREET_WORDS})(?![A-Za-z])`,
  "gu",
);
export const EN_ADDRESS_AT = new RegExp(EN_ADDRESS_RE.source, "uy");

/**
 * Where an English address can start (exported for the equivalence test): its number is the last one to five
 * digits of a run, followed by a letter, a comma or a space (any non-ASCII unit may be a space).
 */
export function enAddressStarts(ctx: RuleContext): number[] {
  const runs = ctx.digitRuns;
  const t = ctx.text;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const e = runs[r + 1] as number;
    const c = t.charCodeAt(e);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 44 || c <= 32 || c >= 0x80)
      out.push(Math.max(runs[r] as number, e - 5));
  }
  return out;
}
const EU_ADDRESS_RE =
  /(?:Via|Viale|Corso|Piazza|Rua|Avenida|Av\.|Rue|Calle|Carrer|Paseo|Plaza|Praça|Boulevard|Chemin|Allée|Straße|Strasse)\s+(?:(?:[A-Z][\p{L}'’-]+|d[aeio]s?|de|del|della|di|du|des|la|le)\s+){0,4}[A-Z][\p{L}'’-]+,?\s+\d{1,5}[A-Za-z]?(?![0-9])/gu;
const DE_SUFFIX_RE = /(?:straße|strasse|weg|gasse|platz|allee)\s+\d{1,4}[a-z]?(?![0-9])/g;
// The unit words and German suffixes, one scan each (a builtin search per word costs more in all).
const UNIT_HINT_RE = /Flat|Apt|Apartment|Suite|Unit/;
const DE_SUFFIX_HINT_RE = /straße|strasse|weg|gasse|platz|allee/;
const UNIT_RE = /(?:Flat|Apt\.?|Apartment|Suite|Unit)\s+#?\d{1,5}[A-Za-z]?(?![0-9A-Za-z])/g;

function isCjk(c: number): boolean {
  return c >= 0x4e00 && c <= 0x9fff;
}

function emitAddress(ctx: RuleContext, start: number, end: number): void {
  const trimmed = ctx.text.slice(start, end).replace(/[\s,]+$/, "");
  emit(ctx, start, start + trimmed.length, "Detailed Address", "PL2", "address");
}

/** Finds street addresses and flat numbers (Detailed Address, PL2). */
export function detectAddresses(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.digitCount === 0) return;
  if (ctx.hasCjk) {
    for (const m of execAll(CN_ROAD_RE, t)) {
      let start = m.index;
      while (start > 0 && m.index - start < 8 && isCjk(t.charCodeAt(start - 1))) start--;
      if (start === m.index) continue;
      const lead = CN_LEAD_RE.exec(t.slice(start, m.index));
      if (lead !== null && m.index - start - lead[0].length >= 2) start += lead[0].length;
      emitAddress(ctx, start, m.index + m[0].length);
    }
    if (CN_UNIT_HINT_RE.test(t))
      for (const m of execAll(CN_UNIT_RE, t)) emitAddress(ctx, m.index, m.index + m[0].length);
  }
  // The English, European and unit patterns all hold a capital letter.
  for (const re of ctx.hasUpper ? [EN_ADDRESS_RE, EU_ADDRESS_RE, UNIT_RE] : []) {
    if (re === EU_ADDRESS_RE && !hasKeyword(ctx, KW.euStreet)) continue;
    if (re === UNIT_RE && !(hasKeyword(ctx, KW.unit) && UNIT_HINT_RE.test(t))) continue;
    const matches =
      re === EN_ADDRESS_RE ? execAtStarts(EN_ADDRESS_AT, t, enAddressStarts(ctx)) : execAll(re, t);
    for (const m of matches) {
      if (clearBefore(t, m.index)) emitAddress(ctx, m.index, m.index + m[0].length);
    }
  }
  const deSuffix = hasKeyword(ctx, KW.deSuffix) && DE_SUFFIX_HINT_RE.test(t);
  for (const m of deSuffix ? execAll(DE_SUFFIX_RE, t) : []) {
    let start = m.index;
    while (start > 0 && m.index - start < 30 && /[\p{L}-]/u.test(t.charAt(start - 1))) start--;
    if (m.index - start >= 3 && /[A-ZÄÖÜ]/.test(t.charAt(start)))
      emitAddress(ctx, start, m.index + m[0].length);
  }
}
