// Names of people without `user_name`, in English (and other Latin-script languages) and Chinese: cue phrases
// ("my name is", "I'm", "call me", "signed"; 我叫, 我是), titles (Mr, Dr, Frau, Mme; 先生, 女士, 医生, 老师),
// relations ("my wife X", 妻子X, 同事X), transliterated names (约翰·史密斯), and capitalised sequences that
// start with a given name from the gazetteer (public census and registry name lists, see
// scripts/gen-gazetteer.ts). The speaker's own name is Real Name; a name after a relation word is
// Relationship Info (the relation word and the name, a minimal phrase); any other name is Third-Party
// Identifiable Info. Public figures and places are not names of private persons.
import { emit, type RuleContext } from "./context.js";
import { AMBIGUOUS, COMMON_WORDS, FIRST_NAMES, SURNAMES } from "./gazetteer-data.js";
import { createSharedCjkLexicon, scanContextCjk } from "./lexicon.js";

const FIRST = new Set(FIRST_NAMES.split(" "));
const LAST = new Set(SURNAMES.split(" "));
const COMMON = new Set(COMMON_WORDS.split(" "));

// Capitalised words that are not names in running text (function words, days, months, greetings, common
// nouns and adjectives written with a capital at a sentence start or in titles).
const STOP = new Set(
  `${AMBIGUOUS} A About After Again Ah Also Although Always Am An And Any Anyway April Are As At August Autumn
Away Back Be Because Been Before Being Best Both But By Can Cheers Christmas Could Day Dear December Did Do Does
Done Dr During Each Easter Either English Even Ever Every Evening February Few Fine For Friday From Go Good Great
Had Happy Has Have He Hello Her Here Hers Hey Hi His Hope How However I If In Is It Its January July June Just
Kind King Last Let Like Lol Long Love March May Maybe Me Merry Might Monday Mine More Morning Most Mr Mrs Ms Much
Must My Never New Next Nice Night No None Nope Nor Not Note Nothing November Now October Of Oh Ok Okay Old On Once
One Only Or Other Our Out Over Perhaps Please Queen Really Regards Right Saturday See September She Should Since So
Some Sorry Soon Spring Still Summer Sunday Sure Thank Thanks That The Their Them Then There These They This Those
Though Thursday Thus Till To Today Tomorrow Tonight Too Tuesday Under Until Up Us Very Was We Wednesday Week Well
Were What When Where Which While Who Whom Why Will Winter With Without Would Wow Yeah Year Yes Yesterday Yet You
Your Yours Grace Faith Joy Dawn Rose Mark Grant Art Guy Max Ray Chance Gene Christian River Stone Sky Star Green
White Black Brown Gray Grey Young Hall Wood Park Hill Lane Page Price Royal Prince Princess Jesus Christ God Lord
Allah Buddha Ramadan Diwali German French Spanish Italian Dutch Polish British American Chinese Japanese Korean
Indian Russian Arabic Latin Catholic Muslim Jewish Hindu Junior Senior General Major Captain Server Name Human
Just Fall Hold Even Fine Golden Swift Python Java Ruby Rust Crystal Diamond Pearl Jade Amber Olive Ginger Basil
Sage Holly Ivy Lily Iris Violet Poppy Jasmine Heather Fern Hazel Willow Laurel Myrtle Rosemary Forest Nike Apple
Tesla Mercedes Porsche Ferrari Toyota Honda Amazon Google Microsoft Adobe Oracle Siri Alexa Cortana Claude Gemini
Llama Mistral Grok Copilot Chase Wells Morgan Barclays Santander Visa Mastercard Uber Lyft Airbnb Zoom Slack
Teams Office Excel Word Outlook Windows Linux Android Docker Ford Chevrolet Jeep Dodge Audi Volvo Mazda Subaru
Kia Hyundai Nissan Jaguar Bentley Rover Cadillac Buick Fiat Renault Peugeot Citroen Skoda Seat Opel Lexus Justice
Earl Tea Liberty Freedom Honor Honour Patience Mercy Harmony Destiny Trinity Genesis Oral Ocean Meadow Rain Storm Snow Street Road Avenue Station Airport Hospital Clinic
University College School Hotel Museum Church Cathedral Bank Center Centre Square Bridge Tower Castle Palace
Bay Beach Mount Lake Valley Island Islands North South East West Central Upper Lower Great Little Saint St Santa
San Il La Le Lo El Der Die Das De Het Un Una Une Ein Eine Mia Mio Mi Mis Ma Mes Mein Meine Mijn Moja Mój Meu Minha Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec`.split(
    /\s+/,
  ),
);

