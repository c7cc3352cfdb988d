/**
 * Evasion cases for the rule detector, shared by `test/security/evasion.test.ts` (which asserts that every
 * case the normaliser claims to handle is handled) and `scripts/evasion-report.ts` (which prints the table
 * in docs/evasion.md). A case is a value written in a disguise — zero-width characters, full-width forms,
 * separators, homoglyphs, words — inside a sentence; it is "handled" when, after redaction by the real
 * pipeline, the value's identifying core can no longer be read out of the text even after undoing the
 * disguise (folding full-width and homoglyphs, dropping separators).
 */
import { createRuleDetector } from "../../src/detection/rules/index.js";
import { createRedactor } from "../../src/redaction/pipeline.js";
import { createMemoryVault } from "../../src/vault/memory-vault.js";

export interface EvasionCase {
  readonly category: "email" | "phone" | "bank card" | "ID number" | "IP address" | "password";
  readonly technique: string;
  /** The sentence sent, value disguised. */
  readonly text: string;
  /** Lower-case ASCII letters and digits that identify the value; none may survive redaction. */
  readonly core: string;
  /** True when the rules and normalize.ts say they handle this disguise (asserted by the test). */
  readonly claimed: boolean;
}

const ZW = "\u200b";
const fullWidth = (s: string): string =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const spaced = (s: string, sep: string): string => [...s].join(sep);

const EMAIL = "canary.user@example.org";
const PHONE = "13912345678";
const CARD = "4539148803436467";
const ID = "110101199003074514";

