/**
 * Pure scoring for MemPrivacy-Bench style evaluation (README "Measured figures"): one-to-one
 * maximum-weight matching of predicted and gold spans per turn on text × level × type, and the proxy
 * metrics — leak rate, structured leak rate and over-redaction — computed on the redacted turn.
 */
import { mergeSpans } from "../detection/merge.js";
import type { Span } from "../detection/span.js";
import type { PrivacyLevel } from "../taxonomy/levels.js";

/** A labelled or predicted value: its text, type and level. */
export interface Label {
  readonly text: string;
  readonly type: string;
  readonly level: PrivacyLevel;
}

/** The levels reported on. */
export const SCORED_LEVELS = ["PL2", "PL3", "PL4"] as const;
type ScoredLevel = (typeof SCORED_LEVELS)[number];

/**
 * Descriptive types get partial text credit (longest common token run F1); values of any other type
 * must match exactly. The paper names the first nine; the rest are free-form types of the same nature.
 */
const DESCRIPTIVE_TYPES = new Set(
  [
    "Medical Health",
    "Transaction Record",
    "Itinerary/Trajectory",
    "Communication Content",
    "Judicial Record",
    "Sensitive Identity",
    "Relationship Info",
    "Debt/Loan Info",
    "Vulnerability Details",
    "Medical Record",
    "Accommodation Records",
    "Identity Background",
    "Assets/Income",
    "Assets/Net Worth",
    "Business Secret",
    "Third-Party Identifiable Info",
    "Financial Account",
    "Political Views/Stance",
    "Religious Beliefs",
    "Vehicle Information",
    "Credit Score",
    "Minor Information",
    "Classified Information",
    "System/Attack",
  ].map((t) => normType(t)),
);
const DESCRIPTIVE_WORDS_RE = /record|info|details|history|background|trajectory|content|stance|beliefs/i;

/**
 * Types counted by the structured leak rate: values with a fixed shape that rules can be expected to find
 * (contact points, document / card / account numbers, network addresses, one-time codes and credentials).
 */
export const STRUCTURED_TYPES: ReadonlySet<string> = new Set(
  [
    "Phone Number",
    "Email",
    "ID Number",
    "Passport Number",
    "Driver's License Number",
    "License Plate",
    "Document Number",
    "Bank/Payment Card Number",
    "Financial Account Number",
    "Internal IP",
    "IP Address",
    "MAC Address",
    "Verification Code",
    "Backup Code",
    "Recovery Code",
    "Password",
    "PIN",
    "Payment Security Code",
    "Token",
    "Session Token",
    "Key",
    "Private Key",
    "Database Connection String",
  ].map((t) => normType(t)),
);

/** Groups of type names treated as the same type (an offline stand-in for embedding similarity). */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  [
    "Financial Account",
    "Bank/Payment Card Number",
    "Bank Card Number",
    "Card Number",
    "Bank Account",
    "IBAN",
  ],
  ["Verification Code", "OTP", "Backup Code", "Recovery Code", "One-Time Code", "2FA Code"],
  ["Token", "Session Token", "Access Token", "Auth Token", "API Token"],
  ["Key", "API Key", "Secret Key", "Access Key"],
  ["Password", "Passcode"],
  ["PIN", "PIN Code"],
  ["IP Address", "Network Identifier", "MAC Address", "Internal IP", "Device ID"],
  ["ID Number", "National ID", "Resident ID", "SSN", "Document Number"],
  ["Passport Number", "Passport"],
  ["Driver's License Number", "Driver License Number", "Driving Licence Number"],
  ["Phone Number", "Phone", "Mobile Number", "Telephone Number"],
  ["Email", "Email Address"],
  ["Real Name", "Name", "Full Name"],
  ["Project/Task ID", "Project Code", "Reference Code", "Reference ID", "Ticket ID"],
  ["Company/Organization Info", "Employer/Company Name", "Company Name", "Organization"],
  ["Assets/Income", "Assets/Net Worth", "Income"],
  ["Medical Health", "Medical Record"],
  ["License Plate", "Licence Plate", "Vehicle Plate"],
  ["Security Question Answer", "Security Answer", "Security Question"],
  ["Payment Security Code", "CVV", "CVC"],
];

