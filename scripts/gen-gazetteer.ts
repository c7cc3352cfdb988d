/**
 * Generates src/detection/rules/gazetteer-data.ts (`npx tsx scripts/gen-gazetteer.ts`): given names and
 * surnames of the Latin-script locales of @faker-js/faker (census and registry frequency lists), the held-out
 * fifth (scripts/lib/name-holdout.ts) in lists of their own, and names that are also common English words
 * marked as ambiguous. The product reads every list; the dev corpus's evaluation leaves the held-out ones out
 * (`RuleOptions.namesHeldOut`), so its score measures the rules on names the lists do not hold. The product reads only the generated file: nothing is fetched or built at run time.
 * `--check` exits 1 when the committed file differs from what would be generated.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { allLocales } from "@faker-js/faker";
import { format, resolveConfig } from "prettier";
import { isHeldOut } from "./lib/name-holdout.js";

const OUT = new URL("../src/detection/rules/gazetteer-data.ts", import.meta.url);
const LOCALES = [
  "en",
  "en_AU",
  "en_GH",
  "en_IN",
  "en_NG",
  "en_ZA",
  "de",
  "de_AT",
  "de_CH",
  "fr",
  "fr_BE",
  "fr_CH",
  "fr_SN",
  "es",
  "es_MX",
  "it",
  "nl",
  "nl_BE",
  "pl",
  "pt_BR",
  "pt_PT",
  "fi",
  "sv",
  "da",
  "nb_NO",
  "cs_CZ",
  "sk",
  "ro",
  "hu",
  "hr",
  "sl_SI",
  "sr_RS_latin",
  "lv",
  "tr",
  "az",
  "id_ID",
  "vi",
  "af_ZA",
  "zu_ZA",
  "yo_NG",
  "uz_UZ_latin",
  "ku_kmr_latin",
] as const;

type Entry = string | readonly string[] | Readonly<Record<string, readonly string[] | undefined>> | undefined;

function flatten(v: Entry): string[] {
  if (v === undefined) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return [...(v as readonly string[])];
  return Object.values(v as Record<string, readonly string[] | undefined>).flatMap((x) => [...(x ?? [])]);
}

// One word, Latin letters (with diacritics), optional inner hyphen or apostrophe, 2–20 letters.
const NAME_SHAPE = /^\p{Lu}[\p{Ll}\p{Lu}'’-]{1,19}$/u;

function collect(field: "first_name" | "last_name"): Set<string> {
  const out = new Set<string>();
  for (const code of LOCALES) {
    const person = (allLocales as Record<string, { person?: Record<string, Entry> } | undefined>)[code]
      ?.person;
    for (const name of flatten(person?.[field])) {
      for (const part of name.split(/\s+/)) {
        if (NAME_SHAPE.test(part) && /^[\p{Script=Latin}'’-]+$/u.test(part)) out.add(part);
      }
    }
  }
  return out;
}

// Street types from the locales' street patterns: written before the name ("Via", "Rue", "ul."), after it as
// a word ("Lane", "Spurs"), or glued to it ("-laan", "-katu").
const streetBefore = new Set<string>([
  "Via",
  "Viale",
  "Corso",
  "Piazza",
  "Rue",
  "Calle",
  "Carrer",
  "Rua",
  "Avenida",
  "Plaza",
  "Paseo",
  "Praça",
  "ul.",
  "al.",
  "Boulevard",
  "Chemin",
  "Allée",
  "Route",
  "Impasse",
  "Quai",
  "Strada",
  "Largo",
  "Travessa",
  "Avenue",
  "Place",
]);
const streetAfter = new Set<string>([
  "Street",
  "St.",
  "Road",
  "Rd.",
  "Avenue",
  "Ave.",
  "Lane",
  "Ln.",
  "Drive",
  "Dr.",
  "Boulevard",
  "Blvd.",
  "Way",
  "Court",
  "Ct.",
  "Place",
  "Pl.",
  "Square",
  "Terrace",
  "Crescent",
  "Close",
  "Parade",
  "Highway",
  "Row",
  "Mews",
  "Gardens",
  "Walk",
  "Hill",
  "Wynd",
  "Gate",
]);
const streetGlued = new Set<string>([
  "straße",
  "strasse",
  "str.",
  "weg",
  "gasse",
  "platz",
  "allee",
  "ring",
  "damm",
  "ufer",
  "chaussee",
  "pfad",
  "steig",
  "laan",
  "straat",
  "gracht",
  "plein",
  "dijk",
  "kade",
  "singel",
  "katu",
  "tie",
  "kuja",
  "polku",
  "gatan",
  "vägen",
  "gränd",
  "vej",
  "gade",
  "veien",
  "gata",
  "gaten",
  "utca",
  "iela",
]);
for (const code of [
  "en",
  "en_GB",
  "en_AU",
  "en_US",
  "en_IE",
  "fr",
  "es",
  "es_MX",
  "it",
  "nl",
  "nl_BE",
  "pl",
  "pt_BR",
  "pt_PT",
  "fi",
  "sv",
  "nb_NO",
  "hu",
  "lv",
  "da",
  "ro",
]) {
  const loc = (allLocales as Record<string, { location?: Record<string, Entry> } | undefined>)[code]
    ?.location;
  if (loc === undefined) continue;
  const pattern = flatten(loc["street_pattern"]).join(" ");
  for (const w of flatten(loc["street_prefix"])) if (w.length <= 16 && !w.includes(" ")) streetBefore.add(w);
  const suffixes = flatten(loc["street_suffix"]).filter((w) => w.length <= 16 && !w.includes(" "));
  if (/^\{\{location\.street_suffix\}\} /.test(pattern)) for (const w of suffixes) streetBefore.add(w);
  else if (/\}\}\{\{location\.street_suffix\}\}/.test(pattern))
    for (const w of suffixes) streetGlued.add(w.toLowerCase());
  else if (code !== "fr") for (const w of suffixes) streetAfter.add(w);
}

// The words of the flat, floor and building parts that follow a house number ("Apt. ###", "Stan ##",
// "Lgh. ###", "#.em ## ajtó"), from the Latin-script locales' secondary address patterns: each token that
// holds a letter ("#" stands for a digit), single capitals and ordinals left to street.ts's own forms.
const unitWords = new Set<string>();
for (const code of LOCALES) {
  const loc = (allLocales as Record<string, { location?: Record<string, Entry> } | undefined>)[code]
    ?.location;
  for (const pattern of flatten(loc?.["secondary_address"]))
    for (const token of pattern.split(" "))
      if (/\p{L}/u.test(token) && !token.includes("{{") && !/^(?:\p{Lu}|\d+º)$/u.test(token))
        unitWords.add(token);
}

const words = new Set<string>();
const enWord = (allLocales as unknown as { en: { word?: Record<string, readonly string[]> } }).en.word ?? {};
for (const list of Object.values(enWord)) for (const w of list) words.add(w.toLowerCase());

const first = collect("first_name");
const last = collect("last_name");
const ambiguous = [...new Set([...first, ...last])].filter((n) => words.has(n.toLowerCase())).sort();
const kept = (names: Set<string>): string[] => [...names].filter((n) => !isHeldOut(n));
const heldOut = (names: Set<string>): string[] => [...names].filter((n) => isHeldOut(n));
const join = (s: Iterable<string>): string => [...s].sort().join(" ");
const raw = `// Generated by scripts/gen-gazetteer.ts from @faker-js/faker ${"10.6.0"} (do not edit by hand).
// Given names and surnames of Latin-script locales; the held-out fifth of them in lists of their own (left out
// only when the dev corpus is evaluated); AMBIGUOUS lists those that are also common English words (they need a
// cue or a surname beside them); COMMON_WORDS are faker's English word lists.

/** Given names, space-separated (the held-out fifth not among them). */
export const FIRST_NAMES = ${JSON.stringify(join(kept(first)))};

