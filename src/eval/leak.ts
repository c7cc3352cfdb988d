/**
 * The proxy's own figures for one turn (score.ts): the turn redacted as the proxy would redact it, which gold
 * values still show (leak rate, structured leak rate) and how much non-private text was masked.
 */
import { mergeSpans } from "../detection/merge.js";
import type { Span } from "../detection/span.js";
import { isScored, isStructuredType, type Label } from "./labels.js";

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
