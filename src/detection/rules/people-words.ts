// Word lists of the people rules (people.ts): given names, surnames and common words from the gazetteer,
// capitalised words that are no names, places and public figures, titles, relation words, person verbs and
// the particles inside names; and the one way a name span is emitted.
import { emit, type RuleContext } from "./context.js";
import {
  AMBIGUOUS,
  COMMON_WORDS,
  FIRST_NAMES,
  FIRST_NAMES_HELD_OUT,
  SURNAMES,
  STREET_AFTER,
  SURNAMES_HELD_OUT,
} from "./gazetteer-data.js";
import { createWordTable, lowerWordValueAt, wordValueAt } from "./word-table.js";

const HELD_OUT = new Set([...FIRST_NAMES_HELD_OUT.split(" "), ...SURNAMES_HELD_OUT.split(" ")]);
const FIRST = new Set([...FIRST_NAMES.split(" "), ...FIRST_NAMES_HELD_OUT.split(" ")]);
const LAST = new Set([...SURNAMES.split(" "), ...SURNAMES_HELD_OUT.split(" ")]);
export const COMMON = new Set(COMMON_WORDS.split(" "));

// Capitalised words that are not names in running text (function words, days, months, greetings, common
// nouns and adjectives written with a capital at a sentence start or in titles).
export const STOP = new Set(
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
Delta Emirates Lufthansa Ryanair Qantas Islam Valid
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
export const OPENERS = new Set(
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
Armenia Vietnam Thailand Laos Burma Nepal Bhutan Tibet Mongolia Taiwan Singapore Malaysia Indonesia Philippines
Mecca`.split(/\s+/),
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

export const TITLES =
  "Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Doctor|Sir|Dame|Herr|Frau|Mme|Mlle|Monsieur|Madame|Mademoiselle|Sr|Sra|Srta|Señor|Señora|Signor|Signora|Sig|Dott|Pan|Pani|Dhr|Mevr|Nurse|Officer|Coach|Uncle|Aunt|Auntie|Grandma|Grandpa|Judge|Captain|Pastor|Father|Sister|Rabbi|Imam";
const TITLE_SET = new Set(TITLES.split("|"));
export const RELATIONS =
  "wife|husband|partner|spouse|fianc[ée]e?|parent|grandparent|sibling|twin|stepbrother|stepsister|girlfriend|boyfriend|friend|best friend|mother|mom|mum|father|dad|son|daughter|brother|sister|child|kid|baby|grandmother|grandfather|grandma|grandpa|granddaughter|grandson|aunt|uncle|cousin|nephew|niece|mother-in-law|father-in-law|sister-in-law|brother-in-law|stepmother|stepfather|stepson|stepdaughter|colleague|coworker|co-worker|boss|manager|supervisor|assistant|neighbou?r|roommate|flatmate|housemate|landlord|landlady|tenant|classmate|teacher|tutor|student|mentor|coach|doctor|dentist|therapist|psychiatrist|psychologist|physician|surgeon|nurse|GP|lawyer|attorney|accountant|advisor|adviser|client|patient|ex|ex-wife|ex-husband|caregiver|nanny|babysitter|pastor|priest|Frau|Mann|Freund|Freundin|Bruder|Schwester|Mutter|Vater|Sohn|Tochter|Kollege|Kollegin|Chef|Chefin|Nachbar|Nachbarin|femme|mari|ami|amie|frère|sœur|mère|père|fils|fille|collègue|patron|voisin|voisine|esposa|esposo|marido|amigo|amiga|hermano|hermana|madre|padre|hijo|hija|colega|jefe|jefa|vecino|vecina|moglie|amica|fratello|sorella|figlio|figlia|collega|capo|vicino|vicina|vrouw|man|vriend|vriendin|broer|zus|moeder|vader|zoon|dochter|buurman|buurvrouw|żona|mąż|przyjaciel|przyjaciółka|brat|siostra|mama|tata|syn|córka|kolega|koleżanka|szef|sąsiad|marido|irmão|irmã|mãe|pai|filho|filha|chefe|vizinho|vizinha";

// Verbs whose object is a person ("call Soledad"), and verbs after a subject that is one ("… said").
export const PERSON_VERB_BEFORE = new Set(
  "ruf rufe anrufen appeler appelle appelez llama llamar llame chiamare chiama chiami bel bellen zadzwoń liga ligar ligue call called calling text texted email emailed message messaged ask asked asking tell told telling remind reminded meet met meeting thank thanked invite invited reach contact contacted ping pinged congratulate hug kiss marry married date dated phone phoned spoke speak speaking talked talk talking chatted chat wrote write replied reply".split(
    " ",
  ),
);
// Verbs of a request or a record whose doer, after "by", is a person ("opened by …", "signed by …"); not
// authorship ("written by", "painted by"), where the doer is as often a public figure.
export const BY_VERBS = new Set(
  "opened submitted reported requested approved signed sent filed raised booked placed ordered paid authorised authorized issued assigned created updated cancelled canceled closed received".split(
    " ",
  ),
);
// Roles a person is named by without a possessive: "account holder …", "beneficiary …", "customer …".
export const ROLE_WORDS = new Set(
  "holder cardholder beneficiary recipient payee payer customer client passenger guest applicant policyholder addressee attendee candidate consignee tenant patient".split(
    " ",
  ),
);
// First words of PERSON_VERB_AFTER_RE: the regex runs only when the next word is one of them.
export const AFTER_VERB_FIRST = new Set(
  "said says told tells asked asks replied replies wrote writes called calls texted emailed thinks thought wants wanted is will and has was lives works turned turns moved would loves hates misses passed got".split(
    " ",
  ),
);

// First letters of AFTER_VERB_FIRST (lower case): most words after a name start otherwise.
export const AFTER_VERB_LETTERS = new Set([..."stracewihlmpg"].map((c) => c.charCodeAt(0)));

export const VERB_PREPOSITIONS = new Set(["a", "para", "do", "an", "à", "al", "to", "with"]);

// Last words of the self and "named" cues, and the relation words (lower case).
export const CUE_END_WORDS = new Set(
  "is was 's am i'm i’m me signed regards sincerely cheers best thanks you truly named called as nicknamed appelle m'appelle m’appelle heiße bin llamo chiamo się é suis name es est ist è heet chamo".split(
    " ",
  ),
);
export const RELATION_WORDS = new Set([
  ...RELATIONS.replace(/fianc\[ée\]e\?/, "fiance|fiancé|fiancee|fiancée")
    .replace(/neighbou\?r/, "neighbor|neighbour")
    .toLowerCase()
    .split("|"),
  ...TITLES.toLowerCase().split("|"),
]);
for (const w of [...RELATION_WORDS]) if (w.includes(" ")) RELATION_WORDS.add(w.split(" ").pop() ?? w);
// A relation word written with a capital (every German noun, or a sentence's first word: "Mein Kollege Mattis
// Kulma", "Mother said") is no part of the name after it: the name is decided with the relation before it.
// Relation words that are also listed names ("Mann") stay names.
for (const w of RELATION_WORDS) {
  const cap = w.charAt(0).toUpperCase() + w.slice(1);
  if (!w.includes(" ") && !FIRST.has(cap) && !LAST.has(cap) && !TITLE_SET.has(cap)) STOP.add(cap);
}

export const PARTICLES = new Set([
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

/** The span types of a person the people rules emit (other families look for them beside their own values). */
export const PERSON_TYPES: ReadonlySet<string> = new Set([
  "Real Name",
  "Third-Party Identifiable Info",
  "Relationship Info",
]);

/** Emits a name span (PL2) of `type` found by `rule`. */
export function emitName(ctx: RuleContext, start: number, end: number, type: string, rule: string): void {
  emit(ctx, start, end, type, "PL2", rule);
}

/** Bits of {@link wordFlags}: which of the capitalised-word lists hold a word. */
export const IS_STOP = 1;
export const IS_TITLE = 2;
export const IS_FIRST = 4;
export const IS_LAST = 8;
export const IS_PLACE = 16;
export const IS_PUBLIC = 32;
/** The name is in the gazetteer's held-out fifth (scripts/lib/name-holdout.ts): not known when names are held out. */
export const IS_HELD_OUT = 64;
/** A street type written after the name ("Crescent", "Lane"): a run ending in one that is no surname is a street. */
export const IS_STREET = 128;

// One table for every list a capitalised token is looked up in: one probe per token instead of one per list
// (the given-name and surname lists are large, and every capitalised word of a text is looked up).
const WORD_FLAGS = new Map<string, number>();
for (const [set, bit] of [
  [STOP, IS_STOP],
  [TITLE_SET, IS_TITLE],
  [FIRST, IS_FIRST],
  [LAST, IS_LAST],
  [PLACES, IS_PLACE],
  [PUBLIC_SURNAMES, IS_PUBLIC],
  [HELD_OUT, IS_HELD_OUT],
  [new Set(STREET_AFTER.split(" ")), IS_STREET],
] as const)
  for (const w of set) WORD_FLAGS.set(w, (WORD_FLAGS.get(w) ?? 0) | bit);

/** Which lists hold `word` (case-sensitive), as IS_* bits; 0 for none. */
export function wordFlags(word: string): number {
  return WORD_FLAGS.get(word) ?? 0;
}

// The same table probed where a capitalised token stands (word-table.ts): every capitalised word of a text is
// looked up, and a substring plus a Map probe per word cost more than the rest of the rule.
const FLAGS_TABLE = createWordTable(WORD_FLAGS);

/** {@link wordFlags} of the word `text.slice(start, end)`, looked up without making the substring. */
export function wordFlagsAt(text: string, start: number, end: number): number {
  return wordValueAt(FLAGS_TABLE, text, start, end);
}

/** Bits of {@link prevWordBits}: which lists hold a lower-case word before (or after) a name. */
export const CUE_END = 1;
export const RELATION = 2;
export const VERB_BEFORE = 4;
export const VERB_PREPOSITION = 8;
export const THE = 16;
export const VERB_AFTER = 32;
export const ROLE = 64;
export const VERB_BY = 128;
export const BY = 256;

/** The {@link prevWordBits} of a lower-case word as a string (for words the table cannot fold in place). */
export function prevWordBitsOf(word: string): number {
  return (
    (CUE_END_WORDS.has(word) ? CUE_END : 0) |
    (RELATION_WORDS.has(word) ? RELATION : 0) |
    (PERSON_VERB_BEFORE.has(word) ? VERB_BEFORE : 0) |
    (VERB_PREPOSITIONS.has(word) ? VERB_PREPOSITION : 0) |
    (word === "the" ? THE : 0) |
    (AFTER_VERB_FIRST.has(word) ? VERB_AFTER : 0) |
    (ROLE_WORDS.has(word) ? ROLE : 0) |
    (BY_VERBS.has(word) ? VERB_BY : 0) |
    (word === "by" ? BY : 0)
  );
}

const PREV_WORDS = createWordTable(
  [
    ...CUE_END_WORDS,
    ...RELATION_WORDS,
    ...PERSON_VERB_BEFORE,
    ...VERB_PREPOSITIONS,
    "the",
    ...AFTER_VERB_FIRST,
    ...ROLE_WORDS,
    ...BY_VERBS,
    "by",
  ]
    .filter((w) => prevWordBitsOf(w) !== 0)
    .map((w) => [w, prevWordBitsOf(w)] as const),
);

/**
 * Which of the cue, relation, person-verb and preposition lists hold the lower case of `text.slice(start,
 * end)`, as bits; {@link NOT_FOLDABLE} when the range holds a unit the table cannot fold in place.
 */
export function prevWordBits(text: string, start: number, end: number): number {
  return lowerWordValueAt(PREV_WORDS, text, start, end);
}