// Capitalised words that may open a sentence just before a name ("Dear Anna", "Yesterday Tom called").
const OPENERS = new Set(
  `A About After Also And As Ask At Because Before But By Call Dear Did Email For From Hello Hey Hi If In Met
Meet Message Of On Once Only Or Please Saw See Since So Tell Text Thanks The Then To Today Tomorrow Told Until
Well When While With Yes Yesterday`.split(/\s+/),
);

// Places that are also given names, and public figures (a name with one of these surnames, or one of these
// full names, is a public person, not a private one).
const PLACES = new Set(
  `Paris Florence Victoria Georgia Chelsea Sydney Austin Dallas Lincoln Washington London Madison Phoenix Orlando
Adelaide Charlotte Savannah Brooklyn Jordan Israel India China Asia Africa America Europe Virginia Carolina
Dakota Montana Nevada Lima Santiago Regina Alexandria Valencia Florida Houston Denver Aurora Chester
Kingston Hamilton Wellington Melbourne Perth Darwin Hobart Camden Jackson Troy Vienna Verona Siena Genoa Milan
Roma Rome Lorraine Normandy Provence Bristol York Durham Salem Eugene Marion Augusta Elizabeth Jersey Brittany
Cordoba Granada Sevilla Seville Porto Lisbon Berlin Munich Hamburg Dublin Geneva Zurich Lucerne Trieste
France Germany Spain Italy Portugal Brazil Turkey Chad Mali Niger Kenya Ghana Peru Chile Cuba Iran Iraq Oman
Qatar Japan Korea Canada Mexico Australia Austria Belgium Holland Ireland Scotland Wales England Britain Poland
Greece Egypt Morocco Tunisia Algeria Nigeria Senegal Sudan Ethiopia Somalia Uganda Tanzania Zambia Angola Norway
Sweden Finland Denmark Iceland Russia Ukraine Belarus Romania Hungary Serbia Croatia Bosnia Albania Bulgaria
Armenia Vietnam Thailand Laos Burma Nepal Bhutan Tibet Mongolia Taiwan Singapore Malaysia Indonesia Philippines`.split(
    /\s+/,
  ),
);
const PUBLIC_SURNAMES = new Set(
  `Einstein Newton Darwin Curie Shakespeare Dickens Austen Tolkien Rowling Hemingway Twain Orwell Mozart
Beethoven Bach Chopin Picasso Monet Gogh Vinci Michelangelo Napoleon Lincoln Obama Trump Biden Clinton Bush
Kennedy Reagan Nixon Roosevelt Churchill Thatcher Merkel Macron Putin Zelensky Gandhi Mandela Luther Freud Marx
Jobs Gates Musk Bezos Zuckerberg Buffett Altman Nadella Pichai Cook Dorsey Swift Beyonce Beyoncé Madonna Jackson
Presley Lennon McCartney Dylan Messi Ronaldo Federer Nadal Djokovic Jordan Bolt Phelps Serena Tesla Edison
Hawking Sagan Feynman Turing Lovelace Hopper Galilei Galileo Copernicus Kepler Plato Aristotle Socrates Confucius
Nietzsche Kant Hegel Descartes Voltaire Rousseau Hugo Tolstoy Dostoevsky Kafka Goethe Dante Cervantes Homer
Sinatra Elvis Spielberg Hitchcock Kubrick Tarantino Nolan Disney Chaplin Monroe Hepburn DiCaprio Pitt Jolie
Hanks Streep Oprah Winfrey Pope Homer Lenin Stalin Trotsky Mao Volta Ampere Ohm Faraday Maxwell Bohr
Planck Pascal Euler Gauss Riemann Hilbert Fermat Leibniz Pythagoras Euclid Archimedes Hippocrates Jung`.split(
    /\s+/,
  ),
);

