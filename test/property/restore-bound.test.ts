/**
 * Restoration never turns ordinary words into secrets: random model outputs built from identifiers and prose
 * around type words and numbers (`password_1`, `Key 1`, `Phone Number 1`, `email-2`, …), with canonical
 * and bracketed placeholders mixed in, contain a vault value after restoration only when a wrapped
 * placeholder of that value was in the output and belongs to the exchange — streamed or not.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { restoreText } from "../../src/redaction/restore.js";
import { StreamRestorer } from "../../src/redaction/stream-restorer.js";
import { indexOf } from "../helpers/index-of.js";
import { splitAtCodePoints } from "../helpers/stream-property.js";

/** The scope's vault: what a restoration could ever reveal. */
const VAULT: Record<string, string> = {
  "<Password_1>": "Tr0ub4dor&3",
  "<Key_1>": "sk-proj-AAAABBBBCCCC",
  "<Email_1>": "alice@example.org",
  "<Email_2>": "bob@example.net",
  "<Phone_Number_1>": "13800138000",
  "<Financial_Account_2>": "6222021234567890",
  "<Financial_Account_3>": "6222029876543210",
};
/** This exchange sent only these. */
const EXCHANGE = ["<Email_1>", "<Phone_Number_1>", "<Financial_Account_2>"];
const exchange = indexOf(Object.fromEntries(EXCHANGE.map((p) => [p, VAULT[p] as string])));

const WORDS = [
  "password",
  "Password",
  "key",
  "Key",
  "email",
  "Email",
  "phone number",
  "Phone Number",
  "financial account",
  "financial_account",
  "Financial-Account",
];
const SEPARATORS = ["_", " ", "-", "__"];
const WRAPS: [string, string][] = [
  ["", ""],
  ["", ""],
  ["<", ">"],
  ["[", "]"],
  ["{", "}"],
  ["**", "**"],
  ["`", "`"],
  ["(", ")"],
  ["<", "]"],
  ['"', '"'],
];
const PROSE = [
  "Rotate",
  " first. Then set ",
  " = input() and ",
  " = None; see ",
  " on the form; ",
  " field.",
  "\n",
  "def login(): ",
  " # see ",
  ", ",
];

/** A placeholder-ish token: a type word, separator, number, maybe wrapped (some wrappers do not count). */
const token = fc
  .tuple(
    fc.constantFrom(...WORDS),
    fc.constantFrom(...SEPARATORS),
    fc.integer({ min: 1, max: 3 }),
    fc.constantFrom(...WRAPS),
  )
  .map(([word, sep, n, [open, close]]) => `${open}${word.replace(/[ _-]/g, sep)}${sep}${n}${close}`);
const canonical = fc.constantFrom(...Object.keys(VAULT));
const output = fc
  .array(fc.oneof(token, token, canonical, fc.constantFrom(...PROSE)), { maxLength: 24 })
  .map((parts) => parts.join(""));

/** The keys a text legitimately names: a wrapped placeholder (canonical or mangled) of the exchange. */
function namedInExchange(text: string): Set<string> {
  const out = new Set<string>();
  const re =
    /(<|\[|\{|\*\*|\*|`|__)[ \t]{0,3}([A-Za-z]+(?:[ _-]{1,3}[A-Za-z]+)*)[ _-]{1,3}(\d+)[ \t]{0,3}(>|\]|\}|\*\*|\*|`|__)/g;
  const pairs: Record<string, string> = {
    "<": ">",
    "[": "]",
    "{": "}",
    "**": "**",
    "*": "*",
    "`": "`",
    __: "__",
  };
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const [, open, name, n, close] = m as unknown as [string, string, string, string, string];
    if (pairs[open] !== close) {
      re.lastIndex = m.index + 1;
      continue;
    }
    const key = `${name.toLowerCase().replace(/[ _-]+/g, "_")}_${Number(n)}`;
    if (exchange.byKey.has(key)) out.add(key);
  }
  return out;
}

describe("restoration bound to the exchange (property)", () => {
  it("reveals a vault value only for a wrapped placeholder of the exchange", () => {
    fc.assert(
      fc.property(output, (text) => {
        const restored = restoreText(text, exchange).text;
        const named = namedInExchange(text);
        for (const [placeholder, value] of Object.entries(VAULT)) {
          const key = placeholder.slice(1, -1).toLowerCase();
          if (restored.includes(value)) expect(named.has(key)).toBe(true);
        }
        // Canonical placeholders of the exchange always come back.
        for (const p of EXCHANGE) if (text.includes(p)) expect(restored).not.toContain(p);
      }),
      { numRuns: 2000, seed: 20261201 },
    );
  });

  it("gives the same text streamed in any chunking", () => {
    fc.assert(
      fc.property(output, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const whole = restoreText(text, exchange).text;
        const r = new StreamRestorer(exchange);
        const streamed =
          splitAtCodePoints(text, cuts)
            .map((p) => r.push(p))
            .join("") + r.flush();
        expect(streamed).toBe(whole);
      }),
      { numRuns: 1000, seed: 20261201 },
    );
  });

  it("decides JSON text the same way streamed and whole (auto mode), however the chunks fall", () => {
    const quoted = indexOf({ "<Email_1>": 'say "hi"\\now', "<Key_1>": "line\nbreak" });
    const pieces = fc.constantFrom(
      "{",
      "[",
      " ",
      '"a": "',
      '", ',
      "}",
      "]",
      "[link](x) ",
      "<Email_1>",
      "[Key_1]",
      "text ",
      "\n",
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 16 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (parts, cuts) => {
          const text = parts.join("");
          const whole = restoreText(text, quoted, { json: "auto" }).text;
          const r = new StreamRestorer(quoted, { json: "auto" });
          expect(
            splitAtCodePoints(text, cuts)
              .map((p) => r.push(p))
              .join("") + r.flush(),
          ).toBe(whole);
        },
      ),
      { numRuns: 1500, seed: 20261201 },
    );
  });
});
