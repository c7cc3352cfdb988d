/**
 * Messages between the rule pool (pool.ts) and its worker threads (rules-worker.ts). Spans travel packed —
 * offsets in typed arrays (transferred, not copied) and type, level and source as indexes into a small string
 * table — because a hostile page yields ~100k spans, and cloning that many objects costs the event loop more
 * than rebuilding them from the text it already holds.
 */
import type { PrivacyLevel } from "../../taxonomy/levels.js";
import { makeSpan, type Span } from "../span.js";

/** One text to detect. */
/** What every worker of a pool starts with (`workerData`): the rule options of the configuration. */
export interface RulesWorkerData {
  readonly phoneRegions?: readonly string[] | undefined;
}

export interface WorkerRequest {
  readonly id: number;
  readonly text: string;
  readonly userName?: string | undefined;
}

/** Spans of one text: span i is [starts[i], ends[i]) with strings[meta[3i]] (type), [3i+1] (level), [3i+2] (source). */
export interface PackedSpans {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly meta: Int32Array;
  readonly strings: string[];
}

/** The spans of one text, or the fact that detection failed (never why: messages could quote the text). */
export type WorkerReply =
  { readonly id: number; readonly spans: PackedSpans } | { readonly id: number; readonly failed: true };

/** Packs spans for the trip to the main thread (see {@link PackedSpans}). */
export function packSpans(spans: readonly Span[]): PackedSpans {
  const starts = new Int32Array(spans.length);
  const ends = new Int32Array(spans.length);
  const meta = new Int32Array(spans.length * 3);
  const strings: string[] = [];
  const index = new Map<string, number>();
  const at = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    return i;
  };
  spans.forEach((s, i) => {
    starts[i] = s.start;
    ends[i] = s.end;
    meta[3 * i] = at(s.type);
    meta[3 * i + 1] = at(s.level);
    meta[3 * i + 2] = at(s.source);
  });
  return { starts, ends, meta, strings };
}

/** Rebuilds the spans of `text` from {@link packSpans}' output. */
export function unpackSpans(text: string, packed: PackedSpans): Span[] {
  const { starts, ends, meta, strings } = packed;
  const out: Span[] = new Array<Span>(starts.length);
  for (let i = 0; i < starts.length; i++) {
    out[i] = makeSpan(
      text,
      starts[i] as number,
      ends[i] as number,
      strings[meta[3 * i] as number] as string,
      strings[meta[3 * i + 1] as number] as PrivacyLevel,
      strings[meta[3 * i + 2] as number] as string,
    );
  }
  return out;
}
