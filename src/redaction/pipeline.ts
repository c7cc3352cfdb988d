/**
 * The redaction pipeline (docs/architecture.md, "The path of a request"): detect (cached) → policy → every
 * occurrence of every value → overlap resolution → one placeholder per value from the vault → one-pass
 * substitution. Used by every protocol adapter and the ad-hoc routes; also builds the scope index used to
 * restore.
 */
import { mergeSpans } from "../detection/merge.js";
import type { DetectInput, Detector, Span, TextRole } from "../detection/span.js";
import { isProxyError, proxyError } from "../errors/catalogue.js";
import { maxLevel, type PrivacyLevel } from "../taxonomy/levels.js";
import {
  CANONICAL_PLACEHOLDER_RE,
  COMPLETE_MASK,
  GENERIC_NAME,
  placeholderNameFor,
  reservedKeysIn,
} from "../taxonomy/placeholder.js";
import type { AllocationRequest, ChangeCursor, Vault, VaultEntry } from "../vault/vault.js";
import { MultiPatternMatcher } from "./aho-corasick.js";
import { KnownValues } from "./known-values.js";
import { DENY_TYPE, masksLevel, type Policy } from "./policy.js";
import { ScopeIndex } from "./scope-index.js";

/** One text to redact. */
export interface TextItem {
  readonly text: string;
  readonly role?: TextRole | undefined;
  /**
   * Which detectors run on this text: `true` (default) all; `"light"` only the light detector (the rules)
   * — for text the client echoes back, such as earlier assistant turns, which is also masked for every value
   * the scope already knows; `false` none (known values are still masked).
   */
  readonly detect?: boolean | "light" | undefined;
  /**
   * Where the text came from in structured tool data: a JSON number, an object key, or a string (default).
   * A number masked whole is restored as a number in JSON.
   */
  readonly kind?: "string" | "number" | "key" | undefined;
}

/** Which placeholders a response may be restored with (see docs/architecture.md, "Restoration"). */
export type RestoreScope = "exchange" | "scope";

export interface RedactRequest {
  readonly items: readonly TextItem[];
  /** Logical scope (credential hash + session); never logged. */
  readonly scope: string;
  readonly policy: Policy;
  readonly userName?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Also mask every value the scope already knows, wherever it occurs (default true). */
  readonly maskKnown?: boolean;
  /**
   * `exchange` (default): the outcome's index holds only the placeholders this request substituted, plus
   * `bound`; `scope`: every placeholder of the scope.
   */
  readonly restoreScope?: RestoreScope;
  /** Look-up keys (lower-case `name_n`) bound to the conversation this request continues. */
  readonly bound?: Iterable<string>;
  /** The client asked for JSON output: restoration of text fields is JSON-aware. */
  readonly jsonOutput?: boolean;
}

/** A span as applied: offsets into the original text, and the text that replaced it. */
export interface AppliedSpan extends Span {
  readonly replacement: string;
}

export type LevelCounts = Record<"PL2" | "PL3" | "PL4", number>;

export interface RedactionOutcome {
  readonly texts: string[];
  readonly spans: AppliedSpan[][];
  /** Replacements per level, over all texts. */
  readonly counts: LevelCounts;
  /** Replacements per type, over all texts. */
  readonly types: Record<string, number>;
  /** What the response may be restored with: this exchange's placeholders (or the scope's, if asked). */
  readonly index: ScopeIndex;
  /** Look-up keys of the placeholders this request substituted (to bind to a stateful conversation). */
  readonly sent: readonly string[];
}

export interface RedactorOptions {
  readonly detector: Detector;
  readonly vault: Vault;
  /** Cheap detector for `detect: "light"` texts (the rules); such texts get no detection when absent. */
  readonly lightDetector?: Detector;
  /** Detection deadline of the whole request (every text at once); on expiry the request fails closed. */
  readonly detectTimeoutMs: number;
  /** Scopes whose index stays cached. */
  readonly maxCachedScopes?: number;
}

export interface Redactor {
  redact(request: RedactRequest): Promise<RedactionOutcome>;
  /** The scope's current index (both partitions: typed and generic). */
  scopeIndex(scope: string): Promise<ScopeIndex>;
  /** An index of just the scope's placeholders with these look-up keys (bound to a stateful id). */
  boundIndex(scope: string, keys: Iterable<string>): Promise<ScopeIndex>;
  readonly detector: Detector;
  readonly vault: Vault;
}

