// Names in Latin-script text (people.ts): capitalised runs of words, opened by a title or an initial, decided
// by a cue before them (self, "named", a relation word), a person verb beside them, or a given name of the
// gazetteer; places, organisations and public figures are left alone.
import type { RuleContext } from "./context.js";
import {
  AFTER_VERB_FIRST,
  AFTER_VERB_LETTERS,
  COMMON,
  CUE_END_WORDS,
  emitName,
  IS_FIRST,
  IS_LAST,
  IS_PLACE,
  IS_PUBLIC,
  IS_STOP,
  IS_TITLE,
  OPENERS,
  PARTICLES,
  PERSON_VERB_BEFORE,
  RELATION_WORDS,
  RELATIONS,
  TITLES,
  VERB_PREPOSITIONS,
  wordFlags,
} from "./people-words.js";

// Words around a name that make it a public or historical person.
const PUBLIC_CONTEXT_RE =
  /\b(?:1[0-9]{3}|20[01][0-9])s?\b|\b(?:born|died|poet|philosopher|painter|composer|novelist|playwright|president|prime minister|king|queen|emperor|regime|dictator|mathematician|physicist|inventor|invented|century|dynasty|biography|famous|renowned|legendary|historian|leader of|reign)\b/i;

// Words after a name that make it a place or an organisation ("Victoria Station", "Grace Hospital").
const NOT_PERSON_AFTER =
  /^\s+(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Drive|Boulevard|Way|Square|Park|Station|Airport|Hospital|Clinic|University|College|School|Academy|Institute|Hotel|Museum|Gallery|Church|Cathedral|Bank|Center|Centre|Bridge|Tower|Hall|Library|Stadium|Arena|Theatre|Theater|Inc\.?|Ltd\.?|LLC|GmbH|Corp\.?|Company|Group|Foundation|Press|Records|Studios?|Cafe|Café|Restaurant|Bar|Pub|Beach|Bay|Lake|River|Mountain|Valley|Island|County|City|Province|State|Prize|Award|Act|Law|Syndrome|Disease)(?![\p{L}])/u;
// Place prepositions: "in Florence", "to Victoria" are places.
const PLACE_BEFORE_RE =
  /(?:^|[^\p{L}])(?:in|at|to|from|near|into|via|visit|visiting|visited|toward|towards|around|across|through|outside|inside|of|nach|aus|en|à|au|de|di|da|a|em|no|na|w|do|z|naar|uit)\s+$/iu;

