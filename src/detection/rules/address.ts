// Street addresses: Chinese road + number (+ unit), English "12 Main Street", European "Via Brera 12",
// and flat / apartment units. Only shapes with a house number are taken.
import { emit, execAll, type RuleContext } from "./context.js";

// Up to 10 CJK characters of place name before the road word keep the left edge bounded.
const CN_ADDRESS_RE =
  /[\u4e00-\u9fff]{1,10}(?:路|街|大道|大街|巷|弄|胡同|公路)\s?\d{1,5}\s?[号號](?:[\u4e00-\u9fff]{0,8}?\s?\d{0,4}[A-Z]?(?:室|楼|层|单元|栋|座))?/g;
// Words that end a clause before the place name ("我住在…", "地址是…"): the address starts after them.
const CN_LEAD_RE = /^.*(?:住在|位于|地址是|地址为|搬到|在|于|是|到|的|和|与)/;
const CN_UNIT_RE =
  /(?:公寓|阁楼|单元|房间|房)\s?\d{1,4}[A-Z]?(?:室|号)?(?![0-9A-Za-z])|\d{1,4}[A-Z]?\s?(?:室|号房)/g;
const STREET_WORDS =
  "Street|St\\.?|Avenue|Ave\\.?|Road|Rd\\.?|Boulevard|Blvd\\.?|Lane|Ln\\.?|Drive|Dr\\.?|Court|Ct\\.?|Place|Pl\\.?|Terrace|Way|Square|Crescent|Close|Parade|Highway|Hwy\\.?|Row|Mews|Gardens|Walk|Hill";
const EN_ADDRESS_RE = new RegExp(
  `(?<![0-9A-Za-z])\\d{1,5}[A-Za-z]?,?\\s+(?:[A-Z][\\p{L}'’-]+\\s+){1,4}(?:${STREET_WORDS})(?![A-Za-z])`,
  "gu",
);
const EU_ADDRESS_RE =
  /(?<![A-Za-z])(?:Via|Viale|Corso|Piazza|Rua|Avenida|Av\.|Rue|Calle|Carrer|Paseo|Plaza|Praça|Boulevard|Chemin|Allée|Straße|Strasse)\s+(?:(?:[A-Z][\p{L}'’-]+|d[aeio]s?|de|del|della|di|du|des|la|le)\s+){0,4}[A-Z][\p{L}'’-]+,?\s+\d{1,5}[A-Za-z]?(?![0-9])/gu;
const DE_ADDRESS_RE =
  /[A-Z][\p{L}-]{2,30}(?:straße|strasse|weg|gasse|platz|allee|ring|damm)\s+\d{1,4}[a-z]?(?![0-9])/gu;
const UNIT_RE = /(?<![A-Za-z])(?:Flat|Apt\.?|Apartment|Suite|Unit)\s+#?\d{1,5}[A-Za-z]?(?![0-9A-Za-z])/g;
const HINT_RE =
  /路|街|大道|巷|弄|胡同|公寓|阁楼|室|[A-Z][a-z]+\s+(?:St|Av|Ro|Bo|La|Dr|Co|Pl|Te|Wa|Sq|Cr|Cl|Pa|Hi|Ro|Me|Ga|Wa)|Via|Viale|Corso|Piazza|Rua|Avenida|Rue|Calle|Carrer|Paseo|Plaza|Praça|stra|weg|gasse|platz|Flat|Apt|Apartment|Suite|Unit/;

/** Finds street addresses and flat numbers (Detailed Address, PL2). */
export function detectAddresses(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.digitCount === 0 || !HINT_RE.test(t)) return;
  const res: RegExp[] = ctx.hasCjk ? [CN_ADDRESS_RE, CN_UNIT_RE] : [];
  res.push(EN_ADDRESS_RE, EU_ADDRESS_RE, DE_ADDRESS_RE, UNIT_RE);
  for (const re of res) {
    for (const m of execAll(re, t)) {
      let start = m.index;
      if (re === CN_ADDRESS_RE) {
        const road = /(?:路|街|大道|大街|巷|弄|胡同|公路)\s?\d/.exec(m[0]);
        const lead = CN_LEAD_RE.exec(m[0].slice(0, road?.index ?? 0));
        if (lead !== null && (road?.index ?? 0) - lead[0].length >= 2) start += lead[0].length;
      }
      const end = m.index + m[0].replace(/[\s,]+$/, "").length;
      emit(ctx, start, end, "Detailed Address", "PL2", "address");
    }
  }
}
