// Chinese (or any unspaced) term lists matched in one linear pass: a private lexicon by a first-unit table, the
// shared ones (every family's) together in one trie walked once per position. A regex alternation of hundreds
// of terms costs V8 tens of nanoseconds per character; these cost a table look-up per character. The
// Latin-script word lexicons are in lexicon.ts.

import type { RuleContext } from "./context.js";

/** Chinese (or any unspaced) terms keyed by their first UTF-16 unit, longest first. */
export interface CjkLexicon {
  readonly first: Uint8Array;
  readonly byFirst: ReadonlyMap<number, readonly string[]>;
  /** Index among the shared lexicons ({@link createSharedCjkLexicon}); absent for a private one. */
  readonly shared?: number;
}

/** Builds a {@link CjkLexicon} from terms (empty strings are ignored). */
export function createCjkLexicon(terms: readonly string[]): CjkLexicon {
  const first = new Uint8Array(0x10000);
  const byFirst = new Map<number, string[]>();
  for (const term of terms) {
    if (term === "") continue;
    const c = term.charCodeAt(0);
    first[c] = 1;
    const list = byFirst.get(c) ?? [];
    if (!list.includes(term)) list.push(term);
    byFirst.set(c, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.length - a.length);
  return { first, byFirst };
}

/** Length of the longest term of `lex` starting at `i` (whose first unit is `c`), or 0. */
function longestAt(lex: CjkLexicon, text: string, i: number, c: number): number {
  const list = lex.byFirst.get(c);
  if (list === undefined) return 0;
  for (const w of list) if (text.startsWith(w, i)) return w.length;
  return 0;
}

/** Calls `found` for each leftmost-longest, non-overlapping occurrence of a term in `text`. */
export function scanCjk(lex: CjkLexicon, text: string, found: (start: number, end: number) => void): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (lex.first[c] !== 1) continue;
    const len = longestAt(lex, text, i, c);
    if (len === 0) continue;
    found(i, i + len);
    i += len - 1;
  }
}

// The shared lexicons: every rule family's Chinese lexicon is matched in one pass over a text (made on first
// use, kept on the context), instead of one pass per family. Their terms form one trie, made on first use after
// the last lexicon was created: the root's children in a direct table by unit, deeper edges in an
// open-addressing table keyed by node and unit, and per node a bit per lexicon with a term ending there. At
// each position the text is walked down the trie once for every lexicon; most units have no child of the root.
const SHARED: CjkLexicon[] = [];

interface CjkTrie {
  /** Per UTF-16 unit, the root's child (0: none). */
  readonly root: Uint16Array;
  readonly mask: number;
  /** Per slot: parent node (0: empty slot), edge unit, child node. */
  readonly slots: Int32Array;
  /** Per node, a bit per shared lexicon with a term ending there. */
  readonly ends: Uint32Array;
}

let sharedTrie: CjkTrie | undefined;

function edgeSlot(mask: number, node: number, unit: number): number {
  return (Math.imul(node, 0x9e3779b1) ^ unit) & mask;
}

function buildCjkTrie(): CjkTrie {
  // Node 0 is the root; nodes are numbered in insertion order.
  const edges = new Map<string, number>();
  const ends: number[] = [0];
  const root = new Uint16Array(0x10000);
  SHARED.forEach((lex, k) => {
    for (const list of lex.byFirst.values())
      for (const w of list) {
        let node = 0;
        for (let i = 0; i < w.length; i++) {
          const key = `${node}:${w.charCodeAt(i)}`;
          let child = edges.get(key);
          if (child === undefined) {
            child = ends.length;
            ends.push(0);
            edges.set(key, child);
            if (node === 0) root[w.charCodeAt(i)] = child;
          }
          node = child;
        }
        ends[node] = ((ends[node] as number) | (1 << k)) >>> 0;
      }
  });
  if (ends.length > 0xffff) throw new Error("too many shared lexicon terms");
  const mask = (1 << Math.ceil(Math.log2(edges.size * 2 + 2))) - 1;
  const slots = new Int32Array((mask + 1) * 3);
  for (const [key, child] of edges) {
    const [node, unit] = key.split(":").map(Number) as [number, number];
    if (node === 0) continue;
    let slot = edgeSlot(mask, node, unit);
    while (slots[slot * 3] !== 0) slot = (slot + 1) & mask;
    slots[slot * 3] = node;
    slots[slot * 3 + 1] = unit;
    slots[slot * 3 + 2] = child;
  }
  return { root, mask, slots, ends: Uint32Array.from(ends) };
}

