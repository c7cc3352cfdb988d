// Where a case-insensitive alternation can start, from the literal prefixes of its alternatives: a superset of
// the places where a match starts, tested per position with a few table look-ups. A family tries its pattern
// (sticky) only there instead of letting the regex engine try every alternative at every position; the
// first place where it matches is where a global scan would have matched.

/** Per-position filter built from the alternatives' literal prefixes ({@link createStartFilter}). */
export interface StartFilter {
  /** Per code unit (ASCII letters folded to lower case): non-zero when some prefix starts with it. */
  readonly first: Uint8Array;
  /** Per hashed pair of units: 1 when a two-unit prefix hashes here, 2 when a longer one's first two do. */
  readonly pairs: Uint8Array;
  /** Per hashed triple of units: non-zero when a three-unit prefix hashes here. */
  readonly triples: Uint8Array;
}

function fold(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function pairHash(a: number, b: number): number {
  return (a * 31 + b) & 0xffff;
}

function tripleHash(a: number, b: number, c: number): number {
  return (a * 961 + b * 31 + c) & 0xffff;
}

/**
 * The literal text every match of regex source `source` starts with, up to three units, ASCII letters in lower
 * case: the units before the first metacharacter, escape, group, class or quantified unit.
 */
export function literalPrefix(source: string): string {
  let out = "";
  for (let i = 0; i < source.length && out.length < 3; i++) {
    const c = source.charAt(i);
    if ("\\()[]{}|.?*+^$".includes(c)) break;
    const next = source.charAt(i + 1);
    if (next === "?" || next === "*" || next === "{") break;
    out += String.fromCharCode(fold(c.charCodeAt(0)));
  }
  return out;
}

/**
 * Builds the filter for a case-insensitive alternation of `sources` (each alternative's regex source). Every
 * alternative must start with at least two literal units; a filter that could miss a start is refused.
 */
export function createStartFilter(sources: readonly string[]): StartFilter {
  const first = new Uint8Array(0x10000);
  const pairs = new Uint8Array(0x10000);
  const triples = new Uint8Array(0x10000);
  for (const source of sources) {
    const p = literalPrefix(source);
    if (p.length < 2) throw new Error(`alternative without a two-unit literal prefix: ${source}`);
    const [a, b, c] = [0, 1, 2].map((k) => p.charCodeAt(k));
    first[a as number] = 1;
    const h = pairHash(a as number, b as number);
    if (p.length === 2) pairs[h] = (pairs[h] as number) | 1;
    else {
      pairs[h] = (pairs[h] as number) | 2;
      triples[tripleHash(a as number, b as number, c as number)] = 1;
    }
  }
  return { first, pairs, triples };
}

// Code units with ASCII capitals folded to lower case (a table: a branch per unit mispredicts on mixed case).
const FOLD = new Uint16Array(0x10000);
for (let c = 0; c < 0x10000; c++) FOLD[c] = fold(c);

/**
 * The first place at or after `from` (and before the last unit) where an alternative of the filter's pattern
 * may start, ASCII letters compared in any case; -1 when there is none. The pair test runs first: far fewer
 * places pass it than pass a test of the first unit alone.
 */
export function nextStart(filter: StartFilter, text: string, from: number): number {
  const { first, pairs, triples } = filter;
  const last = text.length - 1;
  if (from >= last) return -1;
  let b = FOLD[text.charCodeAt(from)] as number;
  for (let i = from; i < last; i++) {
    const a = b;
    b = FOLD[text.charCodeAt(i + 1)] as number;
    const pair = pairs[pairHash(a, b)] as number;
    if (pair === 0 || first[a] !== 1) continue;
    if ((pair & 1) === 1) return i;
    const c = i + 2 < text.length ? (FOLD[text.charCodeAt(i + 2)] as number) : -1;
    if (c >= 0 && triples[tripleHash(a, b, c)] === 1) return i;
  }
  return -1;
}
