// The gate words of the rule families, found in one pass over a text. Most families run their patterns only
// when a hint word occurs ("diagnos", "cvv", "straße", 验证…); each hint test is a scan of the whole text, and
// most texts hold none. One scan for every gate's words (case-insensitive, a superset of each gate) answers
// them all at once; a family still runs its own hint test when its bit is set, so what it finds is unchanged.
import type { RuleContext } from "./context.js";

/** The gates, a bit each; {@link hasKeyword} answers whether a gate's words may occur. */
export const KW = {
  /** health.ts: the English clinical cue stems. */
  healthCue: 1 << 0,
  /** health.ts: the vital units. */
  vital: 1 << 1,
  /** health.ts: the body-measure words. */
  body: 1 << 2,
  /** address.ts: the postcode words. */
  postcode: 1 << 3,
  /** amounts.ts: the credit-score words. */
  credit: 1 << 4,
  /** finance.ts: the account-number words. */
  account: 1 << 5,
  /** finance.ts: the English card-tail words. */
  tail: 1 << 6,
  /** finance.ts: the English card-security-code words. */
  cvv: 1 << 7,
  /** address.ts: the German street suffixes. */
  deSuffix: 1 << 8,
  /** plates.ts: the plate cue words. */
  plate: 1 << 10,
  /** profile.ts: the birth cue words. */
  birth: 1 << 11,
  /** cues.ts: the one-time-code context words. */
  otp: 1 << 12,
  /** secrets.ts: the key = value names. */
  kv: 1 << 13,
  /** secrets.ts: the password words of connection strings. */
  password: 1 << 14,
  /** cues.ts: the English cue anchors (all but "ID", which is matched in capitals only). */
  cueAnchor: 1 << 15,
  /** address.ts: the lead words of European street names. */
  euStreet: 1 << 16,
} as const;

// Per gate, words such that every text passing the gate's own hint test holds one of them (ignoring case).
const WORDS: readonly (readonly [number, string])[] = [
  [KW.healthCue, "diagnos suffer prescri allergic treated recovering"],
  [KW.vital, "mmhg bpm mmol mg/dl bmi 次/分"],
  [KW.body, "体重 身高 eigh tall"],
  [KW.postcode, "postcode post+code postal zip plz code+postal digo+postal cep pocztowy 邮编 邮政编码"],
  [KW.credit, "credit 信用 芝麻分 fico"],
  [KW.account, "account acct card 账号 账户 帐号 帐户 卡号"],
  [KW.tail, "ending last digits"],
  [KW.cvv, "cvv cvc cid security+code"],
  [KW.deSuffix, "straße strasse weg gasse platz allee"],
  [KW.plate, "late egistration 车牌"],
  [
    KW.birth,
    "birth born dob d.o.b 出生 生日 生于 geboren né née naissance nacimiento nacid nascita nato nata geboorte urodzenia",
  ],
  [KW.otp, "验证 otp verif code 动态 授权 一次性 2fa 短信"],
  [KW.kv, "key secret token"],
  [KW.password, "password pwd"],
  [KW.cueAnchor, "pass pwd pin code otp 2fa mfa answer token session security key licen login user ssn"],
  [
    KW.euStreet,
    "via corso piazza rua avenida av. rue calle carrer paseo plaza praça boulevard chemin allée straße strasse",
  ],
];

const ALL = Object.values(KW).reduce((all, bit) => all | bit, 0);

/** Each gate's words (lower case), for tests that check the scan against a plain search. */
export function gateWords(): readonly (readonly [number, readonly string[]])[] {
  return WORDS.map(([bit, list]) => [bit, list.split(" ").map((w) => w.replace(/\+/g, " "))] as const);
}

function isCjkUnit(c: number): boolean {
  return c >= 0x3400 && c <= 0x9fff;
}

/**
 * The words as a prefix-free set with the gates of every word they start (a word that starts a longer one
 * stands for both: wherever the longer occurs, the shorter does), so at any position at most one matches.
 */