// Words around a name that make it a public or historical person.
const PUBLIC_CONTEXT_RE =
  /\b(?:1[0-9]{3}|20[01][0-9])s?\b|\b(?:born|died|poet|philosopher|painter|composer|novelist|playwright|president|prime minister|king|queen|emperor|regime|dictator|mathematician|physicist|inventor|invented|century|dynasty|biography|famous|renowned|legendary|historian|leader of|reign)\b/i;

// Words after a name that make it a place or an organisation ("Victoria Station", "Grace Hospital").
const NOT_PERSON_AFTER =
  /^\s+(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Drive|Boulevard|Way|Square|Park|Station|Airport|Hospital|Clinic|University|College|School|Academy|Institute|Hotel|Museum|Gallery|Church|Cathedral|Bank|Center|Centre|Bridge|Tower|Hall|Library|Stadium|Arena|Theatre|Theater|Inc\.?|Ltd\.?|LLC|GmbH|Corp\.?|Company|Group|Foundation|Press|Records|Studios?|Cafe|Café|Restaurant|Bar|Pub|Beach|Bay|Lake|River|Mountain|Valley|Island|County|City|Province|State|Prize|Award|Act|Law|Syndrome|Disease)(?![\p{L}])/u;
// Place prepositions: "in Florence", "to Victoria" are places.
const PLACE_BEFORE_RE =
  /(?:^|[^\p{L}])(?:in|at|to|from|near|into|via|visit|visiting|visited|toward|towards|around|across|through|outside|inside|of|nach|aus|en|à|au|de|di|da|a|em|no|na|w|do|z|naar|uit)\s+$/iu;

const TITLES =
  "Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Doctor|Sir|Dame|Herr|Frau|Mme|Mlle|Monsieur|Madame|Mademoiselle|Sr|Sra|Srta|Señor|Señora|Signor|Signora|Sig|Dott|Pan|Pani|Dhr|Mevr|Nurse|Officer|Coach|Uncle|Aunt|Auntie|Grandma|Grandpa|Judge|Captain|Pastor|Father|Sister|Rabbi|Imam";
const TITLE_SET = new Set(TITLES.split("|"));
const RELATIONS =
  "wife|husband|partner|spouse|fianc[ée]e?|girlfriend|boyfriend|friend|best friend|mother|mom|mum|father|dad|son|daughter|brother|sister|child|kid|baby|grandmother|grandfather|grandma|grandpa|granddaughter|grandson|aunt|uncle|cousin|nephew|niece|mother-in-law|father-in-law|sister-in-law|brother-in-law|stepmother|stepfather|stepson|stepdaughter|colleague|coworker|co-worker|boss|manager|supervisor|assistant|neighbou?r|roommate|flatmate|housemate|landlord|landlady|tenant|classmate|teacher|tutor|student|mentor|coach|doctor|dentist|therapist|psychiatrist|psychologist|physician|surgeon|nurse|GP|lawyer|attorney|accountant|advisor|adviser|client|patient|ex|ex-wife|ex-husband|caregiver|nanny|babysitter|pastor|priest|Frau|Mann|Freund|Freundin|Bruder|Schwester|Mutter|Vater|Sohn|Tochter|Kollege|Kollegin|Chef|Chefin|Nachbar|Nachbarin|femme|mari|ami|amie|frère|sœur|mère|père|fils|fille|collègue|patron|voisin|voisine|esposa|esposo|marido|amigo|amiga|hermano|hermana|madre|padre|hijo|hija|colega|jefe|jefa|vecino|vecina|moglie|amica|fratello|sorella|figlio|figlia|collega|capo|vicino|vicina|vrouw|man|vriend|vriendin|broer|zus|moeder|vader|zoon|dochter|buurman|buurvrouw|żona|mąż|przyjaciel|przyjaciółka|brat|siostra|mama|tata|syn|córka|kolega|koleżanka|szef|sąsiad|marido|irmão|irmã|mãe|pai|filho|filha|chefe|vizinho|vizinha";
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