/** The vault partition used by the `generic` mode, so a value can have a typed and a generic placeholder. */
export function genericPartition(scope: string): string {
  return `${scope}\u0000generic`;
}

const ASCII_WORD = /[A-Za-z0-9]/;

/** True when an occurrence at [start, end) does not cut through an ASCII word or number. */
function onBoundary(text: string, start: number, end: number): boolean {
  const first = text[start] as string;
  const last = text[end - 1] as string;
  if (start > 0 && ASCII_WORD.test(first) && ASCII_WORD.test(text[start - 1] as string)) return false;
  if (end < text.length && ASCII_WORD.test(last) && ASCII_WORD.test(text[end] as string)) return false;
  return true;
}

/** A placeholder name: words of letters (short numbers allowed), never a run of digits that could be a value. */
const PLACEHOLDER_NAME = /^[A-Za-z][A-Za-z0-9]*(?:_(?:[A-Za-z][A-Za-z0-9]*|[0-9]{1,2}))*$/;

/**
 * Offsets of every canonical placeholder token (`<Name_N>`) in a text. A token whose name holds a longer
 * run of digits is no placeholder (`<Phone_13800138000_1>` hides a value, which is still detected).
 */
function placeholderRanges(text: string): [number, number][] {
  if (!text.includes("<")) return [];
  const out: [number, number][] = [];
  for (const m of text.matchAll(CANONICAL_PLACEHOLDER_RE)) {
    if (PLACEHOLDER_NAME.test(m[1] as string) && !/[0-9]{3}/.test(m[1] as string))
      out.push([m.index, m.index + m[0].length]);
  }
  return out;
}

