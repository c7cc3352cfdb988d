// The gate words of the rule families, found in one pass over a text. Most families run their patterns only
// when a hint word occurs ("diagnos", "cvv", "straße", 验证…); each hint test is a scan of the whole text, and
// most texts hold none. One scan for every gate's words (case-insensitive, a superset of each gate) answers
// them all at once; a family still runs its own hint test when its bit is set, so what it finds is unchanged.
// The scan is a table-driven automaton, one step per unit. The same walk over the units records what other
// families would each walk the text for: the Latin-script word runs the word lexicons look up (lexicon.ts) and
// the units that can open a capitalised word (people-tokens.ts). It is the one JavaScript loop over every unit
// of a text; a loop costs several nanoseconds per unit here, so each walk saved is a few percent of a pass.
import { isAsciiLetter, type RuleContext } from "./context.js";
import { isOpener } from "./people-tokens.js";

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
  /** organisations.ts: the words of a school's name. */
  school: 1 << 17,
  /** organisations.ts: the work words before an employer, and the words of a Chinese one. */
  employer: 1 << 18,
  /** organisations.ts: the words that name an employer as one ("my employer, …", "Company: …"). */
  employerNamed: 1 << 19,
} as const;

// Per gate, words such that every text passing the gate's own hint test holds one of them (ignoring case).
const WORDS: readonly (readonly [number, string])[] = [
  [KW.healthCue, "diagnos suffer prescri allergic treated recovering"],
  [KW.vital, "mmhg bpm mmol mg/dl bmi 次/分"],
  [KW.body, "体重 身高 eigh tall"],
  // Where each postcode word of address.ts starts (its pattern is tried only at these): "post" for "post code",
  // "postal code" with any space between, "digo" two units into "código postal", "kod" for "kod pocztowy".
  [KW.postcode, "post zip plz code digo cep kod 邮编 邮政编码"],
  [KW.credit, "credit 信用 芝麻分 fico"],
  // "bank" starts "bank account": finance.ts tries its account pattern only at these words' starts.
  [KW.account, "account acct card bank 账号 账户 帐号 帐户 卡号"],
  [KW.tail, "ending last digits"],
  [KW.cvv, "cvv cvc cid security+code"],
  [KW.deSuffix, "straße strasse weg gasse platz allee"],
  [KW.plate, "late egistration 车牌"],
  [
    KW.birth,
    "birth born dob d.o.b 出生 生日 生于 geboren geburt né née naissance nacimiento nacid nascita nascimento nato nata geboorte urodzenia",
  ],
  [KW.otp, "验证 otp verif code 动态 授权 一次性 2fa 短信"],
  [KW.kv, "key secret token"],
  [KW.password, "password pwd"],
  [KW.cueAnchor, "pass pwd pin code otp 2fa mfa answer token session security key licen login user ssn"],
  [
    KW.euStreet,
    "via corso piazza rua avenida av. rue calle carrer paseo plaza praça boulevard chemin allée straße strasse",
  ],
  [KW.school, "universit college institute polytechnic academy school 大学 学院 中学 小学 高中"],
  [KW.employer, "work employed interning interned joined 公司 集团 银行 研究院 研究所 事务所"],
  [KW.employerNamed, "employer company workplace"],
];

