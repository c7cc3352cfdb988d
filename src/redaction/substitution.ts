/**
 * Substitution, the last step of the pipeline (src/redaction/pipeline.ts): one pass per text over its
 * non-overlapping spans, each replaced by its value's placeholder; and the index the response is restored
 * with — only this exchange's placeholders (see docs/architecture.md, "Restoration").
 */
import type { Span } from "../detection/span.js";
import { COMPLETE_MASK } from "../taxonomy/placeholder.js";
import type { VaultEntry } from "../vault/vault.js";
import type { Deadline } from "./deadline.js";
import type { AppliedSpan, LevelCounts, RedactRequest, TextItem } from "./request.js";
import { ScopeIndex } from "./scope-index.js";

/** The substituted texts, the spans as applied, and counts per level and per type over all texts. */
export interface Substitution {
  readonly texts: string[];
  readonly spans: AppliedSpan[][];
  readonly counts: LevelCounts;
  readonly types: Record<string, number>;
}

/**
 * Replaces every span of `resolved[i]` in `items[i]` by its value's replacement (the fixed mask if none), in
 * slices that yield to the event loop and stop at `deadline` (it throws).
 */
export async function substitute(
  items: readonly TextItem[],
  resolved: readonly Span[][],
  replacementFor: ReadonlyMap<string, string>,
  deadline: Deadline,
): Promise<Substitution> {
  const counts: LevelCounts = { PL2: 0, PL3: 0, PL4: 0 };
  const types: Record<string, number> = {};
  const texts: string[] = [];
  const applied: AppliedSpan[][] = [];
  for (const [i, item] of items.entries()) {
    const spans = resolved[i] ?? [];
    const out: AppliedSpan[] = new Array<AppliedSpan>(spans.length);
    const parts: string[] = [];
    let at = 0;
    for (let j = 0; j < spans.length; j++) {
      if (deadline.due()) await deadline.pause();
      const s = spans[j] as Span;
      const replacement = replacementFor.get(s.text) ?? COMPLETE_MASK;
      parts.push(item.text.slice(at, s.start), replacement);
      at = s.end;
      // Spelled out: an object spread costs several times more, and a page of values has ~90,000 spans.
      out[j] = {
        start: s.start,
        end: s.end,
        text: s.text,
        type: s.type,
        level: s.level,
        source: s.source,
        replacement,
      };
      if (s.level !== "PL1") counts[s.level]++;
      types[s.type] = (types[s.type] ?? 0) + 1;
    }
    parts.push(item.text.slice(at));
    texts.push(parts.join(""));
    applied.push(out);
  }
  return { texts, spans: applied, counts, types };
}

/** Lower-case look-up key of a rendered placeholder (`<Email_1>` → `email_1`), or undefined. */
function keyOfPlaceholder(replacement: string): string | undefined {
  const m = /^<([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)_(\d{1,9})>$/.exec(replacement);
  return m === null ? undefined : `${(m[1] as string).toLowerCase()}_${Number(m[2])}`;
}

/** Exchange indexes kept for reuse (most recently used last). */
const MAX_EXCHANGE_INDEXES = 1024;

/**
 * The indexes responses are restored with. By default only the placeholders a request substituted (their
 * values were in the request, so restoring them gives the client nothing it did not send) and those bound
 * to the conversation it continues: a placeholder the model learns any other way — an injection, a
 * coincidence, another conversation — stays a placeholder.
 */
export class ExchangeIndexes {
  /** An agent resends the same history every turn: the same set of placeholders gets the same index. */
  readonly #cache = new Map<string, ScopeIndex>();

  /**
   * The index for `request`'s response, given the spans it `applied`; `entryForKey` looks a placeholder up,
   * `wholeScope` gives the scope's index (for `restoreScope: scope` only). `sent`: the keys substituted. The
   * walk over the spans yields in slices and stops at `deadline`.
   */
  async indexFor(
    request: Pick<RedactRequest, "items" | "scope" | "restoreScope" | "bound" | "jsonOutput">,
    applied: readonly AppliedSpan[][],
    entryForKey: (key: string) => VaultEntry | undefined,
    wholeScope: () => ScopeIndex,
    deadline: Deadline,
  ): Promise<{ index: ScopeIndex; sent: string[] }> {
    const cache = this.#cache;
    const sent = new Set<string>();
    const numeric = new Set<string>();
    // A page of one repeated value has as many spans as occurrences but one replacement: parse each once.
    const keyOf = new Map<string, string | undefined>();
    for (const [i, spans] of applied.entries()) {
      const item = request.items[i];
      let last: string | undefined;
      let key: string | undefined;
      for (const s of spans) {
        if (deadline.due()) await deadline.pause();
        if (s.replacement !== last) {
          last = s.replacement;
          key = keyOf.get(last);
          if (key === undefined && !keyOf.has(last)) {
            key = keyOfPlaceholder(last);
            keyOf.set(last, key);
          }
        }
        if (key === undefined) continue;
        sent.add(key);
        // A JSON number masked whole comes back as that number.
        if (item?.kind === "number" && s.start === 0 && s.end === item.text.length) numeric.add(key);
      }
    }
    const options = { numeric, jsonOutput: request.jsonOutput === true };
    if (request.restoreScope === "scope")
      return { index: new ScopeIndex(wholeScope().entries, options), sent: [...sent] };
    const keys = new Set(sent);
    for (const key of request.bound ?? []) keys.add(key);
    // Its patterns are compiled once. A key's value never changes, so a cached index cannot go stale.
    const id = `${request.scope}\u0000${[...keys].sort().join(",")}\u0000${[...numeric].sort().join(",")}\u0000${String(options.jsonOutput)}`;
    let index = cache.get(id);
    if (index === undefined) {
      const entries: VaultEntry[] = [];
      for (const key of keys) {
        const entry = entryForKey(key);
        if (entry !== undefined) entries.push(entry);
      }
      index = new ScopeIndex(entries, options);
      if (entries.length === keys.size) {
        if (cache.size >= MAX_EXCHANGE_INDEXES) cache.delete(cache.keys().next().value as string);
        cache.set(id, index);
      }
    } else {
      cache.delete(id);
      cache.set(id, index);
    }
    return { index, sent: [...sent] };
  }
}
