// The secret and network families' shortcuts against the plain whole-text scans they replace, on random
// texts dense in the characters each pattern turns on: code and address matches tried only where a match can
// start, the MAC and IPv6 hints tried at each separator, and password shapes scanned only in the runs of
// token characters that hold a digit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CODE_RE, codeMatches } from "../../../../src/detection/rules/codes.js";
import {
  createContext,
  dashOffsets,
  emit,
  type RuleContext,
} from "../../../../src/detection/rules/context.js";
import { EMAIL_RE, emailMatches } from "../../../../src/detection/rules/email.js";
import { ipv6Hint, macDotHint, macPairHint } from "../../../../src/detection/rules/network.js";
import { detectPasswordShapes } from "../../../../src/detection/rules/password-shape.js";
import { formatBits, kvHint } from "../../../../src/detection/rules/secrets.js";

function plainMatches(source: string, text: string): string[] {
  const re = new RegExp(source, "g");
  const out: string[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(`${m.index}:${m[0]}`);
  return out;
}

const shown = (ms: readonly RegExpExecArray[]): string[] => ms.map((m) => `${m.index}:${m[0]}`);

/** Texts joined from `parts` (fast-check arbitrary of short pieces). */
const textOf = (parts: fc.Arbitrary<string>, maxLength = 30): fc.Arbitrary<string> =>
  fc.array(parts, { maxLength }).map((p) => p.join(""));

// The password-shape scan as it was: from every symbol of a whole-text scan to the token around it.
const SYMBOL_RE = /[!@#$%^&*_+=?~]/g;
const TOKEN_RE = /[A-Za-z0-9!@#$%^&*_+=?~.-]/;
function plainPasswordShapes(ctx: RuleContext): void {
  const t = ctx.text;
  if (ctx.digitCount === 0 || !ctx.hasUpper) return;
  const tok = (i: number): boolean => i >= 0 && i < t.length && TOKEN_RE.test(t.charAt(i));
  let doneUntil = -1;
  SYMBOL_RE.lastIndex = 0;
  for (let m = SYMBOL_RE.exec(t); m !== null; m = SYMBOL_RE.exec(t)) {
    if (m.index < doneUntil) continue;
    let start = m.index;
    let end = m.index + 1;
    while (start > 0 && tok(start - 1) && m.index - start < 64) start--;
    while (end < t.length && tok(end) && end - start < 64) end++;
    doneUntil = end;
    SYMBOL_RE.lastIndex = end;
    const v = t.slice(start, end).replace(/[.-]+$/, "");
    if (v.length < 8 || v.length > 64) continue;
    if (!/[a-z]/.test(v) || !/[A-Z]/.test(v) || !/\d/.test(v) || !/[!@#$%^&*+=?~]/.test(v)) continue;
    if (/^[^@]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/.test(v) || v.startsWith("@") || /^[*_]/.test(v)) continue;
    const before = start === 0 ? "" : t.charAt(start - 1);
    if (before === "/" || before === ":" || before === "\\") continue;
    emit(ctx, start, start + v.length, "Password", "PL4", "password-shape");
  }
}

describe("scan shortcuts of the secret and network families", () => {
  it("codes: the matches tried at capitals before a '-' are those of a global scan", () => {
    for (const text of [
      "#TRV-PLAN-0207",
      "x AUTH-882-STY y",
      "##AB-12",
      "aBc-D-1 Ab-1-2-3-4-5-6",
      "ABCDEFGHIJKLMN-1",
    ])
      expect(shown(codeMatches(text)), text).toEqual(plainMatches(CODE_RE.source, text));
    const part = fc.oneof(
      fc.constantFrom(
        "-",
        "#",
        "AB",
        "Cd",
        "x",
        "Q",
        "12",
        "7",
        "_",
        ".",
        " ",
        "中",
        "abcdefghijkl",
        "ZZZZZZZZZZZZZ",
      ),
      fc.stringMatching(/^[A-Za-z0-9#-]{1,5}$/),
    );
    fc.assert(
      fc.property(textOf(part), (text) => {
        expect(shown(codeMatches(text, dashOffsets(createContext(text))))).toEqual(
          plainMatches(CODE_RE.source, text),
        );
        expect(shown(codeMatches(text))).toEqual(plainMatches(CODE_RE.source, text));
      }),
      { seed: 1521, numRuns: 3000 },
    );
  });

  it("emails: each '@' tried once, at the start of its local part, gives the matches of a global scan", () => {
    for (const text of [
      "a@b.co",
      "..x.y@b.co",
      "a@b@c.de",
      "ü@é.fr x@y",
      `${"a".repeat(70)}@b.org`,
      "a@b.c-d.com.",
    ])
      expect(shown(emailMatches(text)), text).toEqual(plainMatches(EMAIL_RE.source, text));
    const part = fc.oneof(
      fc.constantFrom(
        "@",
        ".",
        "a",
        "B",
        "7",
        "-",
        "_",
        "%",
        "+",
        "é",
        "中",
        " ",
        "com",
        "x.org",
        "a".repeat(30),
      ),
      fc.stringMatching(/^[a-z0-9.@-]{1,6}$/),
    );
    fc.assert(
      fc.property(textOf(part), (text) => {
        expect(shown(emailMatches(text))).toEqual(plainMatches(EMAIL_RE.source, text));
      }),
      { seed: 1522, numRuns: 3000 },
    );
  });

  it("network: the MAC and IPv6 hints tried at each separator answer as the plain scans", () => {
    const part = fc.oneof(
      fc.constantFrom(":", "::", "-", ".", "a", "F", "0", "9", "g", " ", "ab", "1f2e", "中"),
      fc.stringMatching(/^[0-9a-fA-F:.-]{1,5}$/),
    );
    fc.assert(
      fc.property(textOf(part, 16), (text) => {
        expect(ipv6Hint(text)).toBe(
          /::|[0-9A-Fa-f]:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]/.test(text),
        );
        expect(macPairHint(text)).toBe(/[:-][0-9A-Fa-f]{2}[:-]/.test(text));
        expect(macPairHint(text, dashOffsets(createContext(text)))).toBe(/[:-][0-9A-Fa-f]{2}[:-]/.test(text));
        expect(macDotHint(text)).toBe(/\.[0-9A-Fa-f]{4}\./.test(text));
      }),
      { seed: 1523, numRuns: 4000 },
    );
  });

  it("secrets: the provider-format bits and the key = value hint answer as the plain scans", () => {
    // Each bit as the smallest text that sets it; a bit must be set exactly when its plain pattern matches.
    const plain: [number, RegExp][] = [
      [formatBits(createContext("sk-")), /sk-|xox.-/],
      [formatBits(createContext("ghp_")), /gh._|github_|_live_|_test_/],
      [formatBits(createContext("eyJ")), /eyJ/],
      [formatBits(createContext("AK")), /A[GIKNRS]/],
    ];
    expect(new Set(plain.map(([bit]) => bit).filter((bit) => bit > 0)).size).toBe(4);
    const part = fc.oneof(
      fc.constantFrom(
        "sk",
        "-",
        "xox",
        "b",
        "gh",
        "p",
        "_",
        "github",
        "live",
        "test",
        "ey",
        "J",
        "A",
        "K",
        "I",
      ),
      fc.constantFrom("key", "KEY", "Secret", "token", "TOKEN", "tOken", '"', "'", " ", ":", "=", "x", "中"),
    );
    fc.assert(
      fc.property(textOf(part, 12), (text) => {
        const ctx = createContext(text);
        const bits = formatBits(ctx);
        for (const [bit, re] of plain)
          expect((bits & bit) !== 0, `${re.source} in ${text}`).toBe(re.test(text));
        expect(kvHint(ctx)).toBe(/(?:[Kk]ey|KEY|[Ss]ecret|SECRET|[Tt]oken|TOKEN)["']?\s*[:=]/.test(text));
      }),
      { seed: 1525, numRuns: 4000 },
    );
  });

  it("password shapes: scanning only the runs holding a digit finds what the whole-text symbol scan found", () => {
    const part = fc.oneof(
      fc.constantFrom("!", "@", "#", "$", "_", "~", "*", ".", "-", " ", "/", ":", "\\", "中", "\n"),
      fc.constantFrom("Ab1", "Passw0rd", "x9", "Q", "zz", "2024", "a@b.io", "**", "__init__"),
      fc.stringMatching(/^[A-Za-z0-9!@#$%^&*_+=?~.-]{1,12}$/),
    );
    const run = (text: string, f: (ctx: RuleContext) => void): string => {
      const ctx = createContext(text);
      f(ctx);
      return JSON.stringify(ctx.out);
    };
    fc.assert(
      fc.property(textOf(part, 24), (text) => {
        expect(run(text, detectPasswordShapes)).toBe(run(text, plainPasswordShapes));
      }),
      { seed: 1524, numRuns: 3000 },
    );
    const long = `${"Ab1!".repeat(40)} x ${"!".repeat(200)}9 ${"aB3$".repeat(30)}`;
    expect(run(long, detectPasswordShapes)).toBe(run(long, plainPasswordShapes));
  });
});