/** True when `text` is a bare placeholder the scope issued (`Real_Name_1`). */
function isKnownPlaceholderText(text: string, known: KnownValues): boolean {
  const m = /^([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)_(\d{1,9})$/.exec(text);
  return (
    m?.[1] !== undefined &&
    m[2] !== undefined &&
    known.entryForKey(`${m[1].toLowerCase()}_${Number(m[2])}`) !== undefined
  );
}

/** A parameter name with its separator (`&token=`, `key:`): syntax around placeholders, never a value. */
const KEY_FRAGMENT = /^[&?;,|]*[\p{L}_][\p{L}\p{N}_.-]*[=:]$/u;

/** Index of the first of the sorted, disjoint [start, end) ranges that ends after `at` (binary search). */
function firstEndingAfter(ranges: readonly [number, number][], at: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ranges[mid] as [number, number])[1] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when span `s` overlaps one of the sorted, disjoint [start, end) ranges (O(log n)). */
function overlapsAny(s: Span, ranges: readonly [number, number][]): boolean {
  const r = ranges[firstEndingAfter(ranges, s.start)];
  return r !== undefined && r[0] < s.end;
}

/**
 * Spans cut around placeholder tokens: a span that overlaps one keeps only its pieces outside every token
 * (trimmed of blanks, and holding at least two letters or digits), each still the same type and level.
 */
function outsideTokens(spans: readonly Span[], tokens: readonly [number, number][], text: string): Span[] {
  if (tokens.length === 0) return spans as Span[];
  const out: Span[] = [];
  for (const s of spans) {
    if (!overlapsAny(s, tokens)) {
      out.push(s);
      continue;
    }
    let at = s.start;
    const pieces: [number, number][] = [];
    for (let t = firstEndingAfter(tokens, s.start); t < tokens.length; t++) {
      const [a, b] = tokens[t] as [number, number];
      if (a >= s.end) break;
      if (a > at) pieces.push([at, a]);
      at = Math.max(at, b);
    }
    if (at < s.end) pieces.push([at, s.end]);
    for (const [a, b] of pieces) {
      let start = a;
      let end = b;
      while (start < end && /\s/.test(text[start] as string)) start++;
      while (end > start && /\s/.test(text[end - 1] as string)) end--;
      // A remnant such as `&k=` or `&token=` between two placeholders is the detector reading the
      // placeholders (and the query around them), not a value; any other piece with two letters or digits
      // may be a value glued to one (`Tr0ub4dor&3<Email_1>`).
      const piece = text.slice(start, end);
      if ((piece.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 2 && !KEY_FRAGMENT.test(piece))
        out.push({ ...s, start, end, text: piece });
    }
  }
  return out;
}

/** Lower-case look-up key of a rendered placeholder (`<Email_1>` → `email_1`), or undefined. */
function keyOfPlaceholder(replacement: string): string | undefined {
  const m = /^<([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)_(\d{1,9})>$/.exec(replacement);
  return m === null ? undefined : `${(m[1] as string).toLowerCase()}_${Number(m[2])}`;
}

/**
 * The index a response is restored with. By default only the placeholders this request substituted (their
 * values were in the request, so restoring them gives the client nothing it did not send) and those bound
 * to the conversation it continues: a placeholder the model learns any other way — an injection, a
 * coincidence, another conversation — stays a placeholder.
 */
function exchangeIndex(
  request: RedactRequest,
  entryForKey: (key: string) => VaultEntry | undefined,
  wholeScope: () => ScopeIndex,
  applied: readonly AppliedSpan[][],
  cache: Map<string, ScopeIndex>,
): { index: ScopeIndex; sent: string[] } {
  const sent = new Set<string>();
  const numeric = new Set<string>();
  applied.forEach((spans, i) => {
    const item = request.items[i];
    for (const s of spans) {
      const key = keyOfPlaceholder(s.replacement);
      if (key === undefined) continue;
      sent.add(key);
      // A JSON number masked whole comes back as that number.
      if (item?.kind === "number" && s.start === 0 && s.end === item.text.length) numeric.add(key);
    }
  });
  const options = { numeric, jsonOutput: request.jsonOutput === true };
  if (request.restoreScope === "scope")
    return { index: new ScopeIndex(wholeScope().entries, options), sent: [...sent] };
  const keys = new Set(sent);
  for (const key of request.bound ?? []) keys.add(key);
  // An agent resends the same history every turn: the same set of placeholders gets the same index (its
  // patterns compiled once). A key's value never changes, so a cached index cannot go stale.
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

/** Exchange indexes kept for reuse (most recently used last). */
const MAX_EXCHANGE_INDEXES = 1024;

/** How long a placeholder confirmed with the vault is trusted from the scope index alone. */
const CONFIRM_MS = 30_000;
/** Bound on remembered confirmations (cleared when exceeded). */
const MAX_CONFIRMED = 100_000;

/** Shortest value masked wherever it occurs (a single character is only masked where it was detected). */
const MIN_OCCURRENCE_LENGTH = 2;

interface ValueInfo {
  type: string;
  level: PrivacyLevel;
  source: string;
}

function emptyCounts(): LevelCounts {
  return { PL2: 0, PL3: 0, PL4: 0 };
}

/** Builds the pipeline over a detector and a vault. */
export function createRedactor(options: RedactorOptions): Redactor {
  const { detector, vault, detectTimeoutMs } = options;
  const maxScopes = options.maxCachedScopes ?? 1024;
  const exchanges = new Map<string, ScopeIndex>();
  /** Per scope (LRU): its known values, where it stands in both partitions' change feeds, its index. */
  interface ScopeState {
    readonly known: KnownValues;
    typed: ChangeCursor | undefined;
    generic: ChangeCursor | undefined;
    index: { revision: number; index: ScopeIndex } | undefined;
    /** The read in flight: one at a time per scope, so cursors and resets never interleave. */
    refreshing: Promise<void> | undefined;
    /** The read that starts when the one in flight ends, shared by everyone who asked meanwhile. */
    queued: Promise<void> | undefined;
  }
  const scopes = new Map<string, ScopeState>();

  /**
   * Brings a scope's known values up to the vault: only what changed since the last look (any writer, any
   * replica). One read per scope at a time: a caller arriving while one is in flight waits for it and then for
   * one more read, shared by every caller that arrived meanwhile — so each sees every write that finished
   * before it asked, and a burst of requests costs two reads, not one each.
   */
  function refresh(scope: string, state: ScopeState): Promise<void> {
    if (state.queued !== undefined) return state.queued;
    if (state.refreshing === undefined) return start(scope, state);
    const queued = state.refreshing
      .catch(() => undefined)
      .then(() => {
        state.queued = undefined;
        return start(scope, state);
      });
    state.queued = queued;
    return queued;
  }

  function start(scope: string, state: ScopeState): Promise<void> {
    const run = readChanges(scope, state).finally(() => {
      if (state.refreshing === run) state.refreshing = undefined;
    });
    state.refreshing = run;
    return run;
  }

  async function readChanges(scope: string, state: ScopeState): Promise<void> {
    const generic = genericPartition(scope);
    let [typed, gen] = await Promise.all([
      vault.changes(scope, state.typed),
      vault.changes(generic, state.generic),
    ]);
    if (typed.reset || gen.reset) {
      // Entries left the live set: start over from both partitions' whole live sets.
      [typed, gen] = await Promise.all([
        typed.reset ? typed : vault.changes(scope),
        gen.reset ? gen : vault.changes(generic),
      ]);
      state.known.clear();
    }
    state.known.apply(typed.entries, false);
    state.known.apply(gen.entries, true);
    state.typed = typed.cursor;
    state.generic = gen.cursor;
  }

  /** The scope's state, moved to the most recently used end. */
  function stateOf(scope: string): ScopeState {
    let state = scopes.get(scope);
    if (state === undefined) {
      state = {
        known: new KnownValues(),
        typed: undefined,
        generic: undefined,
        index: undefined,
        refreshing: undefined,
        queued: undefined,
      };
      if (scopes.size >= maxScopes) {
        const oldest = scopes.keys().next();
        if (oldest.done !== true) scopes.delete(oldest.value);
      }
    } else {
      scopes.delete(scope); // re-inserted below: Map order is the LRU order
    }
    scopes.set(scope, state);
    return state;
  }

  /** The scope's known values, up to date with the vault. */
  async function knownValues(scope: string): Promise<KnownValues> {
    const state = stateOf(scope);
    await refresh(scope, state);
    return state.known;
  }

  /** The index of a scope's known values as they stand (built again only when they changed). */
  function indexOf(state: ScopeState): ScopeIndex {
    const known = state.known;
    if (state.index?.revision !== known.revision)
      state.index = { revision: known.revision, index: new ScopeIndex(known.entries()) };
    return state.index.index;
  }

  async function scopeIndex(scope: string): Promise<ScopeIndex> {
    const state = stateOf(scope);
    await refresh(scope, state);
    return indexOf(state);
  }

  /**
   * Runs detection for every text of a request under one deadline. A detector that ignores its signal still
   * cannot hold the request past the limit (the race), and a failure anywhere fails the whole request.
   */
  async function detectAll(request: RedactRequest): Promise<Span[][]> {
    const jobs: { index: number; input: DetectInput; using: Detector }[] = [];
    request.items.forEach((item, index) => {
      const using =
        item.detect === "light" ? options.lightDetector : item.detect === false ? undefined : detector;
      if (using !== undefined && item.text.length > 0) {
        jobs.push({ index, input: { text: item.text, userName: request.userName, role: item.role }, using });
      }
    });
    const results: Span[][] = request.items.map(() => []);
    if (jobs.length === 0) return results;
    const client = request.signal;
    const clientGone = (): boolean => client?.aborted === true;
    if (clientGone()) throw proxyError("PRX_DETECT_ABORTED");
    // Texts seen before (an agent resends its whole history every turn) are answered at once; only the
    // rest pay for the deadline and the abort plumbing below.
    let pending = 0;
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i] as (typeof jobs)[number];
      const hit = job.using.peek?.(job.input);
      if (hit === undefined) jobs[pending++] = job;
      else results[job.index] = hit;
    }
    jobs.length = pending;
    if (jobs.length === 0) return results;
    // One controller and one timer per request: AbortSignal.timeout/any per text cost more than detection
    // itself on cache hits.
    const controller = new AbortController();
    let fail: (err: unknown) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => (fail = reject));
    stopped.catch(() => undefined);
    const timer = setTimeout(() => {
      fail(proxyError("PRX_DETECT_TIMEOUT"));
      controller.abort();
    }, detectTimeoutMs);
    const onClientAbort = (): void => {
      fail(proxyError("PRX_DETECT_ABORTED"));
      controller.abort();
    };
    client?.addEventListener("abort", onClientAbort, { once: true });
    try {
      const all = Promise.all(jobs.map((job) => job.using.detect(job.input, controller.signal)));
      const spans = await Promise.race([all, stopped]);
      jobs.forEach((job, i) => (results[job.index] = spans[i] ?? []));
      return results;
    } catch (err) {
      // Stop detectors still working for this request (one of them failed).
      if (!controller.signal.aborted) controller.abort();
      if (isProxyError(err)) throw err;
      if (clientGone()) throw proxyError("PRX_DETECT_ABORTED");
      throw proxyError("PRX_DETECT_FAILED", { cause: err });
    } finally {
      clearTimeout(timer);
      client?.removeEventListener("abort", onClientAbort);
    }
  }

  async function redact(request: RedactRequest): Promise<RedactionOutcome> {
    const { items, scope, policy } = request;
    const allowed = new Set(policy.allow);

    // 1. Detect (each distinct text once; the detector itself caches across requests).
    const detected = await detectAll(request);

    // 2. Policy: levels and allow list; every kept value with its highest level.
    const values = new Map<string, ValueInfo>();
    const note = (text: string, info: ValueInfo): void => {
      const seen = values.get(text);
      if (seen === undefined) values.set(text, { ...info });
      else if (maxLevel(seen.level, info.level) !== seen.level) values.set(text, { ...info });
    };
    const known = await knownValues(scope);
    const tokensOf = items.map((item) => placeholderRanges(item.text));
    const kept = detected.map((spans, i) => {
      const text = items[i]?.text ?? "";
      // A placeholder the text already holds is not private data (a shape rule may take `Real_Name_1`
      // for a password, a cue rule may run over `<Password_1>&k=<Key_1>`): detected spans are cut around
      // every placeholder token, so the caller's literal placeholders go upstream exactly as sent.
      return outsideTokens(spans, tokensOf[i] ?? [], text).filter(
        (s) =>
          masksLevel(policy, s.level) &&
          !allowed.has(s.text) &&
          s.text.trim().length > 0 &&
          !isKnownPlaceholderText(s.text, known),
      );
    });
    for (const spans of kept) for (const s of spans) note(s.text, s);
    for (const value of policy.deny) {
      if (value.length > 0 && !allowed.has(value))
        note(value, { type: DENY_TYPE, level: "PL4", source: "deny-list" });
    }

    // 3. Values the scope already knows (a resent turn must not leak what an earlier turn masked).
    const maskKnown = request.maskKnown !== false;
    // The scope's matcher grows with the scope (see known-values.ts); entries the policy or this request rule
    // out are skipped per match rather than by building a matcher for the subset every request.
    const knownEntry = (e: VaultEntry): boolean =>
      masksLevel(policy, e.level) && !allowed.has(e.value) && !values.has(e.value);
    const knownMatcher = maskKnown && known.size > 0 ? known : undefined;

    // 4. Every occurrence of every value in every text, then overlap resolution.
    const fresh = [...values.keys()];
    const freshMatcher = fresh.length > 0 ? new MultiPatternMatcher(fresh) : undefined;
    const resolved: Span[][] = items.map((item, i) => {
      const spans: Span[] = [...(kept[i] ?? [])];
      const text = item.text;
      if (freshMatcher !== undefined) {
        for (const m of freshMatcher.findAll(text)) {
          const value = fresh[m.pattern] as string;
          const info = values.get(value) as ValueInfo;
          if (value.length < MIN_OCCURRENCE_LENGTH && info.source !== "deny-list") continue;
          if (!onBoundary(text, m.start, m.end)) continue;
          spans.push({
            start: m.start,
            end: m.end,
            text: value,
            type: info.type,
            level: info.level,
            source: info.source,
          });
        }
      }
      if (knownMatcher !== undefined) {
        for (const m of knownMatcher.findAll(text)) {
          const entry = m.entry;
          if (entry.value.length < MIN_OCCURRENCE_LENGTH || !onBoundary(text, m.start, m.end)) continue;
          if (!knownEntry(entry)) continue;
          spans.push({
            start: m.start,
            end: m.end,
            text: entry.value,
            type: entry.type,
            level: entry.level,
            source: "vault",
          });
        }
      }
      const tokens = tokensOf[i] ?? [];
      return mergeSpans(tokens.length === 0 ? spans : spans.filter((s) => !overlapsAny(s, tokens)));
    });

    // 5. One placeholder per value.
    const { replacements: replacementFor, changed } = await allocate(request, resolved, known);

    // 6. One-pass substitution over non-overlapping spans.
    const counts = emptyCounts();
    const types: Record<string, number> = {};
    const texts: string[] = [];
    const applied: AppliedSpan[][] = [];
    items.forEach((item, i) => {
      const spans = resolved[i] ?? [];
      const parts: string[] = [];
      const out: AppliedSpan[] = [];
      let at = 0;
      for (const s of spans) {
        const replacement = replacementFor.get(s.text) ?? COMPLETE_MASK;
        parts.push(item.text.slice(at, s.start), replacement);
        at = s.end;
        out.push({ ...s, replacement });
        if (s.level !== "PL1") counts[s.level]++;
        types[s.type] = (types[s.type] ?? 0) + 1;
      }
      parts.push(item.text.slice(at));
      texts.push(parts.join(""));
      applied.push(out);
    });
    // Look-ups by key only: the whole scope's index is built just for `restoreScope: scope`.
    const keyed = changed ? await knownValues(scope) : known;
    return {
      texts,
      spans: applied,
      counts,
      types,
      ...exchangeIndex(
        request,
        (key) => keyed.entryForKey(key),
        () => indexOf(stateOf(scope)),
        applied,
        exchanges,
      ),
    };
  }

  /** When each placeholder was last confirmed with the vault (which refreshes its retention). */
  const confirmed = new Map<string, number>();

  /**
   * Maps each value to its replacement text, allocating vault entries atomically. Values the scope already
   * holds at a sufficient level, confirmed with the vault within the last minute, are answered from the
   * scope index without a vault round trip (the vault renews retention at most once a minute anyway).
   */
  async function allocate(
    request: RedactRequest,
    resolved: readonly Span[][],
    scopeValues: KnownValues,
  ): Promise<{ replacements: Map<string, string>; changed: boolean }> {
    const out = new Map<string, string>();
    const { policy, scope } = request;
    const unique = new Map<string, Span>();
    for (const spans of resolved) {
      for (const s of spans) {
        const seen = unique.get(s.text);
        if (seen === undefined || maxLevel(seen.level, s.level) !== seen.level) unique.set(s.text, s);
      }
    }
    if (unique.size === 0) return { replacements: out, changed: false };
    if (policy.mode === "complete") {
      for (const value of unique.keys()) out.set(value, COMPLETE_MASK);
      return { replacements: out, changed: false };
    }
    const generic = policy.mode === "generic";
    const partition = generic ? genericPartition(scope) : scope;
    const now = Date.now();
    let known = true;
    for (const span of unique.values()) {
      const entry = scopeValues.entryForValue(span.text, generic);
      const at = entry === undefined ? undefined : confirmed.get(`${partition}\u0000${entry.key}`);
      if (
        entry === undefined ||
        at === undefined ||
        now - at > CONFIRM_MS ||
        maxLevel(entry.level, span.level) !== entry.level
      ) {
        known = false;
        break;
      }
      out.set(span.text, entry.placeholder);
    }
    if (known) return { replacements: out, changed: false };

    const reserved = new Set<string>();
    for (const item of request.items) for (const key of reservedKeysIn(item.text)) reserved.add(key);
    const requests: AllocationRequest[] = [...unique.values()].map((s) => ({
      value: s.text,
      type: s.type,
      level: s.level,
      name: generic ? GENERIC_NAME : placeholderNameFor(s.type),
    }));
    let entries: VaultEntry[];
    try {
      entries = await vault.allocate(partition, requests, { reserved });
    } catch (err) {
      throw isProxyError(err) ? err : proxyError("PRX_VAULT_FAILED", { cause: err });
    }
    if (confirmed.size > MAX_CONFIRMED) confirmed.clear();
    entries.forEach((e, i) => {
      out.set((requests[i] as AllocationRequest).value, e.placeholder);
      confirmed.set(`${partition}\u0000${e.key}`, now);
    });
    // The vault's feed hands back exactly what this allocation added or raised (and any other writer's news):
    // appended to the known values, nothing rebuilt.
    const before = scopeValues.revision;
    const state = scopes.get(scope);
    if (state !== undefined) await refresh(scope, state);
    return { replacements: out, changed: scopeValues.revision !== before };
  }

  async function boundIndex(scope: string, keys: Iterable<string>): Promise<ScopeIndex> {
    const known = await knownValues(scope);
    const entries: VaultEntry[] = [];
    for (const key of keys) {
      const entry = known.entryForKey(key);
      if (entry !== undefined) entries.push(entry);
    }
    return new ScopeIndex(entries);
  }

  return { redact, scopeIndex, boundIndex, detector, vault };
}
