/**
 * Matching predicted to gold labels (score.ts): a text score with partial credit for descriptive types (the
 * longest common run of tokens), the pair score text × level × type, and a one-to-one maximum-weight matching.
 */
import { isDescriptiveType, typesMatch, type Label } from "./labels.js";

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