// Verbs whose object is a person ("call Soledad"), and verbs after a subject that is one ("… said").
const PERSON_VERB_BEFORE = new Set(
  "ruf rufe anrufen appeler appelle appelez llama llamar llame chiamare chiama chiami bel bellen zadzwoń liga ligar ligue call called calling text texted email emailed message messaged ask asked tell told remind reminded meet met thank thanked invite invited reach contact contacted ping pinged congratulate hug kiss marry married date dated phone phoned".split(
    " ",
  ),
);
// First words of PERSON_VERB_AFTER_RE: the regex runs only when the next word is one of them.
const AFTER_VERB_FIRST = new Set(
  "said says told tells asked asks replied replies wrote writes called calls texted emailed thinks thought wants wanted is will and has was lives works turned turns".split(
    " ",
  ),
);

// First letters of AFTER_VERB_FIRST (lower case): most words after a name start otherwise.
const AFTER_VERB_LETTERS = new Set([..."stracewihl"].map((c) => c.charCodeAt(0)));

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

const VERB_PREPOSITIONS = new Set(["a", "para", "do", "an", "à", "al"]);
const PERSON_VERB_AFTER_RE =
  /^(?:\s+(?:said|says|told|tells|asked|asks|replied|replies|wrote|writes|called|calls|texted|emailed|thinks|thought|wants|wanted|is\s+coming|will\s+(?:join|come|bring|call|be)|and\s+I|was\s+born|lives|works|turned|turns)\b)/;

// Last words of the self and "named" cues, and the relation words (lower case).
const CUE_END_WORDS = new Set(
  "is was 's am i'm i’m me signed regards sincerely cheers best thanks you truly named called as nicknamed appelle heiße bin llamo chiamo się é suis name".split(
    " ",
  ),
);
const RELATION_WORDS = new Set([
  ...RELATIONS.replace(/fianc\[ée\]e\?/, "fiance|fiancé|fiancee|fiancée")
    .replace(/neighbou\?r/, "neighbor|neighbour")
    .toLowerCase()
    .split("|"),
  ...TITLES.toLowerCase().split("|"),
]);
for (const w of [...RELATION_WORDS]) if (w.includes(" ")) RELATION_WORDS.add(w.split(" ").pop() ?? w);

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
const PARTICLES = new Set([
  "van",
  "von",
  "de",
  "der",
  "den",
  "da",
  "di",
  "del",
  "della",
  "du",
  "le",
  "la",
  "dos",
  "das",
  "bin",
  "ibn",
  "al",
  "el",
  "ter",
  "ten",
]);