/** The held-out fifth of the given names, space-separated. */
export const FIRST_NAMES_HELD_OUT = ${JSON.stringify(join(heldOut(first)))};

/** Surnames, space-separated (the held-out fifth not among them). */
export const SURNAMES = ${JSON.stringify(join(kept(last)))};

/** The held-out fifth of the surnames, space-separated. */
export const SURNAMES_HELD_OUT = ${JSON.stringify(join(heldOut(last)))};

/** Names that are also common English words, space-separated. */
export const AMBIGUOUS = ${JSON.stringify(join(ambiguous))};

/** Street types written before the street's name ("Via", "Rue", "Calle", "ul."), space-separated. */
export const STREET_BEFORE = ${JSON.stringify(join(streetBefore))};

/** Street types written after the name as a word ("Lane", "Close", "Vista"), space-separated. */
export const STREET_AFTER = ${JSON.stringify(join(streetAfter))};

/** Street types glued to the name ("Smeetslaan", "Koskikatu"), lower case, space-separated. */
export const STREET_GLUED = ${JSON.stringify(join(streetGlued))};

/** Words of the flat and floor parts after a house number ("Apt.", "Stan", "#.em"; "#" is a digit). */
export const UNIT_WORDS = ${JSON.stringify(join(unitWords))};

/** Common English words (lower case, space-separated): a capitalised one is no name without a known one. */
export const COMMON_WORDS = ${JSON.stringify(join(words))};
`;

const body = await format(raw, { ...((await resolveConfig(OUT)) ?? {}), parser: "typescript" });

if (process.argv.includes("--check")) {
  const current = readFileSync(OUT, "utf8");
  if (current !== body) {
    console.error(
      "src/detection/rules/gazetteer-data.ts is out of date: run npx tsx scripts/gen-gazetteer.ts",
    );
    process.exitCode = 1;
  }
} else {
  writeFileSync(OUT, body);
  console.log(`gazetteer: ${first.size} given names, ${last.size} surnames, ${ambiguous.length} ambiguous`);
}