/** Each gate's words (lower case), for tests that check the scan against a plain search. */
export function gateWords(): readonly (readonly [number, readonly string[]])[] {
  return WORDS.map(([bit, list]) => [bit, list.split(" ").map((w) => w.replace(/\+/g, " "))] as const);
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

/**
 * The words as one deterministic automaton (Aho–Corasick with every transition filled in) over classes of
 * UTF-16 units: a unit's class is that of its lower case (its first unit), and a unit in no word is class 0,
 * which always leads back to the start. A scan is then one table step per unit, where a case-insensitive
 * regex alternation of these words costs V8 several times more.
 */
interface Automaton {
  /** Per UTF-16 unit, its class (the low 8 bits), {@link WORD_UNIT} and {@link OPENER}. */
  readonly classOf: Uint16Array;
  readonly classes: number;
  /**
   * Per state row (a state times {@link classes}) and class, the next state's row: one load per unit, no
   * multiplication. The states are numbered so that those where a word ends come last (from {@link outRow}
   * on): a comparison tells a hit, and the table holds 16-bit rows (half the cache of 32-bit ones).
   */
  readonly delta: Uint16Array;
  /** The first row of a state where a word ends. */
  readonly outRow: number;
  /** Per state, where its words start in {@link outputs} (and the next state's entry where they end). */
  readonly outFirst: Uint16Array;
  /** Length/bits pairs of the words that end in a state (its own and those of its failure chain). */
  readonly outputs: Int32Array;
}

/** Unit flag: a unit of a Latin-script word as the word lexicons see it (ASCII letters and digits, ' and ’). */
const WORD_SHIFT = 8;
const WORD_UNIT = 1 << WORD_SHIFT;
/** Unit flag: a unit that can open a capitalised word (people-tokens.ts `isOpener`). */
const OPENER = 1 << 9;

/** True for a unit of a Latin-script word as the word lexicons see it (lexicon.ts reads the same test). */
export function isWordUnit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 39 || c === 0x2019;
}

function buildAutomaton(words: ReadonlyMap<string, number>): Automaton {
  const classOf = new Uint16Array(0x10000);
  let classes = 1;
  for (const word of words.keys())
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (classOf[c] === 0) classOf[c] = classes++;
    }
  if (classes > 255) throw new Error("too many keyword units");
  // Every unit whose lower case starts with a word's unit shares its class (A, İ for i, É for é).
  for (let u = 0; u < 0x10000; u++) {
    if (classOf[u] !== 0) continue;
    const lower = String.fromCharCode(u).toLowerCase().charCodeAt(0);
    if (lower !== u) classOf[u] = classOf[lower] as number;
  }
  // The trie: per state, its children by class; each state's own word.
  const children: Map<number, number>[] = [new Map<number, number>()];
  const own: (readonly [number, number] | undefined)[] = [undefined];
  for (const [word, bits] of words) {
    let state = 0;
    for (let i = 0; i < word.length; i++) {
      const cls = classOf[word.charCodeAt(i)] as number;
      let next = children[state]?.get(cls);
      if (next === undefined) {
        next = children.length;
        children.push(new Map<number, number>());
        own.push(undefined);
        children[state]?.set(cls, next);
      }
      state = next;
    }
    own[state] = [word.length, bits];
  }
  const states = children.length;
  if (states > 0xffff) throw new Error("too many keyword states");
  const delta = new Uint16Array(states * classes);
  const fail = new Uint16Array(states);
  const lists: (readonly (readonly [number, number])[])[] = new Array<never[]>(states).fill([]);
  // Breadth first: a state's failure link is shorter, so its transitions and outputs are complete first.
  const queue: number[] = [];
  for (const [cls, child] of children[0] ?? []) {
    delta[cls] = child;
    queue.push(child);
  }
  for (let q = 0; q < queue.length; q++) {
    const state = queue[q] as number;
    const f = fail[state] as number;
    const mine = own[state];
    lists[state] = mine === undefined ? (lists[f] ?? []) : [mine, ...(lists[f] ?? [])];
    for (let cls = 0; cls < classes; cls++) {
      const child = children[state]?.get(cls);
      const fallback = delta[f * classes + cls] as number;
      if (child === undefined) delta[state * classes + cls] = fallback;
      else {
        delta[state * classes + cls] = child;
        fail[child] = fallback;
        queue.push(child);
      }
    }
  }
  // Renumber: the states where no word ends first (the start stays 0), those where one does after them.
  if (states * classes > 0xffff) throw new Error("keyword automaton too large for 16-bit rows");
  const hasOut = (state: number): boolean => (lists[state] ?? []).length > 0;
  const order = [...Array(states).keys()].sort((a, b) => Number(hasOut(a)) - Number(hasOut(b)) || a - b);
  const renamed = new Uint16Array(states);
  order.forEach((old, k) => (renamed[old] = k));
  const step = new Uint16Array(states * classes);
  for (let old = 0; old < states; old++)
    for (let cls = 0; cls < classes; cls++)
      step[(renamed[old] as number) * classes + cls] =
        (renamed[delta[old * classes + cls] as number] as number) * classes;
  const outRow = order.findIndex(hasOut) * classes;
  for (let u = 0; u < 0x10000; u++) {
    if (isWordUnit(u)) classOf[u] = (classOf[u] as number) | WORD_UNIT;
    if (isOpener(u)) classOf[u] = (classOf[u] as number) | OPENER;
  }
  const outFirst = new Uint16Array(states + 1);
  const flat: number[] = [];
  for (let k = 0; k < states; k++) {
    outFirst[k] = flat.length / 2;
    for (const [len, bits] of lists[order[k] as number] ?? []) flat.push(len, bits);
  }
  outFirst[states] = flat.length / 2;
  return { classOf, classes, delta: step, outRow, outFirst, outputs: Int32Array.from(flat) };
}