function normType(type: string): string {
  return type.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

const CANONICAL = new Map<string, string>();
for (const group of SYNONYM_GROUPS) {
  const head = normType(group[0] ?? "");
  for (const name of group) CANONICAL.set(normType(name), head);
}

/** The canonical name of a type (synonyms collapse to one name; case and punctuation are ignored). */
export function canonicalType(type: string): string {
  const n = normType(type);
  return CANONICAL.get(n) ?? n;
}

/** True when two type names mean the same type. */
export function typesMatch(a: string, b: string): boolean {
  return canonicalType(a) === canonicalType(b);
}

/** True for descriptive types (partial text credit). */
export function isDescriptiveType(type: string): boolean {
  return DESCRIPTIVE_TYPES.has(normType(type)) || DESCRIPTIVE_WORDS_RE.test(type);
}

/** True for the types counted by the structured leak rate. */
export function isStructuredType(type: string): boolean {
  return STRUCTURED_TYPES.has(normType(type));
}

const TOKEN_RE = /[\u3400-\u9fff\uf900-\ufaff]|[\p{L}\p{N}]+/gu;

/** Tokens for partial credit: each CJK character alone, other letter/digit runs as words (lower-cased). */
export function tokenize(text: string): string[] {
  return Array.from(text.toLowerCase().matchAll(TOKEN_RE), (m) => m[0]);
}

/** F1 of the longest common contiguous run of tokens between two texts (0 when either has no token). */
export function longestCommonRunF1(pred: string, gold: string): number {
  const a = tokenize(pred);
  const b = tokenize(gold);
  if (a.length === 0 || b.length === 0) return 0;
  let best = 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) {
        const v = (prev[j - 1] ?? 0) + 1;
        cur[j] = v;
        if (v > best) best = v;
      }
    }
    prev = cur;
  }
  if (best === 0) return 0;
  const p = best / a.length;
  const r = best / b.length;
  return (2 * p * r) / (p + r);
}

/** Text sub-score: 0 if `pred` is not in the turn, 1 if equal to gold, partial for descriptive gold types. */
export function textScore(pred: Label, gold: Label, turn: string): number {
  if (!turn.includes(pred.text)) return 0;
  if (pred.text.trim() === gold.text.trim()) return 1;
  return isDescriptiveType(gold.type) ? longestCommonRunF1(pred.text, gold.text) : 0;
}

/** Pair score: text × level × type. */
export function pairScore(pred: Label, gold: Label, turn: string): number {
  if (pred.level !== gold.level || !typesMatch(pred.type, gold.type)) return 0;
  return textScore(pred, gold, turn);
}

/**
 * Maximum-weight one-to-one matching (Hungarian algorithm on the padded square matrix).
 * Returns the pairs [row, col] with positive weight.
 */
