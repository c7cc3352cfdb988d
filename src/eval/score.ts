/**
 * Pure scoring for MemPrivacy-Bench style evaluation (README "Measured figures"): one-to-one
 * maximum-weight matching of predicted and gold spans per turn on text × level × type, and the proxy
 * metrics — leak rate, structured leak rate and over-redaction — computed on the redacted turn.
 *
 * Labels and type names: labels.ts; matching: matching.ts; leak and over-redaction: leak.ts.
 */
import type { TurnLeak } from "./leak.js";
import { SCORED_LEVELS, typesMatch, isScored, type Label, type ScoredLevel } from "./labels.js";
import { maxWeightMatching, pairScore, textScore } from "./matching.js";

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