interface Tok {
  start: number;
  end: number;
  word: string;
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

function looksLikeName(w: string): boolean {
  if (w.length < 2 || STOP.has(w) || TITLE_SET.has(w)) return false;
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
    if (prev === undefined && STOP.has(word) && !TITLE_SET.has(word)) continue;
    const tok = { start, end: start + word.length, word };
    if (prev !== undefined) {
      const gapLen = start - prev.end;
      const joined =
        (gapLen === 1 && t.charCodeAt(prev.end) === 32) ||
        (gapLen === 2 &&
          t.startsWith(". ", prev.end) &&
          (prev.word.length === 1 || TITLE_SET.has(prev.word))) ||
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

function emitName(ctx: RuleContext, start: number, end: number, type: string, rule: string): void {
  emit(ctx, start, end, type, "PL2", rule);
}

function isPublic(words: readonly string[]): boolean {
  const last = words[words.length - 1] ?? "";
  return PUBLIC_SURNAMES.has(last);
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
function detectLatinNames(ctx: RuleContext, own: ReadonlySet<string>): void {
  const t = ctx.text;
  for (const run of capitalisedRuns(t)) {
    let i = 0;
    // A title opens a name: "Dr. Sarah Jenkins", "Frau Müller".
    while (i < run.length) {
      const tok = run[i] as Tok;
      const titled = TITLE_SET.has(tok.word) && i + 1 < run.length;
      const from = titled ? i + 1 : i;
      // The name tokens: capitalised words that can be names, up to three.
      let j = from;
      // An initial may open a name when a name follows ("D. Tran", "J. R. Smith").
      while (j < run.length && j - from < 2 && isInitial((run[j] as Tok).word) && j + 1 < run.length) j++;
      const initials = j - from;
      while (j < run.length && j - from < 3 + initials && looksLikeName((run[j] as Tok).word)) j++;
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
      const likely = titled || FIRST.has(first.word) || (initials > 0 && LAST.has(lastTok.word));
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
      const known = FIRST.has(first.word) || (words.length >= 2 && LAST.has(lastTok.word));
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
      if (initials > 0 && LAST.has(lastTok.word)) {
        emitName(ctx, first.start, lastTok.end, "Third-Party Identifiable Info", "name-initial");
        continue;
      }
      if (isPublic(words)) continue;
      // A person verb beside an uncommon capitalised run: "call Soledad", "Nyasia Huel said".
      if (
        !FIRST.has(first.word) &&
        (verbCue ?? personVerbNear(t, start, lastTok.end, prevWord)) &&
        words.every((w) => !COMMON.has(w.toLowerCase()) && !PLACES.has(w)) &&
        j === run.length
      ) {
        emitName(ctx, first.start, lastTok.end, "Third-Party Identifiable Info", "name-verb");
        continue;
      }
      if (!FIRST.has(first.word) || words.some((w) => PLACES.has(w)) || prevWord === "the") continue;
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

// Chinese surnames by population (the most common single-character ones and the compound ones).
const CN_SURNAMES = new Set([
  ..."王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦付方邹孟熊秦邱尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿焦俞柳甘祝包宁尚舒阮柯纪梅童凌毕单季裴霍涂苗谷盛翁冉骆蓝辛靳柴鲍祁蒲滕屈饶牟艾尤穆卓褚娄窦戚岑佟臧闵邬卞姬栾隋甄虞敖巩佘邝鞠荆郁胥蔺阚朴",
  "欧阳",
  "司马",
  "上官",
  "诸葛",
  "东方",
  "皇甫",
  "尉迟",
  "公孙",
  "慕容",
  "长孙",
  "宇文",
  "司徒",
  "夏侯",
  "令狐",
  "端木",
  "南宫",
]);
// Characters that end a Chinese name (particles, verbs, pronouns that follow a name).
const CN_STOP = new Set([
  ..."的地得了着过是在和与跟同及或也都就还又再才很太最说讲问告诉让叫给对向把被从到去来回见看找请要想会能可已经正这那哪谁他她它我你您们吗呢吧啊呀哦嗯，。！？；：、（）《》“”‘’\"' 0123456789",
]);
const CN_TITLE_RE =
  /(?:先生|女士|小姐|太太|医生|大夫|老师|教授|经理|律师|主任|博士|院长|总监|师傅|阿姨|叔叔|同学|校长|护士|警官)/g;
// Honorifics belong to the name in the span ("王女士"); job titles do not when a given name is there.
const CN_HONORIFIC = new Set(["先生", "女士", "小姐", "太太"]);
const CN_RELATIONS =
  "男朋友|女朋友|未婚夫|未婚妻|前妻|前夫|妻子|丈夫|老公|老婆|爱人|太太|儿子|女儿|父亲|母亲|爸爸|妈妈|老爸|老妈|哥哥|姐姐|弟弟|妹妹|爷爷|奶奶|外公|外婆|姥姥|姥爷|孙子|孙女|外孙|侄子|侄女|外甥|外甥女|表哥|表姐|表弟|表妹|堂哥|堂姐|堂弟|堂妹|叔叔|阿姨|舅舅|姑姑|姨妈|岳父|岳母|公公|婆婆|女婿|儿媳|同事|朋友|好友|闺蜜|室友|邻居|上司|老板|领导|下属|客户|同学|导师|学生|助理|秘书|医生|主治医生|心理医生|治疗师|律师|房东|保姆";
const CN_REL_LEXICON = createSharedCjkLexicon(CN_RELATIONS.split("|"));
const CN_SELF_RE = /我叫|我的名字是|我的名字叫|我名叫|本人叫|本人是|我是|鄙人/g;
const CN_NAMED_RE = /名叫|叫做|名字是|名字叫|的名字|署名/g;
// Characters used to transliterate foreign names (a name written 约翰·史密斯 is made of them).
const TRANSLIT =
  "阿埃艾爱安昂翰迦倩婕姆妲莉蓓瑶璐缇奥澳巴拜班邦保鲍贝本比彼毕宾滨波玻伯勃博布查达大戴丹道德登迪蒂丁东杜敦顿多朵俄厄恩尔法凡范菲斐费芬丰冯弗伏福夫富盖甘冈高戈哥格葛根贡古瓜圭哈海汉豪浩赫黑亨洪侯胡华怀霍基吉加佳贾杰捷金卡凯坎康考柯科可克肯库夸奎昆拉莱赖兰朗劳勒雷蕾黎里理丽利莉连莲林琳灵留柳隆卢鲁路露伦罗洛吕马玛迈麦曼芒梅美蒙孟米密敏明缪摩莫默姆穆纳娜奈南楠内尼妮宁纽努诺欧帕派潘庞佩彭皮珀普齐奇琪恰乔切钦琼丘热荣茹瑞若萨塞赛桑瑟森莎沙珊尚舍什施石史士丝斯松苏索塔泰坦汤唐陶特提汀廷图托瓦万旺威韦维卫温文翁沃乌伍武西希锡夏仙香谢辛欣休许雅亚扬耶叶伊依因殷英尤于宇约泽扎詹珍朱卓兹佐娅黛茜薇妮";
const TRANSLIT_RUN_RE = new RegExp(`^[${TRANSLIT}]{2,4}`);
const CJK_RUN_DOT_RE = new RegExp(`[${TRANSLIT}]{1,5}(?:[·•・][${TRANSLIT}]{1,5}){1,3}`, "g");

function isCjk(c: number): boolean {
  return c >= 0x4e00 && c <= 0x9fff;
}

function hasStopChar(t: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (CN_STOP.has(t.charAt(k))) return true;
  return false;
}

/** Length of a surname starting at `i` (2 for compound ones), or 0. */
function surnameAt(t: string, i: number): number {
  if (CN_SURNAMES.has(t.slice(i, i + 2))) return 2;
  return CN_SURNAMES.has(t.charAt(i)) ? 1 : 0;
}

// Time words that often follow a name ("王明明天来" is 王明 + 明天): a name stops before them.
const CN_TIME_WORDS = [
  "明天",
  "今天",
  "昨天",
  "后天",
  "前天",
  "上午",
  "下午",
  "晚上",
  "早上",
  "中午",
  "今晚",
  "明早",
];

/** A surname-led Chinese name at `i`: the surname and one or two more characters (until a stop char). */
function cnNameAt(t: string, i: number): number {
  const s = surnameAt(t, i);
  if (s === 0) return 0;
  let j = i + s;
  while (
    j < t.length &&
    j - i - s < 2 &&
    isCjk(t.charCodeAt(j)) &&
    !CN_STOP.has(t.charAt(j)) &&
    !CN_TIME_WORDS.some((w) => t.startsWith(w, j))
  )
    j++;
  return j - i - s >= 1 ? j - i : 0;
}

/** A Latin-script name run glued to Chinese text at `i` ("Marie", "Ji-young Kim"): its end, or `i`. */
function latinNameAt(t: string, i: number): number {
  const m = /^\p{Lu}\p{Ll}+(?:[- ]\p{Lu}?\p{Ll}+){0,2}/u.exec(t.slice(i, i + 40));
  if (m === null || STOP.has(m[0])) return i;
  return i + m[0].length;
}

/** A name right after a cue at `i`: surname-led, transliterated with dots, or Latin. Returns its end. */
function nameAfterCue(t: string, i: number): number {
  const window = t.slice(i, i + 30);
  if (window.includes("·") || window.includes("•") || window.includes("・")) {
    CJK_RUN_DOT_RE.lastIndex = 0;
    const dotted = CJK_RUN_DOT_RE.exec(window);
    if (dotted?.index === 0) return i + dotted[0].length;
  }
  // A transliterated name without dots after a relation word ("朋友大卫，"), two to four characters.
  const plain = TRANSLIT_RUN_RE.exec(t.slice(i, i + 5));
  if (plain !== null && (i + plain[0].length >= t.length || CN_STOP.has(t.charAt(i + plain[0].length))))
    return i + plain[0].length;
  const latin = latinNameAt(t, i);
  if (latin > i) return latin;
  const n = cnNameAt(t, i);
  return i + n;
}

/** Chinese names (see the module comment). */
function detectChineseNames(ctx: RuleContext, own: ReadonlySet<string>): void {
  const t = ctx.text;
  const dots = t.includes("·") || t.includes("•") || t.includes("・");
  for (const m of dots ? t.matchAll(CJK_RUN_DOT_RE) : [])
    emitName(ctx, m.index, m.index + m[0].length, "Third-Party Identifiable Info", "name-zh-dotted");
  CN_SELF_RE.lastIndex = 0;
  for (let m = CN_SELF_RE.exec(t); m !== null; m = CN_SELF_RE.exec(t)) {
    const at = m.index + m[0].length;
    const end = nameAfterCue(t, at);
    if (end > at) emitName(ctx, at, end, "Real Name", "name-zh-self");
  }
  CN_NAMED_RE.lastIndex = 0;
  for (let m = CN_NAMED_RE.exec(t); m !== null; m = CN_NAMED_RE.exec(t)) {
    let at = m.index + m[0].length;
    while (at < t.length && (t.charAt(at) === " " || t.charAt(at) === "是" || t.charAt(at) === "：")) at++;
    if (t.slice(m.index - 1, m.index) === "我" || t.slice(m.index - 2, m.index) === "我的") continue;
    const end = nameAfterCue(t, at);
    if (end > at && !own.has(t.slice(at, end)))
      emitName(ctx, at, end, "Third-Party Identifiable Info", "name-zh-named");
  }
  scanContextCjk(ctx, CN_REL_LEXICON, (relStart, relEnd) => {
    let at = relEnd;
    while (at < t.length && (t.charAt(at) === " " || t.charAt(at) === "，" || t.charAt(at) === ",")) at++;
    const end = nameAfterCue(t, at);
    if (end > at) emitName(ctx, relStart, end, "Relationship Info", "name-zh-relation");
  });
  CN_TITLE_RE.lastIndex = 0;
  for (let m = CN_TITLE_RE.exec(t); m !== null; m = CN_TITLE_RE.exec(t)) {
    const titleEnd = m.index + m[0].length;
    // A Latin name before the title ("Marie女士").
    // A Latin name ends just before the title (or one space before it).
    const k = t.charAt(m.index - 1) === " " ? m.index - 2 : m.index - 1;
    const glued = k >= 0 ? t.charAt(k) : "";
    const latin = !/[a-z]/.test(glued)
      ? null
      : /(\p{Lu}\p{Ll}+(?:[- ]\p{Lu}\p{Ll}+){0,2}) ?$/u.exec(t.slice(Math.max(0, m.index - 30), m.index));
    if (latin?.[1] !== undefined && !STOP.has(latin[1])) {
      if (latin[1].split(/[- ]/).every((w) => own.has(w))) continue;
      const start = m.index - latin[0].length;
      emitName(
        ctx,
        start,
        CN_HONORIFIC.has(m[0]) ? titleEnd : start + latin[1].length,
        "Third-Party Identifiable Info",
        "name-zh-title",
      );
      continue;
    }
    // The earliest surname within three characters before the title ("韩雪梅医生", "王医生").
    let start = -1;
    for (let k = Math.max(0, m.index - 3); k < m.index; k++) {
      if (surnameAt(t, k) > 0 && !hasStopChar(t, k, m.index)) {
        start = k;
        break;
      }
    }
    if (start < 0) continue;
    const short = m.index - start <= surnameAt(t, start);
    const end = CN_HONORIFIC.has(m[0]) || short ? titleEnd : m.index;
    emitName(ctx, start, end, "Third-Party Identifiable Info", "name-zh-title");
  }
}

/**
 * Finds names of people (Real Name / Relationship Info / Third-Party Identifiable Info, PL2). Parts of
 * `userName` alone ("Jean-Baptiste" of "Jean-Baptiste Dubois") are not reported: the user-name rule owns
 * the user's name.
 */
export function detectPeople(ctx: RuleContext, userName?: string): void {
  const own = new Set(
    userName === undefined ? [] : [userName.trim(), ...userName.split(/[\s·•・]+/).filter((w) => w !== "")],
  );
  if (ctx.hasUpper) detectLatinNames(ctx, own);
  if (ctx.hasCjk) detectChineseNames(ctx, own);
}
