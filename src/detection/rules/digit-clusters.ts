// Digit clusters: the context's digit runs grouped where at most `maxGap` other units separate them. A pattern
// whose every match holds digits with at most `maxGap` units between neighbours, and ends at a digit, finds
// its matches within clusters; one whose useful matches hold at least `minDigits` digits over `minRuns` runs
// needs to look only at the clusters that have them. Scanning from the end of the cluster before one gives
// exactly the matches a scan of the whole text gives there (no match can start before that end), so a
// family runs its pattern over a few short stretches instead of the whole text.
import type { RuleContext } from "./context.js";

/** Which clusters a pattern needs and how far its digits may stand apart. */
export interface ClusterShape {
  /** Most non-digit units between two digits of one match. */
  readonly maxGap: number;
  /** Fewest digits in a match the family can use. */
  readonly minDigits: number;
  /** Fewest digit runs in such a match. */
  readonly minRuns: number;
}

/**
 * [from, end) pairs, one per cluster with the digits and runs `shape` asks for: `from` is the end of the
 * cluster before (0 for the first), `end` the end of the cluster's last run.
 */
export function clusterWindows(ctx: RuleContext, shape: ClusterShape): number[] {
  const runs = ctx.digitRuns;
  const out: number[] = [];
  let prevEnd = 0;
  let r = 0;
  while (r < runs.length) {
    let digits = 0;
    let count = 0;
    let end = runs[r + 1] as number;
    let k = r;
    for (; k < runs.length; k += 2) {
      const s = runs[k] as number;
      if (k > r && s - end > shape.maxGap) break;
      end = runs[k + 1] as number;
      digits += end - s;
      count++;
    }
    if (digits >= shape.minDigits && count >= shape.minRuns) out.push(prevEnd, end);
    prevEnd = end;
    r = k;
  }
  return out;
}

/**
 * The matches of global regex `re` in `text` that start inside the windows ({@link clusterWindows}): the
 * same matches, in the same order, as `execAll` over the whole text gives in those stretches. A match found
 * past a window is kept for the windows after it, so no stretch of the text is scanned twice (linear).
 */
export function execInWindows(re: RegExp, text: string, windows: readonly number[]): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  // The first match at or after `scanned`, once a scan has gone that far (null: there is none).
  let ahead: RegExpExecArray | null | undefined;
  let scanned = 0;
  for (let w = 0; w + 1 < windows.length; w += 2) {
    const from = Math.max(windows[w] as number, scanned);
    const end = windows[w + 1] as number;
    let m: RegExpExecArray | null;
    if (ahead !== undefined && (ahead === null || ahead.index >= from)) m = ahead;
    else {
      re.lastIndex = from;
      m = re.exec(text);
    }
    while (m !== null && m.index < end) {
      out.push(m);
      if (m[0].length === 0) re.lastIndex++;
      m = re.exec(text);
    }
    if (m === null) break;
    ahead = m;
    scanned = m.index;
  }
  return out;
}

/**
 * The matches of sticky regex `re` at `starts` (ascending), each at or after the end of the one before: what
 * a global scan gives when no match can start anywhere else. A family lists the few places its pattern can
 * start (found from the digit runs) instead of scanning the whole text.
 */
export function execAtStarts(re: RegExp, text: string, starts: readonly number[]): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let next = 0;
  for (const p of starts) {
    if (p < next) continue;
    re.lastIndex = p;
    const m = re.exec(text);
    if (m === null) continue;
    out.push(m);
    next = m[0].length === 0 ? p + 1 : p + m[0].length;
  }
  return out;
}

/** True when the code unit `c` is one a regex `\s` matches (the families read the units around a digit run). */
export function isRegExpSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
