// Street addresses of English-speaking and European formats, anchored at the house number: "368 Blind Lane
// Apt. 280", "Via Brera 12", "Puente Jacobo, 8 3º C", "Smeetslaan 469 I 3 hoog achter", "rondo Nowiński 21a
// m. 294", "6750 Koskikatu 25 Apt. 864", and after an address cue any "Name 46" ("Puruntie 82", "Allika
// 46"). Street types come from the locales' street patterns (scripts/gen-gazetteer.ts). The span runs on
// over a unit ("Apt. 280", "Piano 2", "3º C") and a postcode with its city (", 84976 Pontevedra"). Chinese
// address chains ending in a number (…省…市…30号) are taken here too. Each house number looks at a bounded
// window around it: linear in the text.
import { emit, isAlnumAt, isAsciiLetter, isCjkIdeograph, OverlapIndex, type RuleContext } from "./context.js";
import { execAtStarts, isRegExpSpace } from "./digit-clusters.js";
import { STREET_AFTER, STREET_BEFORE, STREET_GLUED, UNIT_WORDS } from "./gazetteer-data.js";
import { createWordTable, wordValueAt } from "./word-table.js";
import { PERSON_TYPES } from "./people-words.js";

const BEFORE = new Set(STREET_BEFORE.split(" "));
const AFTER = new Set(STREET_AFTER.split(" "));
// The glued street types by their last unit: a word is compared only with the types it could end with.
const GLUED = new Map<string, string[]>();
for (const g of STREET_GLUED.split(" ").sort((a, b) => b.length - a.length)) {
  const list = GLUED.get(g.slice(-1)) ?? [];
  list.push(g);
  GLUED.set(g.slice(-1), list);
}
// Lower-case words allowed inside a street name ("Rue de la Paix", "Via della Spiga", "The Fairway").
const PARTICLES = new Set(
  "de del della delle dei di da das dos do du des la le les los las el lo l' d' der den dem im am an auf van von the of y e i".split(
    " ",
  ),
);
// Words that announce an address ("my address is", "Adresse", "住在").
const CUE_RE =
  /(?:address|live at|living at|lives at|moving to|moved to|move to|(?:ship|send|sent|mail|post|deliver|forward|bring|take)(?:s|ped|ed|ing)?(?: (?:it|them|this|that|everything|(?:the|my|our|your|his|her|their) \w+))? to|go to|located at|adresse|adres|anschrift|wohne|wohnt|habite|dirección|domicilio|vive en|vivo en|indirizzo|abito|abita|woon|woont|mieszkam|mieszka|endereço|moro|mora|asun|bor på|bor i|bor)\b[^.!?\n]{0,24}$/i;
// A unit after the number: "Apt. 280", "Suite 900", "Zimmer 260", "Piano 2", "3º C", "s/n.", "m. 294", and the
// locales' own flat and floor words (UNIT_WORDS: "Stan 53", "Lgh. 995", "4.em 65 ajtó", "2 OG"), a floor before
// a lower-case word (", 3. tv"), or a flat after a dash ("Olīvu gatve 39 - 351").
const UNIT_WORD_SOURCE = [...new Set(UNIT_WORDS.split(" "))]
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&").replace(/#+/g, "\\d{1,4}"))
  .join("|");
const UNIT_RE = new RegExp(
  "^(?:(?:,?\\s(?:Apt\\.?|Apartment|Suite|Unit|Flat|Zimmer|Wohnung|Piano|Appartamento|Apto\\.?|Apartamento|Bloco|Bajo|Izda\\.?|Dcha\\.?|étage|Étage|Bâtiment|bus|m\\.|lok\\.|hoog|achter|voor|" +
    UNIT_WORD_SOURCE +
    ")|,?\\s\\d{1,3}\\.(?=\\s\\p{Ll})|\\s(?:[IVX]{1,3}|\\d{1,3}º\\s?[A-Z]?|\\d{1,4}[A-Za-z]?|[A-Z]|s\\/n\\.?)|\\s[-–]\\s\\d{1,4})(?![\\p{L}\\p{N}])){1,6}",
  "u",
);
// ", 84976 Pontevedra", ", WN06 41P South Bradtkeridge", ", 7134 VL Greon", ", 04-669 Nowy Wiśnicz".
const POSTCODE_CITY_RE =
  /^,?\s(?:\d{5}(?:-\d{3,4})?|\d{4}(?:\s?[A-Z]{2}|-\d{3})?|\d{6}|\d{3}\s\d{2,3}|\d{2}-\d{3}|LV-?\d{4}|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]\d[A-Z]\s\d[A-Z]\d|[A-Z]\d{2}\s[A-Z\d]{4})\s(?:[\p{Lu}][\p{L}'’-]*)(?:[ -](?:[\p{Lu}][\p{L}'’-]*|sur|am|an|de|di|a|al|del|do|da|nad|pod|na))*/u;