// "my wife, Anna", "our son Tom", "your father Dragan"; the possessive is not part of the span.
const RELATION_RE = new RegExp(
  `(?:^|[^\\p{L}])(?:my|our|his|her|their|your|mein|meine|meinem|meiner|unser|unsere|mon|ma|notre|mi|mis|nuestro|nuestra|mio|mia|il\\s+mio|la\\s+mia|mijn|onze|moja|mój|moj|nasz|nasza|meu|minha|o\\s+meu|a\\s+minha)\\s+(?:(?:late|dear|older|younger|little|big|elder|new|old|former|family|best|close|good)\\s+)?((?:${RELATIONS}))s?,?\\s+(?:(?:${TITLES})\\.?\\s+)?$`,
  "iu",
);
// The speaker names themself ("My name is …", "I'm …", "call me …", "signed, …").
const SELF_RE =
  /(?:^|[^\p{L}])(?:my\s+(?:full\s+|real\s+|first\s+|legal\s+)?name(?:\s+is|'s|:)|i\s+am|i'm|i’m|call\s+me|signed,?|yours\s+(?:truly|sincerely),?|(?:best|kind|warm)?\s*regards,?|sincerely,?|cheers,?|best,?|thanks,?|thank\s+you,?|je\s+m'appelle|ich\s+heiße|ich\s+bin|me\s+llamo|mi\s+chiamo|mijn\s+naam\s+is|nazywam\s+się|meu\s+nome\s+é|je\s+suis)\s*$/iu;
// Someone else named: "his name is …", "a friend named …", "called …".
const NAMED_RE =
  /(?:^|[^\p{L}])(?:(?:his|her|their|whose|(?:\p{L}+['’]s))\s+(?:full\s+|first\s+|last\s+)?name\s+(?:is|was)|named|called|known\s+as|nicknamed|s'appelle|heißt|se\s+llama|si\s+chiama)\s*$/iu;
// Self cues that need a known given name or a surname after them ("I'm Tired" is no name).
const WEAK_SELF_RE = /(?:i\s+am|i'm|i’m|ich\s+bin|je\s+suis|cheers,?|best,?|thanks,?|thank\s+you,?)\s*$/iu;

/** The lower-case ASCII word after one space at `at`, or "" (also when it cannot be a verb of the list). */
function wordAfter(t: string, at: number): string {
  if (t.charCodeAt(at) !== 32 || !AFTER_VERB_LETTERS.has(t.charCodeAt(at + 1))) return "";
  let e = at + 1;
  while (e < t.length && e - at < 12) {
    const c = t.charCodeAt(e);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) break;
    e++;
  }
  return t.slice(at + 1, e).toLowerCase();
}

const PERSON_VERB_AFTER_RE =
  /^(?:\s+(?:said|says|told|tells|asked|asks|replied|replies|wrote|writes|called|calls|texted|emailed|thinks|thought|wants|wanted|is\s+coming|will\s+(?:join|come|bring|call|be)|and\s+I|was\s+born|lives|works|turned|turns)\b)/;

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

/** The word just before `at` (lower case), skipping spaces and one comma or colon; "" when none. */
function wordBefore(t: string, at: number): string {
  let e = at;
  while (e > 0 && at - e < 4 && " \t\n,:.".includes(t.charAt(e - 1))) e--;
  let s = e;
  while (s > 0 && e - s < 24 && isWordUnit(t.charCodeAt(s - 1))) s--;
  return t.slice(s, e).toLowerCase();
}

// A capitalised word (letters, inner apostrophe or hyphen); the left edge is checked by hand.
const CAP_RE =
  /[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F][A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F]*(?:['’][A-Za-z\u00C0-\u024F]+)?(?:-[A-Z\u00C0-\u00DE]?[a-z\u00DF-\u00F6\u00F8-\u024F]+)?/g;

interface Tok {
  start: number;
  end: number;
  word: string;
  /** {@link wordFlags} of the word. */
  flags: number;
}

/** True for a unit that glues a capital to the word before it: Latin letters, digits, _ @ . / and marks. */
function gluedBefore(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) ||
    (c >= 0x300 && c <= 0x36f) ||
    c === 0x5f ||
    c === 0x40 ||
    c === 0x2e ||
    c === 0x2f
  );
}

function isInitial(w: string): boolean {
  return w.length === 1;
}

const CONTRACTION_RE = /['’](?:m|re|ve|d|ll|t)$/;

function looksLikeName(tok: Tok): boolean {
  const w = tok.word;
  if (w.length < 2 || (tok.flags & (IS_STOP | IS_TITLE)) !== 0) return false;
  const c0 = w.charCodeAt(0);
  const c1 = w.charCodeAt(1);
  // A capital first; mixed case like "McDonald" is fine, all capitals ("NASA", "OK") is not a name here.
  if ((c0 >= 97 && c0 <= 122) || (c1 >= 65 && c1 <= 90)) return false;
  if (c0 > 0x7f && w.charAt(0) === w.charAt(0).toLowerCase()) return false;
  return w.indexOf("'") < 0 && w.indexOf("’") < 0 ? true : !CONTRACTION_RE.test(w);
}

/** Capitalised tokens of the text, grouped into runs joined by one space (or a particle, or "J. "). */
function capitalisedRuns(t: string): Tok[][] {
  const runs: Tok[][] = [];
  let run: Tok[] = [];
  CAP_RE.lastIndex = 0;
  for (let m = CAP_RE.exec(t); m !== null; m = CAP_RE.exec(t)) {
    const start = m.index;
    // Latin letters and digits before it make it part of a word; Chinese characters do not ("妻子Marie").
    if (start > 0 && gluedBefore(t.charCodeAt(start - 1))) continue;
    // Followed by a digit or "_" it is an identifier or a secret ("Hunter2!", "Alice_01").
    const after = t.charCodeAt(start + m[0].length);
    if ((after >= 48 && after <= 57) || after === 95 || after === 64) continue;
    // A possessive is not part of the name ("Dragan's").
    const len = m[0].length;
    const apo = len > 2 && m[0].charCodeAt(len - 1) === 115 ? m[0].charCodeAt(len - 2) : 0;
    const word = apo === 0x27 || apo === 0x2019 ? m[0].slice(0, -2) : m[0];
    const prev = run[run.length - 1];
    // A run never starts with a common word ("The", "Yesterday"): those are dropped at once.
    const flags = wordFlags(word);
    if (prev === undefined && (flags & (IS_STOP | IS_TITLE)) === IS_STOP) continue;
    const tok = { start, end: start + word.length, word, flags };
    if (prev !== undefined) {
      const gapLen = start - prev.end;
      const joined =
        (gapLen === 1 && t.charCodeAt(prev.end) === 32) ||
        (gapLen === 2 &&
          t.startsWith(". ", prev.end) &&
          (prev.word.length === 1 || (prev.flags & IS_TITLE) !== 0)) ||
        (gapLen >= 4 &&
          gapLen <= 7 &&
          run.length < 4 &&
          PARTICLES.has(t.slice(prev.end, start).trim()) &&
          t.charCodeAt(prev.end) === 32 &&
          t.charCodeAt(start - 1) === 32);
      if (!joined || run.length >= 4) {
        runs.push(run);
        run = [];
      }
    }
    run.push(tok);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function isPublic(last: Tok): boolean {
  return (last.flags & IS_PUBLIC) !== 0;
}

/** True when a person verb sits just before a name at [start, end) or just after it ("call Soledad", "Ana said"). */
function personVerbNear(t: string, start: number, end: number, prevWord: string): boolean {
  // "Llama a Luz", "Liga para Ana", "Zadzwoń do Ewy": a preposition may sit between the verb and the name.
  // The verb must be the word just before, one space away (not the end of the previous sentence).
  const spaced = t.charCodeAt(start - 1) === 32 && t.charCodeAt(start - 2) !== 46;
  return (
    (spaced && PERSON_VERB_BEFORE.has(prevWord)) ||
    (VERB_PREPOSITIONS.has(prevWord) && PERSON_VERB_BEFORE.has(wordBefore(t, start - prevWord.length - 1))) ||
    (AFTER_VERB_FIRST.has(wordAfter(t, end)) && PERSON_VERB_AFTER_RE.test(t.slice(end, end + 24)))
  );
}

/** Latin-script names (see the module comment); parts of the user's own name are left to the user-name rule. */
export function detectLatinNames(ctx: RuleContext, own: ReadonlySet<string>): void {
  const t = ctx.text;
  for (const run of capitalisedRuns(t)) {
    let i = 0;
    // A title opens a name: "Dr. Sarah Jenkins", "Frau Müller".
    while (i < run.length) {
      const tok = run[i] as Tok;
      const titled = (tok.flags & IS_TITLE) !== 0 && i + 1 < run.length;
      const from = titled ? i + 1 : i;
      // The name tokens: capitalised words that can be names, up to three.
      let j = from;
      // An initial may open a name when a name follows ("D. Tran", "J. R. Smith").
      while (j < run.length && j - from < 2 && isInitial((run[j] as Tok).word) && j + 1 < run.length) j++;
      const initials = j - from;
      while (j < run.length && j - from < 3 + initials && looksLikeName(run[j] as Tok)) j++;
      if (j - from === initials) j = from;
      if (j === from) {
        i = Math.max(i + 1, j);
        continue;
      }
      const first = run[from] as Tok;
      const lastTok = run[j - 1] as Tok;
      const start = titled ? tok.start : first.start;
      i = j;
      // Cheap rejections first: most capitalised runs are no name and have no cue before them.
      const firstKnown = (first.flags & IS_FIRST) !== 0;
      const lastKnown = (lastTok.flags & IS_LAST) !== 0;
      const likely = titled || firstKnown || (initials > 0 && lastKnown);
      const prevWord = wordBefore(t, start);
      const cueEnd = CUE_END_WORDS.has(prevWord);
      const relEnd = RELATION_WORDS.has(prevWord) || RELATION_WORDS.has(prevWord.slice(0, -1));
      // The person-verb test is made only when a run needs it (a likely name or a cue decides without it).
      const verbCue =
        likely || cueEnd || relEnd ? undefined : personVerbNear(t, start, lastTok.end, prevWord);
      if (verbCue === false) continue;
      const words = run.slice(from, j).map((n) => n.word);
      const before = t.slice(Math.max(0, start - 48), start);
      const after = t.slice(lastTok.end, lastTok.end + 24);
      if (NOT_PERSON_AFTER.test(after) || words.every((w) => own.has(w))) continue;
      const known = firstKnown || (words.length >= 2 && lastKnown);
      // The cue regexes run only when the word just before could end a cue.
      const named = cueEnd ? NAMED_RE.exec(before) : null;
      if (named !== null && !titled) {
        emitName(ctx, first.start, lastTok.end, "Third-Party Identifiable Info", "name-named");
        continue;
      }
      const self = cueEnd ? SELF_RE.exec(before) : null;
      if (self !== null && !titled) {
        // "I'm …" needs a known name, or an uncommon word ending the clause ("I'm Eldon, …").
        const ends = /^(?:[,.!;]|\s+and\b|$)/.test(after);
        if (WEAK_SELF_RE.test(before) && !known && !(ends && !COMMON.has(first.word.toLowerCase()))) continue;
        emitName(ctx, first.start, lastTok.end, "Real Name", "name-self");
        continue;
      }
      const rel = relEnd ? RELATION_RE.exec(before) : null;
      if (rel !== null) {
        const relStart = start - before.length + (rel.index + rel[0].indexOf(rel[1] ?? ""));
        emitName(ctx, relStart, lastTok.end, "Relationship Info", "name-relation");
        continue;
      }
      if (titled) {
        emitName(ctx, start, lastTok.end, "Third-Party Identifiable Info", "name-title");
        continue;
      }
      if (initials > 0 && lastKnown) {
        emitName(ctx, first.start, lastTok.end, "Third-Party Identifiable Info", "name-initial");
        continue;
      }
      if (isPublic(lastTok)) continue;
      // A person verb beside an uncommon capitalised run: "call Soledad", "Nyasia Huel said".
      if (
        !firstKnown &&
        (verbCue ?? personVerbNear(t, start, lastTok.end, prevWord)) &&
        run.slice(from, j).every((n) => !COMMON.has(n.word.toLowerCase()) && (n.flags & IS_PLACE) === 0) &&
        j === run.length
      ) {
        emitName(ctx, first.start, lastTok.end, "Third-Party Identifiable Info", "name-verb");
        continue;
      }
      if (!firstKnown || run.slice(from, j).some((n) => (n.flags & IS_PLACE) !== 0) || prevWord === "the")
        continue;
      // A name in a sentence about history or public life is a public person ("formulated by Kurt Gödel in
      // 1931", "the poet Ted Hughes").
      if (PUBLIC_CONTEXT_RE.test(t.slice(Math.max(0, start - 80), Math.min(t.length, lastTok.end + 80))))
        continue;
      // Without a cue the run must be the name alone: "Earl Grey Tea", "George Town" are not people.
      const prevTok = from > 0 ? run[from - 1] : undefined;
      if (j < run.length || (prevTok !== undefined && !OPENERS.has(prevTok.word))) continue;
      if (words.length === 1) {
        // One given name alone: not a place ("in Florence"), at least three letters.
        if (first.word.length < 3 || PLACE_BEFORE_RE.test(before)) continue;
      }
      emitName(ctx, first.start, lastTok.end, "Third-Party Identifiable Info", "name-gazetteer");
    }
  }
}
