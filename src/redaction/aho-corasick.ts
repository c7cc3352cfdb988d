/**
 * A multi-pattern matcher (Aho–Corasick over UTF-16 code units): finds every occurrence of every known
 * value in one pass over a text, however many values a scope holds.
 *
 * Built for scopes of 100k values: most trie nodes have one child, kept inline (a Map only from the second
 * child on), and each node links to the nearest node on its failure chain that ends a pattern instead of
 * copying those patterns into its own list, so the build is linear in the total pattern length.
 */

interface Node {
  /** First child: its code unit (-1: none) and node. */
  c: number;
  t: number;
  /** Further children. */
  more: Map<number, number> | undefined;
  fail: number;
  /** Pattern indexes ending exactly here. */
  out: number[] | undefined;
  /** Nearest node on the failure chain (not this one) where patterns end; -1 when none. */
  dict: number;
}

function newNode(): Node {
  return { c: -1, t: 0, more: undefined, fail: 0, out: undefined, dict: -1 };
}

function child(node: Node, c: number): number {
  if (node.c === c) return node.t;
  return node.more?.get(c) ?? -1;
}

/** One occurrence: pattern index and UTF-16 offsets. */
export interface PatternMatch {
  readonly pattern: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Up to this many patterns, one `indexOf` sweep per pattern (vectorised in V8) is faster than building and
 * walking the automaton; a request usually detects only a handful of values.
 */
export const SCAN_LIMIT = 12;

export interface MatcherOptions {
  /** Most patterns searched by `indexOf` sweeps instead of the automaton (default {@link SCAN_LIMIT}). */
  readonly scanLimit?: number;
}

/** An immutable matcher built once for a set of non-empty patterns. */
export class MultiPatternMatcher {
  readonly patterns: readonly string[];
  readonly #nodes: Node[] = [newNode()];
  readonly #scan: boolean;

  constructor(patterns: readonly string[], options: MatcherOptions = {}) {
    this.patterns = patterns;
    let count = 0;
    for (const p of patterns) if (p.length > 0) count++;
    this.#scan = count <= (options.scanLimit ?? SCAN_LIMIT);
    if (this.#scan) return;
    patterns.forEach((p, index) => {
      if (p.length > 0) this.#insert(p, index);
    });
    this.#link();
  }

  #insert(pattern: string, index: number): void {
    const nodes = this.#nodes;
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charCodeAt(i);
      const node = nodes[state] as Node;
      let to = child(node, c);
      if (to === -1) {
        to = nodes.length;
        nodes.push(newNode());
        if (node.c === -1) {
          node.c = c;
          node.t = to;
        } else {
          (node.more ??= new Map()).set(c, to);
        }
      }
      state = to;
    }
    const end = nodes[state] as Node;
    (end.out ??= []).push(index);
  }

  #link(): void {
    const nodes = this.#nodes;
    const queue: number[] = [];
    const visit = (node: Node, fn: (c: number, to: number) => void): void => {
      if (node.c !== -1) fn(node.c, node.t);
      if (node.more !== undefined) for (const [c, to] of node.more) fn(c, to);
    };
    visit(nodes[0] as Node, (_, to) => queue.push(to));
    for (let head = 0; head < queue.length; head++) {
      const node = nodes[queue[head] as number] as Node;
      visit(node, (c, to) => {
        queue.push(to);
        let f = node.fail;
        while (f !== 0 && child(nodes[f] as Node, c) === -1) f = (nodes[f] as Node).fail;
        const candidate = child(nodes[f] as Node, c);
        const target = nodes[to] as Node;
        target.fail = candidate !== -1 && candidate !== to ? candidate : 0;
        const fail = nodes[target.fail] as Node;
        target.dict = fail.out !== undefined ? target.fail : fail.dict;
      });
    }
  }

  /** Every occurrence of every pattern in `text` (overlapping ones included), in order of end offset. */
  findAll(text: string): PatternMatch[] {
    if (this.#scan) return this.#sweep(text);
    const found: PatternMatch[] = [];
    if (this.#nodes.length === 1) return found;
    const nodes = this.#nodes;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let node = nodes[state] as Node;
      let to = child(node, c);
      while (to === -1 && state !== 0) {
        state = node.fail;
        node = nodes[state] as Node;
        to = child(node, c);
      }
      state = to === -1 ? 0 : to;
      // Own patterns first, then those of the failure chain (longest first), as a merged list would be.
      for (let at = state; at !== -1;) {
        const here = nodes[at] as Node;
        if (here.out !== undefined) {
          for (const pattern of here.out) {
            const len = (this.patterns[pattern] as string).length;
            found.push({ pattern, start: i + 1 - len, end: i + 1 });
          }
        }
        at = here.dict;
      }
    }
    return found;
  }

  /** The same matches as the automaton, in the same order (by end; longer first; then pattern index). */
  #sweep(text: string): PatternMatch[] {
    const found: PatternMatch[] = [];
    const { patterns } = this;
    for (let pattern = 0; pattern < patterns.length; pattern++) {
      const p = patterns[pattern] as string;
      if (p.length === 0) continue;
      for (let i = text.indexOf(p); i !== -1; i = text.indexOf(p, i + 1)) {
        found.push({ pattern, start: i, end: i + p.length });
      }
    }
    if (found.length > 1) found.sort((a, b) => a.end - b.end || a.start - b.start || a.pattern - b.pattern);
    return found;
  }
}