// ", Springfield, IL 62704", ", Salt Lake City, UT 84101-1234", ", London NW1 6XE": the town first.
const TOWN_POSTCODE_RE =
  /^,\s\p{Lu}[\p{L}'’.-]*(?:\s\p{Lu}[\p{L}'’.-]*){0,2}(?:,\s[A-Z]{2}\s\d{5}(?:-\d{4})?|\s(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]\d[A-Z]\s\d[A-Z]\d|[A-Z]\d{2}\s[A-Z\d]{4}|LV-?\d{4}|\d{5,6}(?:-\d{3,4})?|\d{3}\s\d{2,3}|(?!19\d\d|20\d\d)\d{4}))(?![\p{L}\p{N}])/u;
// A word of a street name: capitalised, or an abbreviation such as "os." / "ul.".
const NAME_WORD_RE = /^(?:\p{Lu}[\p{L}'’.-]*|[a-z]{1,4}\.)$/u;

/** True for an ASCII lower-case letter at `i`. */
function isLowerAsciiAt(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return c >= 97 && c <= 122;
}

function isDigitAt(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** A unit of /[\s,(]/. */
function isSpaceCommaParen(c: number): boolean {
  return c === 44 || c === 40 || isRegExpSpace(c);
}

/** A unit of /[:/%°€$£¥.,]/: after one, a digit makes the number part of a time, fraction or amount. */
function isUnitOrSeparator(c: number): boolean {
  return (
    c === 58 ||
    c === 47 ||
    c === 37 ||
    c === 0xb0 ||
    c === 0x20ac ||
    c === 36 ||
    c === 0xa3 ||
    c === 0xa5 ||
    c === 46 ||
    c === 44
  );
}

/** Whether `w` is a word of a street name ({@link NAME_WORD_RE}); exported for the equivalence test. */
export function isCapitalised(w: string): boolean {
  const c = w.charCodeAt(0);
  // Fast answers for ASCII first units: a lower-case word can only be an abbreviation of at most five units
  // ending in "." ("ul."), and no other ASCII unit but a capital starts a name.
  if (c >= 97 && c <= 122) return w.length <= 5 && w.endsWith(".") && NAME_WORD_RE.test(w);
  if (c < 0x80 && (c < 65 || c > 90)) return false;
  return NAME_WORD_RE.test(w);
}

/** Letters (Latin, Greek, Cyrillic), combining marks, apostrophes, "." and "-" (and "º" when `ordinal`). */
function isWordUnit(c: number, ordinal: boolean): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 0xc0 && c <= 0x52f && c !== 0xd7 && c !== 0xf7) ||
    c === 0x27 ||
    c === 0x2019 ||
    c === 0x2e ||
    c === 0x2d ||
    (ordinal && c === 0xba)
  );
}

/** End of the word of street units that starts at `s` (what {@link wordsAfter} takes), or `s`. */
function wordEndAt(t: string, s: number): number {
  let e = s;
  while (e < t.length && e - s < 30 && isWordUnit(t.charCodeAt(e), false)) e++;
  return e;
}

/** Start of the word of street units that ends at `e` (what {@link wordsBefore} takes), or `e`. */
function wordStartBefore(t: string, e: number): number {
  let s = e;
  while (s > 0 && e - s < 30 && isWordUnit(t.charCodeAt(s - 1), true)) s--;
  return s;
}

/** Words before `at` (nearest last), up to `max`, with their starts; stops at punctuation other than ",". */
function wordsBefore(t: string, at: number, max: number): { word: string; start: number }[] {
  const out: { word: string; start: number }[] = [];
  let i = at;
  while (out.length < max) {
    let e = i;
    while (e > 0 && (t.charAt(e - 1) === " " || (out.length === 0 && t.charAt(e - 1) === ","))) e--;
    if (e === i && out.length > 0) break;
    const s = wordStartBefore(t, e);
    if (s === e) break;
    out.push({ word: t.slice(s, e), start: s });
    i = s;
    if (t.charAt(s - 1) !== " ") break;
  }
  return out;
}

/** Words after `at`, up to `max`, with their ends. */
function wordsAfter(t: string, at: number, max: number): { word: string; end: number }[] {
  const out: { word: string; end: number }[] = [];
  let i = at;
  while (out.length < max && t.charAt(i) === " ") {
    const s = i + 1;
    const e = wordEndAt(t, s);
    if (e === s) break;
    out.push({ word: t.slice(s, e), end: e });
    i = e;
  }
  return out;
}

/** A street type, a name word or a particle: a word that may stand in a street. */
function mayBelongToStreet(w: string): boolean {
  return BEFORE.has(w) || AFTER.has(w) || isCapitalised(w) || PARTICLES.has(w) || LOWER_BEFORE.has(w);
}

// Street types written in lower case after a house number ("12 rue de la Paix", "5 avenue Victor Hugo"), as
// French, Spanish, Italian and Portuguese write them; not those that are English words too ("sent 5 via
// FedEx", "came 2 place Ahead").
const NOT_LOWER_BEFORE = new Set("via place plaza park square road street way court".split(" "));
// The lower-case forms of the street types before the name ("rue", "calle").
const LOWER_BEFORE = new Set(
  [...BEFORE]
    .filter((w) => /^[A-Z][a-z]/.test(w))
    .map((w) => w.charAt(0).toLowerCase() + w.slice(1))
    .filter((w) => !NOT_LOWER_BEFORE.has(w)),
);
// The words of those sets that start with an ASCII lower-case letter, looked up where they stand: most words
// beside a number are such words ("5 years", "at 10"), and most of them are none of these.
const LOWER_WORDS = createWordTable(
  [...BEFORE, ...AFTER, ...PARTICLES, ...LOWER_BEFORE]
    .filter((w) => /^[a-z]/.test(w))
    .map((w) => [w, 1] as const),
);

/** {@link mayBelongToStreet} of `t.slice(s, e)`, with no substring made for an ASCII lower-case word. */
function mayBelongAt(t: string, s: number, e: number): boolean {
  const c = t.charCodeAt(s);
  if (c < 97 || c > 122) return mayBelongToStreet(t.slice(s, e));
  if (wordValueAt(LOWER_WORDS, t, s, e) !== 0) return true;
  // The abbreviations isCapitalised takes ("ul.", "os.").
  return e - s <= 5 && t.charCodeAt(e - 1) === 46 && isCapitalised(t.slice(s, e));
}

/** Whether `w` ends with a glued street type ("Smeetslaan"); exported for the equivalence test. */
export function gluedStreet(w: string): boolean {
  const lower = w.toLowerCase();
  const list = GLUED.get(lower.slice(-1));
  return list !== undefined && list.some((g) => lower.length > g.length + 2 && lower.endsWith(g));
}

/**
 * Extends an address end over a unit and a postcode with its city, or a US city, state and ZIP code, or a UK
 * town and postcode.
 */
export function extendAddress(t: string, end: number): number {
  let e = end;
  const unit = UNIT_RE.exec(t.slice(e, e + 48));
  if (unit !== null) e += unit[0].length;
  const tail = t.slice(e, e + 64);
  const post = POSTCODE_CITY_RE.exec(tail) ?? TOWN_POSTCODE_RE.exec(tail);
  if (post !== null) e += post[0].length;
  return e;
}

function emitStreet(ctx: RuleContext, start: number, end: number, rule: string): void {
  let text = ctx.text.slice(start, end).replace(/[\s,]+$/, "");
  // A full stop ends the sentence unless it ends an abbreviation ("Izda.", "s/n.").
  if (text.endsWith(".") && !/(?:^|\s)(?:[A-Za-z]{1,4}|s\/n)\.$/.test(text)) text = text.slice(0, -1);
  emit(ctx, start, start + text.length, "Detailed Address", "PL2", rule);
}

/** End of the flat number after the slash at `at` ("/3", "/12a"), or -1 when it reads as a date or a ratio. */
function slashFlatEnd(t: string, at: number): number {
  let k = at + 1;
  while (isDigitAt(t, k) && k - at <= 4) k++;
  if (isDigitAt(t, k) || t.charCodeAt(k) === 47 || (t.charCodeAt(k) === 46 && isDigitAt(t, k + 1))) return -1;
  if (isAsciiLetter(t.charCodeAt(k)) && !isAlnumAt(t, k + 1)) k++;
  return isAlnumAt(t, k) ? -1 : k;
}

/** The people found before this family (people.ts runs first), indexed for overlap tests. */
function personIndex(ctx: RuleContext): OverlapIndex {
  return new OverlapIndex(ctx.out.filter((r) => PERSON_TYPES.has(r.type)));
}

/** The Latin-script street forms (see the module comment). */
function detectLatinStreets(ctx: RuleContext): void {
  const t = ctx.text;
  let people: OverlapIndex | undefined;
  const runs = ctx.digitRuns;
  // The house numbers, from the context's digit runs: 1–5 digits on their own, with an optional letter glued on
  // when nothing alphanumeric follows it ("12a"). A number inside a longer run has a digit before it and
  // could start no street anyway. `next` is where the numbers still to look at start.
  let next = 0;
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const ns = runs[r] as number;
    let ne = runs[r + 1] as number;
    if (ns < next || ne - ns > 5) continue;
    if (isAsciiLetter(t.charCodeAt(ne))) {
      if (isAlnumAt(t, ne + 1)) continue;
      ne++;
    }
    if (ns > 0 && !isSpaceCommaParen(t.charCodeAt(ns - 1))) continue;
    if (isUnitOrSeparator(t.charCodeAt(ne)) && isDigitAt(t, ne + 1)) {
      // "Długa 15/3": a house and a flat number; a date has a second slash, a time or an amount no slash.
      const flat = t.charCodeAt(ne) === 47 ? slashFlatEnd(t, ne) : -1;
      if (flat < 0) continue;
      ne = flat;
    }
    // Number first: "368 Blind Lane", "791 Allée de Caumartin", "3583 Alameda Santos". Past a first word that
    // is neither a street type nor a name word nothing below looks at the words after.
    // The words after start past a space (wordsAfter).
    // The first word is read in place; the words are made only when it may stand in a street.
    const r0End = t.charCodeAt(ne) === 32 ? wordEndAt(t, ne + 1) : ne + 1;
    const right = r0End > ne + 1 && mayBelongAt(t, ne + 1, r0End) ? wordsAfter(t, ne, 5) : [];
    const r0 = right[0];
    if (r0 !== undefined && (BEFORE.has(r0.word) || LOWER_BEFORE.has(r0.word))) {
      let end = r0.end;
      for (const w of right.slice(1, 5)) {
        if (!isCapitalised(w.word) && !PARTICLES.has(w.word)) break;
        end = w.end;
      }
      if (end > r0.end) {
        emitStreet(ctx, ns, extendAddress(t, end), "street-number-first");
        next = end;
        continue;
      }
    }
    let typed = -1;
    let typedEnd = -1;
    for (let k = 0; k < right.length && k < 5; k++) {
      const { word: w, end: wEnd } = right[k] as { word: string; end: number };
      if (!isCapitalised(w) && !PARTICLES.has(w)) break;
      if (k > 0 && AFTER.has(w)) {
        typed = k;
        typedEnd = wEnd;
      } else if (w.endsWith(".")) {
        // A full stop after a street type, or after a word too long for an abbreviation, ends the sentence:
        // "… to 1742 Glover Crest.", "… to 8010 Heller Run."
        if (k > 0 && AFTER.has(w.slice(0, -1))) {
          typed = k;
          typedEnd = wEnd - 1;
          break;
        }
        if (w.length > 4) break;
      }
    }
    if (typed > 0) {
      const end = typedEnd;
      emitStreet(ctx, ns, extendAddress(t, end), "street-number-first");
      next = end;
      continue;
    }
    // Name first: "Via Brera 12", "Puente Jacobo, 8", "Smeetslaan 469", "Karl-Marx-Str. 50b". Likewise, a
    // first word before that is neither a street type nor a name word ends the search.
    let l0End = ns;
    while (l0End > 0 && (t.charCodeAt(l0End - 1) === 32 || t.charCodeAt(l0End - 1) === 44)) l0End--;
    const l0Start = wordStartBefore(t, l0End);
    if (l0Start === l0End || !mayBelongAt(t, l0Start, l0End)) continue;
    const left = wordsBefore(t, ns, 6);
    const l0 = left[0] as { word: string; start: number };
    let start = -1;
    let k = 0;
    for (; k < left.length; k++) {
      const w = (left[k] as { word: string }).word;
      // A type in lower case right before the number is an English word as often ("the car park 3").
      if (BEFORE.has(w) && (k > 0 || !isLowerAsciiAt(w, 0))) {
        start = (left[k] as { start: number }).start;
        break;
      }
      if (!isCapitalised(w) && !PARTICLES.has(w)) break;
    }
    if (start < 0 && isCapitalised(l0.word) && gluedStreet(l0.word)) {
      // A glued street type makes the name one word ("Smeetslaan", "Theodor-Heuss-Ring"): the capitalised word
      // before it is something else ("Adresse ist …").
      start = l0.start;
    }
    const l1 = left[1];
    if (
      start < 0 &&
      l1 !== undefined &&
      AFTER.has(l0.word) &&
      !isCapitalised(l0.word) &&
      isCapitalised(l1.word)
    ) {
      // A street type in lower case after the name: "Tiborc köz 4", "Grobiņas iela 885", "Lilien park 2".
      start = l1.start;
      for (const w of left.slice(2, 4)) {
        if (!isCapitalised(w.word) && !PARTICLES.has(w.word)) break;
        start = w.start;
      }
    }
    if (start < 0 && isCapitalised(l0.word) && !AFTER.has(l0.word)) {
      // After an address cue, any capitalised name and a number: "Puruntie 82", "Am Mönchshof 929".
      let s = l0.start;
      for (const w of left.slice(1, 3)) {
        if (!isCapitalised(w.word) && !PARTICLES.has(w.word)) break;
        s = w.start;
      }
      // Not a person named before the address ("Ship it to: Nadine Barre, 985 …").
      if (CUE_RE.test(t.slice(Math.max(0, s - 40), s)) && !(people ??= personIndex(ctx)).overlaps(s, ns))
        start = s;
    }
    if (start >= 0) {
      // A number just before the street name belongs to it ("6750 Koskikatu 25").
      const lead = /\d{1,5}\s$/.exec(t.slice(Math.max(0, start - 6), start));
      if (lead !== null && !/[0-9]/.test(t.charAt(start - lead[0].length - 1))) start -= lead[0].length;
      const end = extendAddress(t, ne);
      emitStreet(ctx, start, end, "street-name-first");
      next = end;
    }
  }
}