function prefixFree(): Map<string, number> {
  const bits = new Map<string, number>();
  for (const [bit, list] of WORDS)
    for (const w of list.split(" ")) {
      const word = w.replace(/\+/g, " ");
      bits.set(word, (bits.get(word) ?? 0) | bit);
    }
  const kept = new Map<string, number>();
  for (const word of [...bits.keys()].sort((a, b) => a.length - b.length)) {
    let merged = false;
    for (const [k, v] of kept)
      if (word.startsWith(k)) {
        kept.set(k, v | (bits.get(word) ?? 0));
        merged = true;
      }
    if (!merged) kept.set(word, bits.get(word) ?? 0);
  }
  return kept;
}

/** One alternation grouped by first character (V8 tries one group per position, not every word). */
function alternation(words: readonly string[], flags: string): RegExp {
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const groups = new Map<string, string[]>();
  for (const w of words) {
    const f = w.charAt(0);
    const g = groups.get(f) ?? [];
    g.push(w);
    groups.set(f, g);
  }
  const parts = [...groups].map(([f, g]) =>
    g.length === 1 ? esc(g[0] ?? "") : `${esc(f)}(?:${g.map((w) => esc(w.slice(1))).join("|")})`,
  );
  return new RegExp(parts.join("|"), flags);
}

const BITS = prefixFree();
// Latin-script words, case-insensitive, in every text; Chinese words only in a text with a CJK unit.
const LATIN_RE = alternation(
  [...BITS.keys()].filter((w) => !isCjkUnit(w.charCodeAt(0))),
  "gi",
);
const CJK_RE = alternation(
  [...BITS.keys()].filter((w) => isCjkUnit(w.charCodeAt(0))),
  "g",
);

function collect(re: RegExp, text: string, lower: boolean, hits: number[]): number {
  let bits = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // A word found in another case that folds to no listed word counts as every gate (fail open).
    const found = BITS.get(lower ? m[0].toLowerCase() : m[0]) ?? ALL;
    bits |= found;
    hits.push(m.index, found);
    // Words may overlap ("lastoken"): the scan goes on at the next position, not after the match.
    re.lastIndex = m.index + 1;
  }
  return bits;
}

/** The gate bits of the context's text ({@link KW}), from one scan made on first use. */
export function keywordBits(ctx: RuleContext): number {
  let bits = ctx.keywords;
  if (bits === undefined) bits = scan(ctx);
  return bits;
}

/** The one scan: sets the context's gate bits and the word starts with their bits. */
function scan(ctx: RuleContext): number {
  const hits: number[] = [];
  let bits = collect(LATIN_RE, ctx.text, true, hits);
  if (ctx.hasCjk) bits |= collect(CJK_RE, ctx.text, false, hits);
  ctx.keywords = bits;
  ctx.keywordHits = hits;
  return bits;
}

/**
 * Ascending start offsets of the words of gate `bit` in the text, from the same scan as {@link keywordBits}:
 * every place where one of the gate's words starts, in any case (a family anchors its patterns there instead
 * of scanning the whole text again).
 */
export function keywordStarts(ctx: RuleContext, bit: number): number[] {
  // Bits set some other way come without their starts: scan again rather than report none.
  if (ctx.keywordHits === undefined) scan(ctx);
  const hits = ctx.keywordHits ?? [];
  const out: number[] = [];
  let sorted = true;
  for (let k = 0; k + 1 < hits.length; k += 2)
    if (((hits[k + 1] as number) & bit) !== 0) {
      const at = hits[k] as number;
      if (out.length > 0 && at < (out[out.length - 1] as number)) sorted = false;
      out.push(at);
    }
  // The Latin and the Chinese words come from two scans.
  if (!sorted) out.sort((a, b) => a - b);
  return out;
}

/** False when none of a gate's words occurs in the text (its own hint test cannot pass). */
export function hasKeyword(ctx: RuleContext, bit: number): boolean {
  return (keywordBits(ctx) & bit) !== 0;
}