/** The child of a non-root `node` along `unit`, or 0. */
function childOf(trie: CjkTrie, node: number, unit: number): number {
  const { mask, slots } = trie;
  for (let slot = edgeSlot(mask, node, unit); ; slot = (slot + 1) & mask) {
    const parent = slots[slot * 3] as number;
    if (parent === 0) return 0;
    if (parent === node && slots[slot * 3 + 1] === unit) return slots[slot * 3 + 2] as number;
  }
}

/**
 * Builds a {@link CjkLexicon} matched in the shared pass ({@link contextCjkHits}); at most 32 exist, created
 * once at module load.
 */
export function createSharedCjkLexicon(terms: readonly string[]): CjkLexicon {
  const k = SHARED.length;
  if (k >= 32) throw new Error("too many shared lexicons");
  const lex: CjkLexicon = { ...createCjkLexicon(terms), shared: k };
  SHARED.push(lex);
  sharedTrie = undefined;
  return lex;
}

// Per lexicon, where its longest term at the current position ends (scratch of scanShared).
const LONGEST = new Int32Array(32);

/** Start/end pairs of every shared lexicon's terms in `text`, each as {@link scanCjk} would find them. */
function scanShared(text: string): (number[] | undefined)[] {
  const trie = (sharedTrie ??= buildCjkTrie());
  const { root, ends } = trie;
  // Made for the lexicons that have a term in the text (most have none).
  const hits: (number[] | undefined)[] = [];
  // Per lexicon, where its last term ended: its terms do not overlap.
  const next = new Int32Array(SHARED.length);
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let node = root[text.charCodeAt(i)] as number;
    if (node === 0) continue;
    let found = 0;
    for (let j = i + 1; ; j++) {
      let bits = ends[node] as number;
      found |= bits;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        LONGEST[31 - Math.clz32(low)] = j;
      }
      if (j >= n) break;
      node = childOf(trie, node, text.charCodeAt(j));
      if (node === 0) break;
    }
    while (found !== 0) {
      const low = found & -found;
      found ^= low;
      const k = 31 - Math.clz32(low);
      if (i < (next[k] as number)) continue;
      const end = LONGEST[k] as number;
      (hits[k] ??= []).push(i, end);
      next[k] = end;
    }
  }
  return hits;
}

const NO_HITS: readonly number[] = [];

/**
 * The occurrences of a shared lexicon's terms in the context's text as start/end pairs ({@link scanCjk}'s
 * matches), from the one pass that serves every shared lexicon.
 */
export function contextCjkHits(ctx: RuleContext, lex: CjkLexicon): readonly number[] {
  if (lex.shared === undefined) throw new Error("not a shared lexicon");
  ctx.cjkHits ??= scanShared(ctx.text);
  return ctx.cjkHits[lex.shared] ?? NO_HITS;
}

/** Calls `found` for each occurrence of a shared lexicon's term in the context's text ({@link contextCjkHits}). */
export function scanContextCjk(
  ctx: RuleContext,
  lex: CjkLexicon,
  found: (start: number, end: number) => void,
): void {
  const hits = contextCjkHits(ctx, lex);
  for (let k = 0; k + 1 < hits.length; k += 2) found(hits[k] as number, hits[k + 1] as number);
}