// Chinese: an administrative chain (省, 市, 区, 县…) and a house number "…30号".
export const CN_NUMBER_RE = /\d{1,5}\s?号/g;
export const CN_NUMBER_AT = new RegExp(CN_NUMBER_RE.source, "y");

/** Where a Chinese house number can start (exported for the equivalence test): the last one to five digits of a run before 号 (one \s between at most). */
export function cnNumberStarts(ctx: RuleContext): number[] {
  const t = ctx.text;
  const runs = ctx.digitRuns;
  const out: number[] = [];
  for (let r = 0; r + 1 < runs.length; r += 2) {
    const e = runs[r + 1] as number;
    const a = isRegExpSpace(t.charCodeAt(e)) ? e + 1 : e;
    if (t.charCodeAt(a) === 0x53f7) out.push(Math.max(runs[r] as number, e - 5));
  }
  return out;
}
const CN_ADMIN_RE = /[省市区县镇乡村路街道巷弄]/;
const CN_LEAD_RE =
  /^.*(?:住在|家住|现居|现住|居住|位于|地址是|地址为|地址：|住址是|住址为|住址：|搬到|寄到|送到|送达|寄往|发往|前往|来到|在|于|是|到)/;

function detectChineseChains(ctx: RuleContext): void {
  const t = ctx.text;
  // Addresses found before this pass (indexed on first need), and the end of the last chain taken here: the
  // chains end in match order, so the last one reaches furthest and every earlier one starts before this match.
  let earlier: OverlapIndex | undefined;
  let lastEnd = -1;
  for (const m of execAtStarts(CN_NUMBER_AT, t, cnNumberStarts(ctx))) {
    let s = m.index;
    while (s > 0 && m.index - s < 24 && isCjkIdeograph(t.charCodeAt(s - 1))) s--;
    const chain = t.slice(s, m.index);
    if (chain.length < 3 || !CN_ADMIN_RE.test(chain)) continue;
    // Road addresses are the address rule's ("…路104号"): only chains it did not take are added here.
    earlier ??= new OverlapIndex(ctx.out.filter((r) => r.type === "Detailed Address"));
    if (lastEnd > s || earlier.overlaps(s, m.index + m[0].length)) continue;
    const lead = CN_LEAD_RE.exec(chain);
    if (lead !== null && chain.length - lead[0].length >= 3) s += lead[0].length;
    emit(ctx, s, m.index + m[0].length, "Detailed Address", "PL2", "street-zh-chain");
    lastEnd = m.index + m[0].length;
  }
}

/** Finds street addresses (Detailed Address, PL2); needs a digit in the text. */
export function detectStreets(ctx: RuleContext): void {
  if (ctx.digitCount === 0) return;
  if (ctx.hasCjk && ctx.text.includes("号")) detectChineseChains(ctx);
  detectLatinStreets(ctx);
}