/** The cases, claimed first within each category. */
export const EVASION_CASES: readonly EvasionCase[] = [
  { category: "email", technique: "plain", text: `Mail ${EMAIL} today`, core: "canaryuser", claimed: true },
  {
    category: "email",
    technique: "zero-width space inside",
    text: `Mail canary.us${ZW}er@exa${ZW}mple.org today`,
    core: "canaryuser",
    claimed: true,
  },
  {
    category: "email",
    technique: "soft hyphen / word joiner inside",
    text: `Mail cana\u00adry.user@example\u2060.org today`,
    core: "canaryuser",
    claimed: true,
  },
  {
    category: "email",
    technique: "full-width letters and ＠",
    text: `Mail ${fullWidth(EMAIL)} today`,
    core: "canaryuser",
    claimed: true,
  },
  {
    category: "email",
    technique: "Cyrillic homoglyphs (а, е, о)",
    text: "Mail c\u0430n\u0430ry.us\u0435r@\u0435x\u0430mple.\u043erg today",
    core: "canaryuser",
    claimed: false,
  },
  {
    category: "email",
    technique: "spaces around @ and dots",
    text: "Mail canary.user @ example . org today",
    core: "canaryuser",
    claimed: false,
  },
  {
    category: "email",
    technique: '"at" and "dot" spelled out',
    text: "Mail canary dot user at example dot org today",
    core: "canarydotuser",
    claimed: false,
  },
  { category: "phone", technique: "plain", text: `Call ${PHONE} now`, core: PHONE, claimed: true },
  {
    category: "phone",
    technique: "spaces 3-4-4",
    text: "Call 139 1234 5678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "dashes 3-4-4",
    text: "Call 139-1234-5678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "+86 prefix",
    text: "Call +86 139 1234 5678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "zero-width between digits",
    text: `Call ${spaced(PHONE, ZW)} now`,
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "full-width digits",
    text: `Call ${fullWidth(PHONE)} now`,
    core: PHONE,
    claimed: true,
  },
  { category: "phone", technique: "dots 3-4-4", text: "Call 139.1234.5678 now", core: PHONE, claimed: true },
  {
    category: "phone",
    technique: "space between every digit",
    text: `Call ${spaced(PHONE, " ")} now`,
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "irregular groups 1-3-3-4",
    text: "Call 1 391 234 5678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "Chinese numerals",
    text: "电话 一三九一二三四五六七八",
    core: PHONE,
    claimed: false,
  },
  {
    category: "bank card",
    technique: "plain, grouped by 4",
    text: "Card 4539 1488 0343 6467 ok",
    core: CARD,
    claimed: true,
  },
  { category: "bank card", technique: "no separators", text: `Card ${CARD} ok`, core: CARD, claimed: true },
  {
    category: "bank card",
    technique: "dashes",
    text: "Card 4539-1488-0343-6467 ok",
    core: CARD,
    claimed: true,
  },
  {
    category: "bank card",
    technique: "zero-width between groups",
    text: `Card 4539${ZW}1488${ZW}0343${ZW}6467 ok`,
    core: CARD,
    claimed: true,
  },
  {
    category: "bank card",
    technique: "full-width digits",
    text: `Card ${fullWidth(CARD)} ok`,
    core: CARD,
    claimed: true,
  },
  {
    category: "bank card",
    technique: "dots",
    text: "Card 4539.1488.0343.6467 ok",
    core: CARD,
    claimed: false,
  },
  {
    category: "bank card",
    technique: "space between every digit",
    text: `Card ${spaced(CARD, " ")} ok`,
    core: CARD,
    claimed: false,
  },
  { category: "ID number", technique: "plain", text: `ID ${ID} here`, core: ID, claimed: true },
  {
    category: "ID number",
    technique: "full-width digits",
    text: `ID ${fullWidth(ID)} here`,
    core: ID,
    claimed: true,
  },
  {
    category: "ID number",
    technique: "zero-width inside",
    text: `ID 110101${ZW}19900307${ZW}4514 here`,
    core: ID,
    claimed: true,
  },
  {
    category: "ID number",
    technique: "spaces 6-8-4",
    text: "ID 110101 19900307 4514 here",
    core: ID,
    claimed: false,
  },
  {
    category: "IP address",
    technique: "plain",
    text: "server 10.0.0.12 down",
    core: "10 0 0 12",
    claimed: true,
  },
  {
    category: "IP address",
    technique: "zero-width inside",
    text: `server 10.0${ZW}.0.12 down`,
    core: "10 0 0 12",
    claimed: true,
  },
  {
    category: "IP address",
    technique: "ideographic full stops",
    text: "server 10。0。0。12 down",
    core: "10 0 0 12",
    claimed: false,
  },
  {
    category: "password",
    technique: "after a cue word",
    text: "my password is Zq9vX2kq thanks",
    core: "zq9vx2kq",
    claimed: true,
  },
  {
    category: "password",
    technique: "zero-width inside the value",
    text: `my password is Zq9v${ZW}X2kq thanks`,
    core: "zq9vx2kq",
    claimed: true,
  },
  {
    category: "password",
    technique: "full-width value",
    text: `my password is ${fullWidth("Zq9vX2kq")} thanks`,
    core: "zq9vx2kq",
    claimed: true,
  },
  {
    category: "email",
    technique: "left-to-right mark inside",
    text: "Mail canary.us\u200eer@example.org today",
    core: "canaryuser",
    claimed: true,
  },
  {
    category: "email",
    technique: "tag characters inside",
    text: "Mail canary.us\u{E0041}\u{E0042}er@example.org today",
    core: "canaryuser",
    claimed: true,
  },
  {
    category: "email",
    technique: "small commercial at ﹫",
    text: "Mail canary.user﹫example.org today",
    core: "canaryuser",
    claimed: true,
  },
  {
    category: "email",
    technique: "URL-encoded @ (%40)",
    text: "Mail canary.user%40example.org today",
    core: "canaryuser",
    claimed: true,
  },
  {
    category: "phone",
    technique: "RLM / LRM between groups",
    text: "Call 139\u200f1234\u200e5678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "bidi isolates around and inside",
    text: "Call \u2066139\u20671234\u20695678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "combining grapheme joiner inside",
    text: "Call 139\u034f12345678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "variation selectors inside",
    text: "Call 13\ufe0f9123\ufe0e45678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "no-break spaces 3-4-4",
    text: "Call 139\u00a01234\u00a05678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "thin spaces 3-4-4",
    text: "Call 139\u20091234\u20095678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "en dashes 3-4-4",
    text: "Call 139\u20131234\u20135678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "no-break hyphens 3-4-4",
    text: "Call 139\u20111234\u20115678 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "Arabic-Indic digits",
    text: "Call ١٣٩١٢٣٤٥٦٧٨ now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "Devanagari digits",
    text: "Call १३९१२३४५६७८ now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "phone",
    technique: "mathematical bold digits",
    text: "Call 𝟏𝟑𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖 now",
    core: PHONE,
    claimed: true,
  },
  {
    category: "bank card",
    technique: "no-break spaces between groups",
    text: "Card 4539\u00a01488\u00a00343\u00a06467 ok",
    core: CARD,
    claimed: true,
  },
  {
    category: "bank card",
    technique: "Arabic-Indic digits",
    text: "Card ٤٥٣٩١٤٨٨٠٣٤٣٦٤٦٧ ok",
    core: CARD,
    claimed: true,
  },
  {
    category: "bank card",
    technique: "glued to a leading -",
    text: `Card -${CARD} ok`,
    core: CARD,
    claimed: true,
  },
  {
    category: "ID number",
    technique: "variation selector inside",
    text: "ID 110101199003\ufe0f074514 here",
    core: ID,
    claimed: true,
  },
  {
    category: "password",
    technique: "quote inside the value",
    text: 'my password is P@ss"w0rd!9 thanks',
    core: "pssw0rd9",
    claimed: true,
  },
  {
    category: "password",
    technique: "Cyrillic letters in the value",
    text: "my password is Пароль2024! thanks",
    core: "2024",
    claimed: true,
  },
  {
    category: "password",
    technique: "API key glued to a leading _",
    text: "export KEY_sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z done",
    core: "skprojab3def6hij9klm2nop5qrs8tuv1wxy4z",
    claimed: true,
  },
];