export function maxWeightMatching(weights: readonly (readonly number[])[]): [number, number][] {
  const rows = weights.length;
  const cols = rows === 0 ? 0 : Math.max(...weights.map((r) => r.length));
  const n = Math.max(rows, cols);
  if (n === 0) return [];
  let maxW = 0;
  for (const r of weights) for (const w of r) if (w > maxW) maxW = w;
  // Minimise cost = maxW − weight; padding cells cost maxW (weight 0).
  const cost = (i: number, j: number): number => maxW - (weights[i - 1]?.[j - 1] ?? 0);
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(n + 1).fill(0);
  const p = new Array<number>(n + 1).fill(0);
  const way = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(n + 1).fill(Infinity);
    const used = new Array<boolean>(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0] ?? 0;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j] === true) continue;
        const cur = cost(i0, j) - (u[i0] ?? 0) - (v[j] ?? 0);
        if (cur < (minv[j] ?? Infinity)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] ?? Infinity) < delta) {
          delta = minv[j] ?? Infinity;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j] === true) {
          u[p[j] ?? 0] = (u[p[j] ?? 0] ?? 0) + delta;
          v[j] = (v[j] ?? 0) - delta;
        } else {
          minv[j] = (minv[j] ?? Infinity) - delta;
        }
      }
      j0 = j1;
    } while ((p[j0] ?? 0) !== 0);
    do {
      const j1 = way[j0] ?? 0;
      p[j0] = p[j1] ?? 0;
      j0 = j1;
    } while (j0 !== 0);
  }
  const out: [number, number][] = [];
  for (let j = 1; j <= n; j++) {
    const i = p[j] ?? 0;
    if (i >= 1 && i <= rows && j <= cols && (weights[i - 1]?.[j - 1] ?? 0) > 0) out.push([i - 1, j - 1]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Per-level sums for precision and recall. */
export interface LevelSums {
  predCount: number;
  goldCount: number;
  /** Sum of matched pair scores, by the prediction's level (precision numerator). */
  predScore: number;
  /** Sum of matched pair scores, by the gold level (recall numerator). */
  goldScore: number;
}

/** What one turn contributes. */
export interface TurnScore {
  readonly byLevel: Record<ScoredLevel, LevelSums>;
  /** Pairs matched on text alone (text score > 0), and how many of them agree on type / level. */
  readonly textPairs: number;
  readonly typeAgree: number;
  readonly levelAgree: number;
}

function emptySums(): Record<ScoredLevel, LevelSums> {
  return {
    PL2: { predCount: 0, goldCount: 0, predScore: 0, goldScore: 0 },
    PL3: { predCount: 0, goldCount: 0, predScore: 0, goldScore: 0 },
    PL4: { predCount: 0, goldCount: 0, predScore: 0, goldScore: 0 },
  };
}

function isScored(level: PrivacyLevel): level is ScoredLevel {
  return level === "PL2" || level === "PL3" || level === "PL4";
}

/** Scores one turn: matching on text × level × type, plus a text-only matching for type/level accuracy. */
export function scoreTurn(turn: string, gold: readonly Label[], pred: readonly Label[]): TurnScore {
  const byLevel = emptySums();
  for (const p of pred) if (isScored(p.level)) byLevel[p.level].predCount++;
  for (const g of gold) if (isScored(g.level)) byLevel[g.level].goldCount++;
  const full = pred.map((p) => gold.map((g) => pairScore(p, g, turn)));
  for (const [i, j] of maxWeightMatching(full)) {
    const p = pred[i];
    const g = gold[j];
    const w = full[i]?.[j] ?? 0;
    if (p === undefined || g === undefined) continue;
    if (isScored(p.level)) byLevel[p.level].predScore += w;
    if (isScored(g.level)) byLevel[g.level].goldScore += w;
  }
  const textOnly = pred.map((p) => gold.map((g) => textScore(p, g, turn)));
  let textPairs = 0;
  let typeAgree = 0;
  let levelAgree = 0;
  for (const [i, j] of maxWeightMatching(textOnly)) {
    const p = pred[i];
    const g = gold[j];
    if (p === undefined || g === undefined) continue;
    textPairs++;
    if (typesMatch(p.type, g.type)) typeAgree++;
    if (p.level === g.level) levelAgree++;
  }
  return { byLevel, textPairs, typeAgree, levelAgree };
}

/** A half-open character interval. */
export type Interval = readonly [number, number];

/** Every occurrence of `needle` in `hay` (non-overlapping, left to right). */
export function occurrences(hay: string, needle: string): Interval[] {
  const out: Interval[] = [];
  if (needle.length === 0) return out;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) {
    out.push([i, i + needle.length]);
  }
  return out;
}

/** The private-use character standing for a placeholder in the leak check (no gold value contains it). */
export const LEAK_PLACEHOLDER = "\uE000";

/**
 * Redacts a turn as the proxy would: every detected value is masked at every occurrence in the turn;
 * overlaps are resolved by `mergeSpans` and substitution is one pass. Each masked span becomes
 * {@link LEAK_PLACEHOLDER}, so a gold value can never "leak" by matching inside a placeholder name.
 * Returns the redacted text and the masked intervals of the original turn.
 */
export function redactTurn(turn: string, spans: readonly Span[]): { redacted: string; masked: Interval[] } {
  const all: Span[] = [...spans];
  const values = new Map<string, Span>();
  for (const s of spans) if (!values.has(s.text)) values.set(s.text, s);
  for (const [value, s] of values) {
    for (const [start, end] of occurrences(turn, value)) all.push({ ...s, start, end, source: "occurrence" });
  }
  const merged = mergeSpans(all);
  let out = "";
  let at = 0;
  const masked: Interval[] = [];
  for (const s of merged) {
    out += turn.slice(at, s.start) + LEAK_PLACEHOLDER;
    masked.push([s.start, s.end]);
    at = s.end;
  }
  return { redacted: out + turn.slice(at), masked };
}

/** Leak and over-redaction figures for one turn. */
export interface TurnLeak {
  readonly gold: number;
  readonly leaked: number;
  readonly structuredGold: number;
  readonly structuredLeaked: number;
  /** Characters masked in the turn. */
  readonly maskedChars: number;
  /** Masked characters outside every occurrence of every gold value. */
  readonly overMaskedChars: number;
  /** Characters outside every occurrence of every gold value. */
  readonly nonPrivateChars: number;
  /** Gold labels that leaked (for per-type reports). */
  readonly leakedLabels: readonly Label[];
}

/**
 * Leak rate inputs for one turn: a gold value (PL2–PL4) leaks when it still occurs verbatim in the
 * redacted turn. Over-redaction counts masked characters that lie outside every occurrence of every gold
 * value in the turn; its denominators are the masked characters and the non-private characters.
 */
export function leakTurn(turn: string, gold: readonly Label[], spans: readonly Span[]): TurnLeak {
  const { redacted, masked } = redactTurn(turn, spans);
  let leaked = 0;
  let structuredGold = 0;
  let structuredLeaked = 0;
  const leakedLabels: Label[] = [];
  const scoredGold = gold.filter((g) => isScored(g.level));
  for (const g of scoredGold) {
    const isLeak = redacted.includes(g.text);
    const structured = isStructuredType(g.type);
    if (structured) structuredGold++;
    if (isLeak) {
      leaked++;
      leakedLabels.push(g);
      if (structured) structuredLeaked++;
    }
  }
  const private_ = new Uint8Array(turn.length);
  for (const g of gold) for (const [s, e] of occurrences(turn, g.text)) private_.fill(1, s, e);
  let maskedChars = 0;
  let overMaskedChars = 0;
  for (const [s, e] of masked) {
    maskedChars += e - s;
    for (let i = s; i < e; i++) if (private_[i] === 0) overMaskedChars++;
  }
  let nonPrivateChars = 0;
  for (let i = 0; i < turn.length; i++) if (private_[i] === 0) nonPrivateChars++;
  return {
    gold: scoredGold.length,
    leaked,
    structuredGold,
    structuredLeaked,
    maskedChars,
    overMaskedChars,
    nonPrivateChars,
    leakedLabels,
  };
}

/** Precision, recall and F1 from sums (0 when a denominator is 0). */
export function prf(predScore: number, predCount: number, goldScore: number, goldCount: number) {
  const precision = predCount === 0 ? 0 : predScore / predCount;
  const recall = goldCount === 0 ? 0 : goldScore / goldCount;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Running totals over many turns (one per language and one overall). */
export class ScoreAccumulator {
  turns = 0;
  readonly byLevel = emptySums();
  textPairs = 0;
  typeAgree = 0;
  levelAgree = 0;
  gold = 0;
  leaked = 0;
  structuredGold = 0;
  structuredLeaked = 0;
  maskedChars = 0;
  overMaskedChars = 0;
  nonPrivateChars = 0;
  readonly leakedByType = new Map<string, number>();
  readonly goldByType = new Map<string, number>();

  /** Adds one turn's score and leak figures. */
  add(score: TurnScore, leak: TurnLeak, gold: readonly Label[]): void {
    this.turns++;
    for (const l of SCORED_LEVELS) {
      const a = this.byLevel[l];
      const b = score.byLevel[l];
      a.predCount += b.predCount;
      a.goldCount += b.goldCount;
      a.predScore += b.predScore;
      a.goldScore += b.goldScore;
    }
    this.textPairs += score.textPairs;
    this.typeAgree += score.typeAgree;
    this.levelAgree += score.levelAgree;
    this.gold += leak.gold;
    this.leaked += leak.leaked;
    this.structuredGold += leak.structuredGold;
    this.structuredLeaked += leak.structuredLeaked;
    this.maskedChars += leak.maskedChars;
    this.overMaskedChars += leak.overMaskedChars;
    this.nonPrivateChars += leak.nonPrivateChars;
    for (const g of gold)
      if (isScored(g.level)) this.goldByType.set(g.type, (this.goldByType.get(g.type) ?? 0) + 1);
    for (const g of leak.leakedLabels)
      this.leakedByType.set(g.type, (this.leakedByType.get(g.type) ?? 0) + 1);
  }

  /** The summary figures (rates are fractions in [0, 1]). */
  summary(): EvalSummary {
    const levels = {} as Record<ScoredLevel | "overall", { precision: number; recall: number; f1: number }>;
    let ps = 0;
    let pc = 0;
    let gs = 0;
    let gc = 0;
    for (const l of SCORED_LEVELS) {
      const s = this.byLevel[l];
      levels[l] = prf(s.predScore, s.predCount, s.goldScore, s.goldCount);
      ps += s.predScore;
      pc += s.predCount;
      gs += s.goldScore;
      gc += s.goldCount;
    }
    levels.overall = prf(ps, pc, gs, gc);
    const rate = (a: number, b: number): number => (b === 0 ? 0 : a / b);
    return {
      turns: this.turns,
      predictions: pc,
      goldLabels: gc,
      levels,
      typeAccuracy: rate(this.typeAgree, this.textPairs),
      levelAccuracy: rate(this.levelAgree, this.textPairs),
      leakRate: rate(this.leaked, this.gold),
      structuredLeakRate: rate(this.structuredLeaked, this.structuredGold),
      structuredGold: this.structuredGold,
      overRedactionOfNonPrivate: rate(this.overMaskedChars, this.nonPrivateChars),
      overRedactionOfMasked: rate(this.overMaskedChars, this.maskedChars),
    };
  }
}

/** Figures printed by the eval script. */
export interface EvalSummary {
  readonly turns: number;
  readonly predictions: number;
  readonly goldLabels: number;
  readonly levels: Record<ScoredLevel | "overall", { precision: number; recall: number; f1: number }>;
  readonly typeAccuracy: number;
  readonly levelAccuracy: number;
  readonly leakRate: number;
  readonly structuredLeakRate: number;
  readonly structuredGold: number;
  readonly overRedactionOfNonPrivate: number;
  readonly overRedactionOfMasked: number;
}
