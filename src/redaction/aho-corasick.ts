/**
 * A multi-pattern matcher (Aho–Corasick over UTF-16 code units): finds every occurrence of every known
 * value in one pass over a text, however many values a scope holds.
 *
 * Built for scopes of 100k values: the trie lives in typed arrays (first child, next sibling, edge character,
 * failure link, outputs) instead of an object and a Map per node, so a 2-million-node automaton is a few
 * dozen megabytes that the garbage collector never walks; a large automaton's root has a direct table. Each
 * node links to the nearest node on its failure chain that ends a pattern instead of copying those patterns
 * into its own list, so the build is linear in the total pattern length.
 */

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

/** From this many patterns on, the root's children are a direct table of all 65,536 code units. */
const ROOT_TABLE_MIN = 256;

export interface MatcherOptions {
  /** Most patterns searched by `indexOf` sweeps instead of the automaton (default {@link SCAN_LIMIT}). */
  readonly scanLimit?: number;
}

/** An immutable matcher built once for a set of non-empty patterns. */
export class MultiPatternMatcher {
  readonly patterns: readonly string[];
  readonly #scan: boolean;
  #size = 1;
  // Per node (0 is the root): edge character into it, first child, next sibling, failure link, first output,
  // nearest output node on the failure chain (-1: none).
  #char = new Int32Array(0);
  #first = new Int32Array(0);
  #next = new Int32Array(0);
  #fail = new Int32Array(0);
  #out = new Int32Array(0);
  #dict = new Int32Array(0);
  // Output lists: pattern index and next output of the same node.
  #outPattern = new Int32Array(0);
  #outNext = new Int32Array(0);
  #outs = 0;
  #root: Int32Array | undefined;

  constructor(patterns: readonly string[], options: MatcherOptions = {}) {
    this.patterns = patterns;
    let count = 0;
    let total = 0;
    for (const p of patterns) {
      if (p.length === 0) continue;
      count++;
      total += p.length;
    }
    this.#scan = count <= (options.scanLimit ?? SCAN_LIMIT);
    if (this.#scan) return;
    const nodes = total + 1;
    this.#char = new Int32Array(nodes);
    this.#first = new Int32Array(nodes).fill(-1);
    this.#next = new Int32Array(nodes).fill(-1);
    this.#fail = new Int32Array(nodes);
    this.#out = new Int32Array(nodes).fill(-1);
    this.#dict = new Int32Array(nodes).fill(-1);
    this.#outPattern = new Int32Array(count);
    this.#outNext = new Int32Array(count).fill(-1);
    if (count >= ROOT_TABLE_MIN) this.#root = new Int32Array(65536).fill(-1);
    // Last pattern first: outputs are prepended, so each node lists its patterns in ascending order.
    for (let index = patterns.length - 1; index >= 0; index--) {
      const p = patterns[index] as string;
      if (p.length > 0) this.#insert(p, index);
    }
    this.#link();
  }

  #child(node: number, c: number): number {
    if (node === 0 && this.#root !== undefined) return this.#root[c] as number;
    const char = this.#char;
    const next = this.#next;
    for (let k = this.#first[node] as number; k !== -1; k = next[k] as number) if (char[k] === c) return k;
    return -1;
  }

  #insert(pattern: string, index: number): void {
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charCodeAt(i);
      let to = this.#child(state, c);
      if (to === -1) {
        to = this.#size++;
        this.#char[to] = c;
        this.#next[to] = this.#first[state] as number;
        this.#first[state] = to;
        if (state === 0 && this.#root !== undefined) this.#root[c] = to;
      }
      state = to;
    }
    const o = this.#outs++;
    this.#outPattern[o] = index;
    this.#outNext[o] = this.#out[state] as number;
    this.#out[state] = o;
  }

  #link(): void {
    const queue = new Int32Array(this.#size);
    let tail = 0;
    for (let k = this.#first[0] as number; k !== -1; k = this.#next[k] as number) queue[tail++] = k;
    for (let head = 0; head < tail; head++) {
      const u = queue[head] as number;
      for (let v = this.#first[u] as number; v !== -1; v = this.#next[v] as number) {
        queue[tail++] = v;
        const c = this.#char[v] as number;
        let f = this.#fail[u] as number;
        while (f !== 0 && this.#child(f, c) === -1) f = this.#fail[f] as number;
        const candidate = this.#child(f, c);
        const target = candidate !== -1 && candidate !== v ? candidate : 0;
        this.#fail[v] = target;
        this.#dict[v] = this.#out[target] !== -1 ? target : (this.#dict[target] as number);
      }
    }
  }

  /** Every occurrence of every pattern in `text` (overlapping ones included), in order of end offset. */
  findAll(text: string): PatternMatch[] {
    if (this.#scan) return this.#sweep(text);
    const found: PatternMatch[] = [];
    if (this.#size === 1) return found;
    const fail = this.#fail;
    const out = this.#out;
    const dict = this.#dict;
    const outPattern = this.#outPattern;
    const outNext = this.#outNext;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let to = this.#child(state, c);
      while (to === -1 && state !== 0) {
        state = fail[state] as number;
        to = this.#child(state, c);
      }
      state = to === -1 ? 0 : to;
      // Own patterns first, then those of the failure chain (longest first), as a merged list would be.
      for (let at = state; at !== -1; at = dict[at] as number) {
        for (let o = out[at] as number; o !== -1; o = outNext[o] as number) {
          const pattern = outPattern[o] as number;
          const len = (this.patterns[pattern] as string).length;
          found.push({ pattern, start: i + 1 - len, end: i + 1 });
        }
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