const AUTOMATON = buildAutomaton(prefixFree());

/** The gate bits of the context's text ({@link KW}), from one scan made on first use. */
export function keywordBits(ctx: RuleContext): number {
  let bits = ctx.keywords;
  if (bits === undefined) bits = scan(ctx);
  return bits;
}

/**
 * Whether the word unit run [s, e) is one the word lexicons look up (lexicon.ts `wordRuns`): three units or
 * more, three ASCII letters first, not glued by a hyphen to the word before ("eco-anxiety").
 */
function isLookedUp(text: string, s: number, e: number): boolean {
  return (
    e - s >= 3 &&
    isAsciiLetter(text.charCodeAt(s)) &&
    isAsciiLetter(text.charCodeAt(s + 1)) &&
    isAsciiLetter(text.charCodeAt(s + 2)) &&
    !(s > 1 && text.charCodeAt(s - 1) === 45 && isWordUnit(text.charCodeAt(s - 2)))
  );
}

// The word runs are written into one buffer reused from text to text: a typed array of a text's size cost 1–2 µs
// to allocate (its backing store lives outside the V8 heap), several milliseconds over a pass of the excerpt.
// A context's runs are a view of the buffer, valid until the next scan; `wordsScan` says which scan wrote them,
// and a context whose view was overwritten is scanned again. A buffer grown past KEEP_WORDS is not kept.
const KEEP_WORDS = 1 << 16;
let wordBuffer = new Int32Array(1024);
// Every edge of a word run, written by the walk without a branch (see scan), then filtered into the word
// buffer; reused the same way (one entry per unit: a buffer past twice KEEP_WORDS is not kept). Writing the runs
// in place in the word buffer instead measured slower.
let edgeBuffer = new Int32Array(1024);
let scans = 0;

/**
 * The one walk over the text's units: sets the context's gate bits, the gate words' starts with their bits
 * (ordered by end), the word runs the word lexicons look up (lexicon.ts) and the units that can open a
 * capitalised word (people-tokens.ts), so no family walks the units again for them.
 */
