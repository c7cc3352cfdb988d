/**
 * A multi-pattern matcher (Aho–Corasick over UTF-16 code units): finds every occurrence of every known
 * value in one pass over a text, however many values a scope holds.
 */

interface Node {
  readonly next: Map<number, number>;
  fail: number;
  /** Pattern indexes ending here (own and via failure links, filled at build time). */
  out: number[];
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
  readonly #nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];
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
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charCodeAt(i);
      const node = this.#nodes[state] as Node;
      let to = node.next.get(c);
      if (to === undefined) {
        to = this.#nodes.length;
        this.#nodes.push({ next: new Map(), fail: 0, out: [] });
        node.next.set(c, to);
      }
      state = to;
    }
    (this.#nodes[state] as Node).out.push(index);
  }

  #link(): void {
    const queue: number[] = [];
    for (const to of (this.#nodes[0] as Node).next.values()) queue.push(to);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const node = this.#nodes[state] as Node;
      for (const [c, to] of node.next) {
        queue.push(to);
        let f = node.fail;
        while (f !== 0 && !(this.#nodes[f] as Node).next.has(c)) f = (this.#nodes[f] as Node).fail;
        const candidate = (this.#nodes[f] as Node).next.get(c);
        const target = this.#nodes[to] as Node;
        target.fail = candidate !== undefined && candidate !== to ? candidate : 0;
        const failOut = (this.#nodes[target.fail] as Node).out;
        if (failOut.length > 0) target.out = target.out.concat(failOut);
      }
    }
  }

  /** Every occurrence of every pattern in `text` (overlapping ones included), in order of end offset. */
  findAll(text: string): PatternMatch[] {
    if (this.#scan) return this.#sweep(text);
    const found: PatternMatch[] = [];
    if (this.#nodes.length === 1) return found;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let node = this.#nodes[state] as Node;
      while (state !== 0 && !node.next.has(c)) {
        state = node.fail;
        node = this.#nodes[state] as Node;
      }
      state = node.next.get(c) ?? 0;
      const out = (this.#nodes[state] as Node).out;
      for (const pattern of out) {
        const len = (this.patterns[pattern] as string).length;
        found.push({ pattern, start: i + 1 - len, end: i + 1 });
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
