// Names in Latin-script text (people.ts): capitalised runs of words, opened by a title or an initial, decided
// by a cue before them (self, "named", a relation word), a person verb beside them, or a given name of the
// gazetteer; places, organisations and public figures are left alone.
import type { RawSpan, RuleContext } from "./context.js";
import { isRegExpSpace } from "./digit-clusters.js";
import { contextOpeners } from "./keywords.js";
import { labelCue, nameShaped } from "./people-labels.js";
import {
  capitalisedRuns,
  capitalTokens,
  isAmbiguousName,
  looksLikeName,
  releaseTokens,
} from "./people-tokens.js";
import { NOT_FOLDABLE } from "./word-table.js";
import {
  AFTER_VERB_LETTERS,
  BY,
  COMMON,
  CUE_END,
  emitName,
  IS_FIRST,
  IS_LAST,
  IS_PLACE,
  IS_PUBLIC,
  IS_STREET,
  IS_TITLE,
  OPENERS,
  PERSON_TYPES,
  prevWordBits,
  prevWordBitsOf,
  RELATION,
  RELATIONS,
  ROLE,
  THE,
  TITLES,
  VERB_AFTER,
  VERB_BEFORE,
  VERB_BY,
  VERB_PREPOSITION,
} from "./people-words.js";

// Words around a name that make it a public or historical person; a year before 1950 dates it to history
// (a recent one is as likely the speaker's own: "my 2016 co-author"). A year stands on its own, or in a range
// ("1848–1850"): the digit groups of a phone or card number ("930-1510", "#1620") are no year.
const PUBLIC_CONTEXT_RE =
  /(?<![0-9A-Za-z#@$€£.,/:-])(?:1[0-8][0-9]{2}|19[0-4][0-9])(?:s|\s?[-–]\s?(?:1[0-9]{3}|[0-9]{2}))?(?![0-9A-Za-z]|[.,/:-][0-9])|\b(?:born|died|poets?|poetry|poems?|philosophers?|philosophy|painters?|composers?|novelists?|novels?|playwrights?|essayists?|thinkers?|theorem|theory|theorists?|scientists?|physicists?|chemists?|astronomers?|economists?|sociologists?|anthropologists?|linguists?|logicians?|mathematicians?|inventors?|invented|innovators?|pioneers?|explorers?|laureates?|nobel|presidents?|prime minister|chancellor|senators?|kings?|queens?|princes?|sultans?|emperors?|regime|dictators?|monarchs?|monarchy|kingdom|republic|revolution|century|dynasty|empire|biography|famous|renowned|legendary|historians?|leader of|leadership of|ruling (?:family|dynasty|party)|reign|actors?|actress|film|director of|singers?|songwriters?|album|literary|coined|formulated|conjectures?|paradox|treatise|thought experiment|(?:rose|came|returned) to power)\b/i;

// Words after a name that make it a place or an organisation ("Victoria Station", "Grace Hospital").
const NOT_PERSON_AFTER =
  /^\s+(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Drive|Boulevard|Way|Square|Park|Station|Airport|Hospital|Clinic|University|College|School|Academy|Institute|Hotel|Museum|Gallery|Church|Cathedral|Bank|Center|Centre|Bridge|Tower|Hall|Library|Stadium|Arena|Theatre|Theater|Inc\.?|Ltd\.?|LLC|GmbH|Corp\.?|Company|Group|Foundation|Press|Records|Studios?|Cafe|Café|Restaurant|Bar|Pub|Beach|Bay|Lake|River|Mountain|Valley|Island|County|City|Province|State|Prize|Award|Act|Law|Syndrome|Disease)(?![\p{L}])/u;
const OPENING_WORD_RE =
  /^(?:[a-z]+(?:ing|ed|en|ly)|ask|tell|call|thank|let|make|have|get|see|meet|invite|send|email|text)$/;
// A saint's name is a place, a church or a feast ("St. Mary's", "St. Louis", "Saint Patrick's Day", "São Paulo").
const SAINT_BEFORE_RE = /(?:^|[^\p{L}])(?:St|Ste|Saint|Sainte|San|Santa|Santo|São)\.?\s+$/u;
/** True when a saint's title ends just before `start` (its capital "S" within 8 units is looked for first). */
function saintBefore(t: string, start: number, before: string): boolean {
  // A bounded look back: lastIndexOf would walk to the text's start on a text without an "S" (quadratic).
  for (let k = start - 2; k >= 0 && start - k <= 8; k--)
    if (t.charCodeAt(k) === 83) return SAINT_BEFORE_RE.test(before);
  return false;
}
// Place prepositions: "in Florence", "to Victoria" are places.
const PLACE_BEFORE_RE =
  /(?:^|[^\p{L}])(?:in|at|near|into|via|visit|visiting|visited|toward|towards|around|across|through|outside|inside|nach|aus|en|à|au|di|em|no|na|w|z|naar|uit)\s+$/iu;

// "my wife, Anna", "our son Tom", "your father Dragan"; the possessive is not part of the span.
const RELATION_RE = new RegExp(
  `(?:^|[^\\p{L}])(?:my|our|his|her|their|your|mein|meine|meinem|meiner|unser|unsere|mon|ma|notre|mi|mis|nuestro|nuestra|mio|mia|il\\s+mio|la\\s+mia|mijn|onze|moja|mój|moj|nasz|nasza|meu|minha|o\\s+meu|a\\s+minha)\\s+(?:(?:late|dear|older|younger|little|big|elder|new|old|former|family|best|close|good)\\s+)?((?:${RELATIONS}))s?,?\\s+(?:(?:${TITLES})\\.?\\s+)?$`,
  "iu",
);
// "My father is Dragan Kovač", "her sister's name was Ana": the name alone (Relationship Info).
const RELATION_IS_RE = new RegExp(
  `(?:^|[^\\p{L}])(?:my|our|his|her|their|your)\\s+(?:(?:late|dear|older|younger|little|big|elder|new|old|former|best|close)\\s+)?(?:${RELATIONS})s?(?:['’]s\\s+(?:full\\s+|first\\s+)?name)?\\s+(?:is|was)\\s+$`,
  "iu",
);
// The speaker names themself ("My name is …", "I'm …", "call me …", "signed, …").
const SELF_RE =
  /(?:^|[^\p{L}])(?:my\s+(?:full\s+|real\s+|first\s+|legal\s+)?name(?:\s+is|'s|:)|i\s+am|i'm|i’m|call\s+me|signed,?|yours\s+(?:truly|sincerely),?|(?:best|kind|warm)?\s*regards,?|sincerely,?|cheers,?|best,?|thanks,?|thank\s+you,?|je\s+m['’]appelle|mon\s+nom\s+est|ich\s+heiße|ich\s+bin|mein\s+name\s+ist|me\s+llamo|mi\s+nombre\s+es|mi\s+chiamo|il\s+mio\s+nome\s+è|mijn\s+naam\s+is|ik\s+heet|nazywam\s+się|meu\s+nome\s+é|me\s+chamo|je\s+suis)\s*$/iu;
// Someone else named: "his name is …", "a friend named …", "called …".
const NAMED_RE =
  /(?:^|[^\p{L}])(?:(?:his|her|their|whose|(?:\p{L}+['’]s))\s+(?:full\s+|first\s+|last\s+)?name\s+(?:is|was)|named|called|known\s+as|nicknamed|s'appelle|heißt|se\s+llama|si\s+chiama)\s*$/iu;
// Self cues that need a known given name or a surname after them ("I'm Tired" is no name).
const WEAK_SELF_RE = /(?:i\s+am|i'm|i’m|ich\s+bin|je\s+suis|cheers,?|best,?|thanks,?|thank\s+you,?)\s*$/iu;

/** The {@link prevWordBits} of the ASCII word after one space at `at` (0 when it cannot be a verb of the list). */
function wordAfterBits(t: string, at: number): number {
  if (t.charCodeAt(at) !== 32 || !AFTER_VERB_LETTERS.has(t.charCodeAt(at + 1))) return 0;
  let e = at + 1;
  while (e < t.length && e - at < 12) {
    const c = t.charCodeAt(e);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) break;
    e++;
  }
  return prevWordBits(t, at + 1, e);
}

const PERSON_VERB_AFTER_RE =
  /^(?:\s+(?:said|says|told|tells|asked|asks|replied|replies|wrote|writes|called|calls|texted|emailed|thinks|thought|wants|wanted|is\s+coming|will\s+(?:join|come|bring|call|be)|and\s+I|was\s+born|lives|works|turned|turns|moved\s+(?:out|in|away|back|abroad|house)|would\s+(?:like|love|enjoy|prefer|hate)|loves|hates|misses|passed\s+away|got\s+(?:married|engaged|divorced|pregnant))\b)/;

// How a conversation names a person no list holds (conversationCue): a relation in apposition ("Zephrine, my
// younger brother,", "Quorvin (my partner)"), a possessive event or family word ("Zephrine's wedding",
// "Quorvin's mom"), "me and …", "… and me", a speaker's "… here" ("Vennick here again,").
const APPOSITION_AFTER_RE = new RegExp(
  `^\\s*[,(]\\s*(?:my|our|his|her|their|your)\\s+(?:(?:late|dear|older|younger|little|big|elder|new|old|former|best|close|good)\\s+)?(?:${RELATIONS})s?(?![\\p{L}])`,
  "iu",
);
const POSSESSIVE_AFTER_RE =
  /^['’]s\s+(?:(?:late|dear|older|younger|little|big|elder|new|best)\s+)?(?:wedding|birthday|funeral|graduation|engagement|retirement|baby\s+shower|christening|baptism|memorial|wife|husband|partner|mom|mum|mother|dad|father|parents|son|daughter|kids|children|brother|sister|boyfriend|girlfriend|fianc[ée]e?|grandma|grandpa|grandmother|grandfather|aunt|uncle|cousin|baby|friends?)(?![\p{L}])/iu;
const ME_AND_BEFORE_RE = /(?:^|[^\p{L}])(?:me|you|him|her|us)\s+(?:and|&)\s+$/iu;
const AND_ME_AFTER_RE = /^\s+(?:and|&)\s+me(?![\p{L}])/iu;
// A pair that does what only people do: "Talmira and Oskaro are coming over", "… have been friends".
const PAIR_DOES_RE =
  /^\s+(?:and|&)\s+\p{Lu}[\p{Ll}'’-]+\s+(?:(?:are|were)\s+(?:coming|visiting|getting\s+married|engaged|dating|married|divorced|expecting|my)|(?:have|had)\s+been\s+(?:friends|dating|married|together|best\s+friends)|got\s+(?:married|engaged|divorced))(?![\p{L}])/u;
const HERE_AFTER_RE = /^\s+here(?:\s+again)?\s*(?:[,.!;:—–-]|$)/u;
const PAIR_AFTER_RE = /\s+(?:and|&)\s+/iy;
const PAIR_BETWEEN_RE = /^\s+(?:and|&)\s+$/i;
// A vocative: ", Name" that ends its sentence, after a clause whose last word is in lower case ("… a lovely plan,
// Zephrine!"), so a place after its town ("Austin, Texas.") or a list of names ("Windows, Linux.") is none.
const VOCATIVE_BEFORE_RE = /(?:^|[^\p{L}])\p{Ll}[\p{Ll}'’-]*,\s$/u;
const VOCATIVE_AFTER_RE = /^(?:[!?.…](?:\s|$)|$)/u;
// Or after a word that opens a reply ("Absolutely, Quorvin.", "Thank you, Mirelda!").
const VOCATIVE_OPENER_RE =
  /(?:^|[.!?]\s+|\n)(?:absolutely|sure|yes|yeah|no|okay|ok|of course|thanks|thank you|hello|hi|hey|well|congratulations|exactly|indeed|right|alright|sorry|great|wonderful|perfect|good|certainly|definitely|oh|ah|wow|welcome|understood|noted|got it|good (?:morning|afternoon|evening|night)),\s$/iu;

/** Latin letters, apostrophes and hyphens (the units of a word before a name). */
function isWordUnit(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) ||
    c === 0x27 ||
    c === 0x2019 ||
    c === 0x2d
  );
}

/** A space, tab, line feed, comma, colon or full stop (what may sit between a cue word and a name). */
function isGapUnit(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 44 || c === 58 || c === 46;
}

// Beside the prevWordBits: the word less its last unit is a relation word.
const RELATION_CUT = 1 << 10;
// The length (in lower case) of the word the last wordBeforeBits looked at.
let beforeLength = 0;

/**
 * The {@link prevWordBits} of the word just before `at` (skipping spaces and one comma or colon), with
 * RELATION_CUT when the word less its last unit is a relation word ("friends"); its lower-case length is left
 * in `beforeLength`.
 */
function wordBeforeBits(t: string, at: number): number {
  let e = at;
  while (e > 0 && at - e < 4 && isGapUnit(t.charCodeAt(e - 1))) e--;
  let s = e;
  while (s > 0 && e - s < 24 && isWordUnit(t.charCodeAt(s - 1))) s--;
  const bits = prevWordBits(t, s, e);
  if (bits !== NOT_FOLDABLE) {
    beforeLength = e - s;
    return (prevWordBits(t, s, e - 1) & RELATION) !== 0 ? bits | RELATION_CUT : bits;
  }
  // A unit with no one-unit lower case ("İ"): the lower-cased string itself.
  const word = t.slice(s, e).toLowerCase();
  beforeLength = word.length;
  return prevWordBitsOf(word) | ((prevWordBitsOf(word.slice(0, -1)) & RELATION) !== 0 ? RELATION_CUT : 0);
}

/** True when a person verb sits just before a name at [start, end) or just after it ("call Soledad", "Ana said"). */
function personVerbNear(t: string, start: number, end: number, prev: number, prevLength: number): boolean {
  // "Llama a Luz", "Liga para Ana", "Zadzwoń do Ewy": a preposition may sit between the verb and the name.
  // The verb must be the word just before, one space away (not the end of the previous sentence).
  // A capitalised verb inside a line is a heading's word ("Request Backup Email Update"), not a verb.
  const spaced =
    t.charCodeAt(start - 1) === 32 &&
    !isClauseEnd(t.charCodeAt(start - 2)) &&
    !(isUpper(t.charCodeAt(start - 1 - prevLength)) && !startsSentence(t, start - 1 - prevLength));
  return (
    (spaced && (prev & VERB_BEFORE) !== 0) ||
    ((prev & VERB_PREPOSITION) !== 0 && (wordBeforeBits(t, start - prevLength - 1) & VERB_BEFORE) !== 0) ||
    // "opened by …", "signed by …": the doer of a request or a record.
    ((prev & BY) !== 0 && (wordBeforeBits(t, start - prevLength - 1) & VERB_BY) !== 0) ||
    ((wordAfterBits(t, end) & VERB_AFTER) !== 0 &&
      !POSSESSIVE_BEFORE_RE.test(t.slice(Math.max(0, start - 3), start)) &&
      PERSON_VERB_AFTER_RE.test(t.slice(end, end + 24)))
  );
}

// A capitalised run after a possessive is a thing named after someone ("Burnside's Lemma tells us").
const POSSESSIVE_BEFORE_RE = /['’]s $/;

function isClauseEnd(c: number): boolean {
  return c === 46 || c === 58 || c === 59 || c === 33 || c === 63;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** True when the word at `at` opens a sentence or a line (only spaces, quotes or brackets after its end mark). */
function startsSentence(t: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && (t.charCodeAt(k) === 32 || t.charCodeAt(k) === 34 || t.charCodeAt(k) === 40)) k--;
  return k < 0 || t.charCodeAt(k) === 10 || isClauseEnd(t.charCodeAt(k));
}

/** True when the word at `at` opens the text, a line or a sentence (after ".", "!" or "?"; not after ":"). */
function opensSentence(t: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && (t.charCodeAt(k) === 32 || t.charCodeAt(k) === 34 || t.charCodeAt(k) === 40)) k--;
  const c = t.charCodeAt(k);
  return k < 0 || c === 10 || c === 46 || c === 33 || c === 63;
}

// An e-mail address just after a name, in brackets or not: "Maryann Hessel (maryann.hessel@example.com)".
const EMAIL_AFTER_AT = /\s?[(<]?\s?([A-Za-z0-9._%+-]{3,64})@[A-Za-z0-9-]+\./y;

/**
 * The local part of the e-mail address that follows at `end` (one space and a bracket at most between), or
 * undefined; `hasAt` says whether the text holds an "@" at all (most hold none, and most runs are tried).
 */
function emailLocalAfter(t: string, end: number, hasAt: boolean): string | undefined {
  const c = t.charCodeAt(end);
  if (!hasAt || (c !== 32 && c !== 40 && c !== 60)) return undefined;
  EMAIL_AFTER_AT.lastIndex = end;
  return EMAIL_AFTER_AT.exec(t)?.[1];
}

/** The lower case of `w` without its diacritics ("Kállayová" → "kallayova"), as e-mail addresses write names. */
function plain(w: string): string {
  return w.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * True when the e-mail address after a run [from, to) spells the name: its `local` part holds two
 * of the run's words (three letters or more), or the last one (four or more: "b.ondavar", "jsmith").
 */
function emailSpells(t: string, local: string | undefined, from: number, to: number): boolean {
  if (local === undefined) return false;
  const address = plain(local);
  let held = 0;
  for (let k = from; k < to; k++) {
    const w = plain(wordOf(t, k));
    if (w.length >= 3 && address.includes(w)) {
      held++;
      if (k === to - 1 && w.length >= 4) return true;
    }
  }
  return held >= 2;
}

/** The word of token `k` (the text it covers). */
function wordOf(t: string, k: number): string {
  const { start, end } = capitalTokens();
  return t.slice(start[k], end[k]);
}

/** The words of tokens [from, to). */
function wordsOf(t: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let k = from; k < to; k++) out.push(wordOf(t, k));
  return out;
}

/** True when no token of [from, to) is a common word (lower case) or a place. */
function noneCommonOrPlace(t: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++)
    if (COMMON.has(wordOf(t, k).toLowerCase()) || ((capitalTokens().flags[k] as number) & IS_PLACE) !== 0)
      return false;
  return true;
}

/** True when every token of [from, to) is a common word or a place. */
function allCommonOrPlace(t: string, from: number, to: number): boolean {
  const { flags } = capitalTokens();
  for (let k = from; k < to; k++)
    if (!COMMON.has(wordOf(t, k).toLowerCase()) && ((flags[k] as number) & IS_PLACE) === 0) return false;
  return true;
}

// Words of a team, a service or an organisation's part ("Customer Support Team", "Release Notes"): a run holding
// one is no person after a role or before an address.
const ORG_WORDS = new Set(
  "Support Service Services Team Teams Desk Department Dept Office Group Care Relations Success Experience Portal Account Accounts Center Centre Bank Insurance Agent Agency Notes News Newsletter Billing Sales Marketing Admin Administration Operations Security Help Helpdesk Info Information Management Board Council Committee Unit Division Systems Solutions Automation Bot Robot Scheduler System Workflow Pipeline".split(
    " ",
  ),
);

/** True when some token of [from, to) is an {@link ORG_WORDS} word. */
function someOrgWord(t: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (ORG_WORDS.has(wordOf(t, k))) return true;
  return false;
}

/** True when some token of [from, to) is a place. */
function somePlace(from: number, to: number): boolean {
  const { flags } = capitalTokens();
  for (let k = from; k < to; k++) if (((flags[k] as number) & IS_PLACE) !== 0) return true;
  return false;
}

/** True when every token of [from, to) is one of the user's own names. */
function allOwn(t: string, own: ReadonlySet<string>, from: number, to: number): boolean {
  if (own.size === 0) return false;
  for (let k = from; k < to; k++) if (!own.has(wordOf(t, k))) return false;
  return true;
}

/**
 * The end of the name tokens [from, j) with the name parts that are also common words (stop words: "Brown",
 * "Summer") taken where the other part is a plain known one: a surname after a given name ("Aidan Brown"), a
 * given name before a surname inside a sentence ("… for Amber Cronin"; at a sentence start it is as often the
 * word: "Will Harris be there?"), or a surname after a title ("Dr. Brown"). Two such words together stay words
 * ("Summer Brown").
 */
function withAmbiguousParts(
  t: string,
  from: number,
  j: number,
  runEnd: number,
  titled: boolean,
  initials: number,
): number {
  const { start: tokStart, flags: tokFlags } = capitalTokens();
  if (j === from) {
    if (titled && isAmbiguousName(t, from, IS_LAST)) return from + 1;
    if (
      titled ||
      from + 1 >= runEnd ||
      !isAmbiguousName(t, from, IS_FIRST) ||
      !looksLikeName(t, from + 1) ||
      ((tokFlags[from + 1] as number) & IS_LAST) === 0 ||
      opensSentence(t, tokStart[from] as number)
    )
      return j;
    return from + 2;
  }
  if (
    j < runEnd &&
    j - from < 3 + initials &&
    ((tokFlags[j - 1] as number) & IS_FIRST) !== 0 &&
    isAmbiguousName(t, j, IS_LAST)
  )
    return j + 1;
  return j;
}

/**
 * How the conversation names the run [start, end) when no list holds it and no cue before it did, or undefined:
 * the type and rule of the name. `single` says whether the run is one word; `pairedAhead` whether the run after
 * " and " opens with a listed given name (a pair: "… with Ulvarek and Nyah", or after the last person found:
 * "… with Nyah and Ulvarek"). The units around the run are tested first: most runs are followed by a space and
 * a lower-case word, and are no cue's.
 */
function conversationCue(
  ctx: RuleContext,
  start: number,
  end: number,
  single: boolean,
  pairedAhead: () => boolean,
): readonly [string, string] | undefined {
  const t = ctx.text;
  const c = t.charCodeAt(end);
  const d = t.charCodeAt(end + 1);
  const comma = t.charCodeAt(start - 2) === 44 && t.charCodeAt(start - 1) === 32;
  // "and " or "& " just before the run.
  const andBefore =
    t.charCodeAt(start - 1) === 32 &&
    ((t.charCodeAt(start - 2) | 32) === 100 || t.charCodeAt(start - 2) === 38);
  if ((c === 44 || c === 40 || (c === 32 && d === 40)) && APPOSITION_AFTER_RE.test(t.slice(end, end + 64)))
    return ["Relationship Info", "name-apposition"];
  if ((c === 39 || c === 0x2019) && POSSESSIVE_AFTER_RE.test(t.slice(end, end + 40)))
    return ["Third-Party Identifiable Info", "name-possessive"];
  // One word: a run of words no list holds after a comma is as often a place or a term ("the southern
  // continent, Terra Australis.").
  if (single && comma && VOCATIVE_AFTER_RE.test(t.slice(end, end + 2))) {
    const before = t.slice(Math.max(0, start - 40), start);
    if (VOCATIVE_BEFORE_RE.test(before) || VOCATIVE_OPENER_RE.test(before))
      return ["Real Name", "name-vocative"];
  }
  if (andBefore) {
    const lastName = lastPersonEnd(ctx, start);
    if (
      ME_AND_BEFORE_RE.test(t.slice(Math.max(0, start - 10), start)) ||
      (lastName >= 0 && start - lastName <= 6 && PAIR_BETWEEN_RE.test(t.slice(lastName, start)))
    )
      return ["Third-Party Identifiable Info", "name-pair"];
  }
  if (c !== 32) return undefined;
  if (
    ((d | 32) === 97 || d === 38) &&
    (AND_ME_AFTER_RE.test(t.slice(end, end + 10)) ||
      pairedAhead() ||
      PAIR_DOES_RE.test(t.slice(end, end + 64)))
  )
    return ["Third-Party Identifiable Info", "name-pair"];
  if (
    d === 104 &&
    HERE_AFTER_RE.test(t.slice(end, end + 16)) &&
    (startsSentence(t, start) || /[,!]\s$/.test(t.slice(Math.max(0, start - 2), start)))
  )
    return ["Real Name", "name-here"];
  return undefined;
}

/**
 * The units around the run [start, end) that one of the shapes {@link conversationCue} knows needs: ", my" / "
 * (my" / " (my" (a possessive's first letter) or "'s " after it; " and " / " & " / " here" after it; " and " /
 * " & " before it; a comma and a space before it with the sentence's end after it. Most runs have none, and skip
 * the cue's lists and patterns.
 */
function mayBeTalk(t: string, start: number, end: number): boolean {
  const c = t.charCodeAt(end);
  // "'s " (a possessive; not "I'm", "I'll")
  if ((c === 39 || c === 0x2019) && t.charCodeAt(end + 1) === 115 && isRegExpSpace(t.charCodeAt(end + 2)))
    return true;
  if (c === 44 || c === 40) {
    let k = end + 1;
    while (k < end + 4 && isRegExpSpace(t.charCodeAt(k))) k++;
    if (isPossessiveLetter(t.charCodeAt(k))) return true;
  }
  if (c === 32) {
    // "(", "here", "and " in any case, "& ".
    const d = t.charCodeAt(end + 1) | 32;
    if (d === 40 || d === 104) return true;
    if (d === 97 && t.slice(end + 1, end + 5).toLowerCase() === "and ") return true;
    if (d === 38 && t.charCodeAt(end + 2) === 32) return true;
  }
  if (t.charCodeAt(start - 1) !== 32) return false;
  const b = t.charCodeAt(start - 2) | 32;
  if (b === 100 && t.slice(start - 5, start - 1).toLowerCase() === " and") return true;
  if (b === 38 && t.charCodeAt(start - 3) === 32) return true;
  return b === 44 && (Number.isNaN(c) || c === 33 || c === 63 || c === 46 || c === 0x2026);
}

/** The first letter of my / our / his / her / their / your, in either case. */
function isPossessiveLetter(c: number): boolean {
  const l = c | 32;
  return l === 109 || l === 111 || l === 104 || l === 116 || l === 121;
}

/**
 * The end of the last person span found so far that ends at or before `start`, or -1: the user's own name is
 * emitted first wherever it occurs, so the last span may lie after the run. Looks back over a few spans only.
 */
function lastPersonEnd(ctx: RuleContext, start: number): number {
  let best = -1;
  for (let k = ctx.out.length - 1; k >= 0 && k >= ctx.out.length - 8; k--) {
    const span = ctx.out[k] as RawSpan;
    if (span.end <= start && span.end > best && PERSON_TYPES.has(span.type)) best = span.end;
  }
  return best;
}

/** True when the run after token `j` starts just after " and " / " & " and opens with a listed given name. */
function pairedWithKnown(t: string, j: number, runs: number, r: number): boolean {
  const { start: tokStart, end: tokEnd, flags: tokFlags, runFirst } = capitalTokens();
  if (r + 1 >= runs) return false;
  const next = runFirst[r + 1] as number;
  const end = tokEnd[j - 1] as number;
  PAIR_AFTER_RE.lastIndex = end;
  const m = PAIR_AFTER_RE.exec(t);
  return (
    m !== null &&
    end + m[0].length === tokStart[next] &&
    ((tokFlags[next] as number) & (IS_FIRST | IS_PLACE | IS_PUBLIC)) === IS_FIRST &&
    !isAmbiguousName(t, next, IS_FIRST)
  );
}

/** Latin-script names (see the module comment); parts of the user's own name are left to the user-name rule. */
export function detectLatinNames(ctx: RuleContext, own: ReadonlySet<string>): void {
  try {
    decideRuns(ctx, own, capitalisedRuns(ctx.text, contextOpeners(ctx), ctx.namesHeldOut));
  } finally {
    releaseTokens();
  }
}

function decideRuns(ctx: RuleContext, own: ReadonlySet<string>, runs: number): void {
  const t = ctx.text;
  const hasAt = t.includes("@");
  const { start: tokStart, end: tokEnd, flags: tokFlags, runFirst } = capitalTokens();
  for (let r = 0; r < runs; r++) {
    const runStart = runFirst[r] as number;
    const runEnd = runFirst[r + 1] as number;
    let i = runStart;
    // Where a name starts after an opening verb or adverb (see below), or -1.
    let openedAt = -1;
    // A title opens a name: "Dr. Sarah Jenkins", "Frau Müller".
    while (i < runEnd) {
      const titled = ((tokFlags[i] as number) & IS_TITLE) !== 0 && i + 1 < runEnd;
      const from = titled ? i + 1 : i;
      // The name tokens: capitalised words that can be names, up to three.
      let j = from;
      // An initial may open a name when a name follows ("D. Tran", "J. R. Smith").
      while (
        j < runEnd &&
        j - from < 2 &&
        (tokEnd[j] as number) - (tokStart[j] as number) === 1 &&
        j + 1 < runEnd
      )
        j++;
      const initials = j - from;
      while (j < runEnd && j - from < 3 + initials && looksLikeName(t, j)) j++;
      if (j - from === initials) j = from;
      j = withAmbiguousParts(t, from, j, runEnd, titled, initials);
      // A run ending in a street type that is no surname is a street: "571 Patrick Crescent".
      if (j > from && ((tokFlags[j - 1] as number) & (IS_STREET | IS_LAST)) === IS_STREET) {
        i = j;
        continue;
      }
      if (j === from) {
        i = Math.max(i + 1, j);
        continue;
      }
      // A capitalised verb or adverb opening a sentence is no part of the name after it: a person verb ("Bel
      // Roos even op …", "Call Thandiwe") is then the name's cue, and any such word before a listed first name
      // ("Having Marco Ricci return", "Given Anna Kowalska's help") is left out, and so are a role word
      // ("Customer Quorvin Tallaby": the role is then the name's cue) and a word of no name list before a given
      // name and a surname ("Organiser Debra Bergnaum"). The run is tried again from the next word.
      if (
        !titled &&
        initials === 0 &&
        j - from >= 2 &&
        ((tokFlags[from] as number) & IS_FIRST) === 0 &&
        ((prevWordBits(t, tokStart[from] as number, tokEnd[from] as number) & (VERB_BEFORE | ROLE)) !== 0 ||
          (((tokFlags[from + 1] as number) & IS_FIRST) !== 0 &&
            (OPENING_WORD_RE.test(wordOf(t, from).toLowerCase()) ||
              // A word of no name list before a given name and a surname: "Customer Debra Bergnaum".
              (j - from >= 3 &&
                ((tokFlags[from] as number) & IS_LAST) === 0 &&
                ((tokFlags[j - 1] as number) & IS_LAST) !== 0))))
      ) {
        i = openedAt = from + 1;
        continue;
      }
      const firstStart = tokStart[from] as number;
      const lastEnd = tokEnd[j - 1] as number;
      const start = titled ? (tokStart[i] as number) : firstStart;
      i = j;
      // Cheap rejections first: most capitalised runs are no name and have no cue before them.
      const firstKnown = ((tokFlags[from] as number) & IS_FIRST) !== 0;
      const lastKnown = ((tokFlags[j - 1] as number) & IS_LAST) !== 0;
      const likely = titled || firstKnown || (initials > 0 && lastKnown);
      const prev = wordBeforeBits(t, start);
      const prevLength = beforeLength;
      const cueEnd = (prev & CUE_END) !== 0;
      const relEnd = (prev & (RELATION | RELATION_CUT)) !== 0;
      const roleEnd = (prev & ROLE) !== 0;
      // A form label ("Patient: …") or a greeting ("Hi …,") before a whole run that ends its clause. After a
      // strong label ("Name:", "Patient:") any run but one of common words and places alone is a name, famous
      // and place-like surnames included ("Anderson Dickens", "Evert Washington").
      const cue = !titled && j === runEnd ? labelCue(t, start, lastEnd) : undefined;
      if (
        cue !== undefined &&
        !allOwn(t, own, from, j) &&
        (cue.weak
          ? noneCommonOrPlace(t, from, j) &&
            ((tokFlags[j - 1] as number) & IS_PUBLIC) === 0 &&
            (firstKnown || lastKnown || nameShaped(wordsOf(t, from, j)))
          : !allCommonOrPlace(t, from, j))
      ) {
        emitName(ctx, firstStart, lastEnd, cue.type, "name-label");
        continue;
      }
      // The person-verb test is made only when a run needs it (a likely name or a cue decides without it).
      const email = emailLocalAfter(t, lastEnd, hasAt);
      const verbCue =
        likely || cueEnd || relEnd || roleEnd || email !== undefined
          ? undefined
          : personVerbNear(t, start, lastEnd, prev, prevLength);
      // Without a verb, how the conversation names the run may still decide it (conversationCue).
      const talk =
        verbCue === false &&
        !titled &&
        j === runEnd &&
        mayBeTalk(t, start, lastEnd) &&
        ((tokFlags[j - 1] as number) & IS_PUBLIC) === 0 &&
        noneCommonOrPlace(t, from, j) &&
        !someOrgWord(t, from, j) &&
        !(j - from === 1 && /ly$/.test(wordOf(t, from)))
          ? conversationCue(ctx, start, lastEnd, j - from === 1, () => pairedWithKnown(t, j, runs, r))
          : undefined;
      if (verbCue === false && talk === undefined) continue;
      const before = t.slice(Math.max(0, start - 48), start);
      const after = t.slice(lastEnd, lastEnd + 24);
      if (NOT_PERSON_AFTER.test(after) || saintBefore(t, start, before) || allOwn(t, own, from, j)) continue;
      if (talk !== undefined) {
        emitName(ctx, firstStart, lastEnd, talk[0], talk[1]);
        continue;
      }
      const known = firstKnown || (j - from >= 2 && lastKnown);
      // The cue regexes run only when the word just before could end a cue.
      const named = cueEnd ? NAMED_RE.exec(before) : null;
      if (named !== null && !titled) {
        emitName(ctx, firstStart, lastEnd, "Third-Party Identifiable Info", "name-named");
        continue;
      }
      // A role named without a possessive ("account holder Aidan Brown", "beneficiary Summer Bayer"), or a run
      // whose words the e-mail address after it spells ("Maryann Hessel (maryann.hessel@…)").
      if (
        !titled &&
        j === runEnd &&
        ((tokFlags[j - 1] as number) & IS_PUBLIC) === 0 &&
        noneCommonOrPlace(t, from, j) &&
        !someOrgWord(t, from, j) &&
        ((roleEnd && (known || j - from >= 2)) || emailSpells(t, email, from, j))
      ) {
        emitName(
          ctx,
          firstStart,
          lastEnd,
          "Third-Party Identifiable Info",
          roleEnd ? "name-role" : "name-email",
        );
        continue;
      }
      // After "my father is" a capitalised word may be a mood ("My boss is Angry today"): a name needs a listed
      // first name, a second word, or to end the clause and look like a name.
      if (
        cueEnd &&
        noneCommonOrPlace(t, from, j) &&
        (firstKnown ||
          j - from >= 2 ||
          (/^\s*(?:[,.;!?)]|$)/.test(after) && nameShaped(wordsOf(t, from, j)))) &&
        RELATION_IS_RE.test(before)
      ) {
        emitName(ctx, firstStart, lastEnd, "Relationship Info", "name-relation-is");
        continue;
      }
      const self = cueEnd ? SELF_RE.exec(before) : null;
      if (self !== null && !titled) {
        // "I'm …" needs a known name, or an uncommon word ending the clause ("I'm Eldon, …").
        const ends = /^(?:[,.!;]|\s+and\b|$)/.test(after);
        if (WEAK_SELF_RE.test(before) && !known && !(ends && !COMMON.has(wordOf(t, from).toLowerCase())))
          continue;
        emitName(ctx, firstStart, lastEnd, "Real Name", "name-self");
        continue;
      }
      const rel = relEnd ? RELATION_RE.exec(before) : null;
      if (rel !== null) {
        const relStart = start - before.length + (rel.index + rel[0].indexOf(rel[1] ?? ""));
        emitName(ctx, relStart, lastEnd, "Relationship Info", "name-relation");
        continue;
      }
      if (titled) {
        emitName(ctx, start, lastEnd, "Third-Party Identifiable Info", "name-title");
        continue;
      }
      if (initials > 0 && lastKnown) {
        emitName(ctx, firstStart, lastEnd, "Third-Party Identifiable Info", "name-initial");
        continue;
      }
      if (((tokFlags[j - 1] as number) & IS_PUBLIC) !== 0) continue;
      // A person verb beside an uncommon capitalised run: "call Soledad", "Nyasia Huel said".
      if (
        !firstKnown &&
        (verbCue ?? personVerbNear(t, start, lastEnd, prev, prevLength)) &&
        noneCommonOrPlace(t, from, j) &&
        !someOrgWord(t, from, j) &&
        j === runEnd
      ) {
        emitName(ctx, firstStart, lastEnd, "Third-Party Identifiable Info", "name-verb");
        continue;
      }
      if (!firstKnown || somePlace(from, j) || (prev & THE) !== 0) continue;
      // A name in a sentence about history or public life is a public person ("formulated by Kurt Gödel in
      // 1931", "the poet Ted Hughes").
      if (PUBLIC_CONTEXT_RE.test(t.slice(Math.max(0, start - 80), Math.min(t.length, lastEnd + 80))))
        continue;
      // Without a cue the run must be the name alone: "Earl Grey Tea", "George Town" are not people.
      if (j < runEnd || (from > runStart && from !== openedAt && !OPENERS.has(wordOf(t, from - 1)))) continue;
      if (j - from === 1) {
        // One given name alone: not a place ("in Florence"), at least three letters.
        if ((tokEnd[from] as number) - firstStart < 3 || PLACE_BEFORE_RE.test(before)) continue;
      }
      emitName(ctx, firstStart, lastEnd, "Third-Party Identifiable Info", "name-gazetteer");
    }
  }
}