const HOMOGLYPHS: Readonly<Record<string, string>> = {
  "\u0430": "a",
  "\u0435": "e",
  "\u043e": "o",
  "\u0440": "p",
  "\u0441": "c",
  "\u0445": "x",
  "\u0456": "i",
  "\u0455": "s",
  "\u0501": "d",
};
const CHINESE_DIGITS: Readonly<Record<string, string>> = Object.fromEntries([
  ...[..."零一二三四五六七八九"].map((c, i): [string, string] => [c, String(i)]),
  ["〇", "0"] as [string, string],
]);

/**
 * Undoes every disguise: NFKC (full-width), homoglyphs, Chinese numerals and lower case. A core is then
 * searched among the letters and digits only (see {@link coreSurvives}).
 */
export function undisguise(text: string): string {
  let out = "";
  const plain = text.replace(/%40/g, "@").normalize("NFKC").toLowerCase();
  for (const ch of plain) {
    if (/^[\p{Cf}\p{Mn}\p{Me}]$/u.test(ch)) continue;
    out += HOMOGLYPHS[ch] ?? CHINESE_DIGITS[ch] ?? decimalDigit(ch) ?? ch;
  }
  return out;
}

/** The ASCII digit of any \p{Nd} character (Unicode keeps each script's digits in a run from 0 to 9). */
function decimalDigit(ch: string): string | undefined {
  if (!/^\p{Nd}$/u.test(ch)) return undefined;
  const cp = ch.codePointAt(0) ?? 0;
  let zero = cp;
  while (/^\p{Nd}$/u.test(String.fromCodePoint(zero - 1))) zero--;
  return String((cp - zero) % 10);
}

/** True when the core of the value can still be read in `text` once the disguise is undone. */
export function coreSurvives(text: string, core: string): boolean {
  const plain = undisguise(text);
  if (core.includes(" ")) {
    // dotted parts (IP): the digits in order, separated by anything that is not a digit
    const parts = core.split(" ");
    return new RegExp(`(?<![0-9])${parts.join("[^0-9a-z]{1,3}")}(?![0-9])`).test(plain);
  }
  return plain.replace(/[^a-z0-9]/g, "").includes(core);
}

export interface EvasionResult extends EvasionCase {
  /** What the proxy forwards. */
  readonly redacted: string;
  readonly handled: boolean;
}

/** Redacts every case through the real pipeline (rule detector, memory vault) and reports what survived. */
export async function measureEvasions(
  cases: readonly EvasionCase[] = EVASION_CASES,
): Promise<EvasionResult[]> {
  const vault = createMemoryVault();
  const redactor = createRedactor({ detector: createRuleDetector(), vault, detectTimeoutMs: 10_000 });
  const out: EvasionResult[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const outcome = await redactor.redact({
        items: [{ text: c.text, role: "user" }],
        // One scope per case: a value masked in one case must not be masked in another by the vault.
        scope: `evasion:${i}`,
        policy: { levels: ["PL2", "PL3", "PL4"], mode: "type_specific", allow: [], deny: [] },
      });
      const redacted = outcome.texts[0] ?? "";
      out.push({ ...c, redacted, handled: !coreSurvives(redacted, c.core) });
    }
  } finally {
    await vault.close();
  }
  return out;
}

/** Shows invisible characters so a table row can be read. */
export function visible(text: string): string {
  return text
    .replace(/\u200b/g, "⟨ZWSP⟩")
    .replace(/\u00ad/g, "⟨SHY⟩")
    .replace(/\u2060/g, "⟨WJ⟩")
    .replace(/\u200e/g, "⟨LRM⟩")
    .replace(/\u200f/g, "⟨RLM⟩")
    .replace(/[\u2066-\u2069]/g, "⟨ISO⟩")
    .replace(/\u034f/g, "⟨CGJ⟩")
    .replace(/[\ufe00-\ufe0f]/g, "⟨VS⟩")
    .replace(/[\u{E0000}-\u{E007F}]/gu, "⟨TAG⟩")
    .replace(/\u00a0/g, "⟨NBSP⟩")
    .replace(/\u2009/g, "⟨THSP⟩")
    .replace(/\u2011/g, "⟨NBHY⟩")
    .replace(/\|/g, "\\|");
}

/** The Markdown table of results. */
export function evasionTable(results: readonly EvasionResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.category} | ${r.technique} | \`${visible(r.text)}\` | ${r.claimed ? "yes" : "no"} | ${r.handled ? "masked" : "**passes through**"} |`,
  );
  return ["| value | disguise | sent | claimed | outcome |", "|---|---|---|---|---|", ...rows].join("\n");
}