function scan(ctx: RuleContext): number {
  const { classOf, classes, delta, outRow, outFirst, outputs } = AUTOMATON;
  const text = ctx.text;
  const n = text.length;
  const hits: number[] = [];
  // A run looked up takes three units and one after it: at most one start/end pair per two units.
  const need = (n >> 1) + 2;
  let words = wordBuffer;
  if (words.length < need) {
    words = new Int32Array(Math.max(need, 2 * words.length));
    if (words.length <= KEEP_WORDS) wordBuffer = words;
  }
  let count = 0;
  const openers: number[] = [];
  let bits = 0;
  let row = 0;
  let edges = edgeBuffer;
  if (edges.length < n + 2) {
    edges = new Int32Array(Math.max(n + 2, 2 * edges.length));
    if (edges.length <= KEEP_WORDS * 2) edgeBuffer = edges;
  }
  let edgeCount = 0;
  let inWord = 0;
  for (let i = 0; i < n; i++) {
    const unit = classOf[text.charCodeAt(i)] as number;
    row = delta[row + (unit & 0xff)] as number;
    if (row >= outRow) {
      const state = row / classes;
      const last = outFirst[state + 1] as number;
      for (let k = outFirst[state] as number; k < last; k++) {
        const found = outputs[2 * k + 1] as number;
        bits |= found;
        hits.push(i + 1 - (outputs[2 * k] as number), found);
      }
    }
    if ((unit & OPENER) !== 0) openers.push(i);
    // Where a word run starts or ends, without a branch: the offset is written every unit and kept where the
    // word bit flips. A branch here mispredicts at most word edges, and cost more than the rest of the walk.
    const w = (unit >> WORD_SHIFT) & 1;
    edges[edgeCount] = i;
    edgeCount += w ^ inWord;
    inWord = w;
  }
  if (inWord === 1) edges[edgeCount++] = n;
  for (let k = 0; k < edgeCount; k += 2) {
    const s = edges[k] as number;
    const e = edges[k + 1] as number;
    if (isLookedUp(text, s, e)) {
      words[count++] = s;
      words[count++] = e;
    }
  }
  ctx.keywords = bits;
  ctx.keywordHits = hits;
  ctx.words = words.subarray(0, count);
  ctx.wordsScan = words === wordBuffer ? ++scans : 0;
  ctx.openers = openers;
  return bits;
}

/**
 * Ascending offsets of the units that can open a capitalised word (people-tokens.ts `capitalOpeners`), from
 * the same walk as {@link keywordBits}.
 */
export function contextOpeners(ctx: RuleContext): readonly number[] {
  if (ctx.openers === undefined) scan(ctx);
  return ctx.openers ?? [];
}

/**
 * Start/end pairs of the Latin-script words the word lexicons look up (lexicon.ts `wordRuns`), from the same
 * walk as {@link keywordBits}.
 */
export function contextWordRuns(ctx: RuleContext): Int32Array {
  // The shared buffer was written by a later scan since (another context): scan this one again.
  if (ctx.words === undefined || (ctx.wordsScan !== 0 && ctx.wordsScan !== scans)) scan(ctx);
  return ctx.words ?? new Int32Array(0);
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
  // Words are found where they end: a longer word may start before a shorter one found first.
  if (!sorted) out.sort((a, b) => a - b);
  return out;
}

/**
 * Whether the sticky pattern `re` matches at a start of gate `bit`'s words: a family's own hint test, tried only
 * there instead of over the whole text. Exact when every match of the hint starts with one of the gate's words
 * (so it starts where the scan saw one, in any case).
 */
export function hintAtKeywords(ctx: RuleContext, bit: number, re: RegExp): boolean {
  if (!hasKeyword(ctx, bit)) return false;
  const t = ctx.text;
  for (const at of keywordStarts(ctx, bit)) {
    re.lastIndex = at;
    if (re.test(t)) return true;
  }
  return false;
}

/** The sticky copy of a hint pattern, for {@link hintAtKeywords}. */
export function stickyHint(re: RegExp): RegExp {
  return new RegExp(re.source, `${re.flags.replace(/[gy]/g, "")}y`);
}

/** False when none of a gate's words occurs in the text (its own hint test cannot pass). */
export function hasKeyword(ctx: RuleContext, bit: number): boolean {
  return (keywordBits(ctx) & bit) !== 0;
}
