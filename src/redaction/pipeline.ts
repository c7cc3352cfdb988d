/**
 * The redaction pipeline (DESIGN §4–§5): detect (cached) → policy → every occurrence of every value →
 * overlap resolution → one placeholder per value from the vault → one-pass substitution.
 * Used by every protocol adapter and the ad-hoc routes; also builds the scope index used to restore.
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
}

export interface RedactRequest {
  readonly items: readonly TextItem[];
  /** Logical scope (credential hash + session); never logged. */
  readonly scope: string;
  readonly policy: Policy;
  readonly userName?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Also mask every value the scope already knows, wherever it occurs (default true). */
  readonly maskKnown?: boolean;
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
  /** The scope's placeholders after this request (restore the response with it). */
  readonly index: ScopeIndex;
}

export interface RedactorOptions {
  readonly detector: Detector;
  readonly vault: Vault;
  /** Cheap detector for `detect: "light"` texts (the rules); such texts get no detection when absent. */
  readonly lightDetector?: Detector;
  /** Per-text detection limit; on expiry the request fails closed. */
  readonly detectTimeoutMs: number;
  /** Scopes whose index stays cached. */
  readonly maxCachedScopes?: number;
}

export interface Redactor {
  redact(request: RedactRequest): Promise<RedactionOutcome>;
  /** The scope's current index (both partitions: typed and generic). */
  scopeIndex(scope: string): ScopeIndex;
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

/** Offsets of every canonical placeholder token (`<Name_N>`) in a text. */
function placeholderRanges(text: string): [number, number][] {
  if (!text.includes("<")) return [];
  return [...text.matchAll(CANONICAL_PLACEHOLDER_RE)].map((m): [number, number] => [
    m.index,
    m.index + m[0].length,
  ]);
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
  /** Per scope (LRU): its known values, where it stands in both partitions' change feeds, its index. */
  interface ScopeState {
    readonly known: KnownValues;
    typed: ChangeCursor | undefined;
    generic: ChangeCursor | undefined;
    index: { revision: number; index: ScopeIndex } | undefined;
  }
  const scopes = new Map<string, ScopeState>();

  /** Brings a scope's known values up to the vault: only what changed since the last look (any writer). */
  function refresh(scope: string, state: ScopeState): void {
    const generic = genericPartition(scope);
    let typed = vault.changes(scope, state.typed);
    let gen = vault.changes(generic, state.generic);
    if (typed.reset || gen.reset) {
      // Entries left the live set: start over from both partitions' whole live sets.
      state.known.clear();
      if (!typed.reset) typed = vault.changes(scope);
      if (!gen.reset) gen = vault.changes(generic);
    }
    state.known.apply(typed.entries, false);
    state.known.apply(gen.entries, true);
    state.typed = typed.cursor;
    state.generic = gen.cursor;
  }

  /** The scope's known values, up to date with the vault. */
  function knownValues(scope: string): KnownValues {
    let state = scopes.get(scope);
    if (state === undefined) {
      state = { known: new KnownValues(), typed: undefined, generic: undefined, index: undefined };
      if (scopes.size >= maxScopes) {
        const oldest = scopes.keys().next();
        if (oldest.done !== true) scopes.delete(oldest.value);
      }
    } else {
      scopes.delete(scope); // re-inserted below: Map order is the LRU order
    }
    scopes.set(scope, state);
    refresh(scope, state);
    return state.known;
  }

  function scopeIndex(scope: string): ScopeIndex {
    const known = knownValues(scope);
    const state = scopes.get(scope) as ScopeState;
    if (state.index?.revision !== known.revision)
      state.index = { revision: known.revision, index: new ScopeIndex(known.entries()) };
    return state.index.index;
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
    const index = scopeIndex(scope);
    const known = knownValues(scope);
    const kept = detected.map((spans, i) => {
      const tokens = placeholderRanges(items[i]?.text ?? "");
      return spans.filter(
        (s) =>
          masksLevel(policy, s.level) &&
          !allowed.has(s.text) &&
          s.text.trim().length > 0 &&
          // A placeholder the text already holds is not private data (a shape rule may take `Real_Name_1`
          // for a password); masking it again would only nest placeholders.
          !tokens.some(
            ([a, b]) => (s.start === a || s.start === a + 1) && (s.end === b || s.end === b - 1),
          ) &&
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
      return mergeSpans(spans);
    });

    // 5. One placeholder per value.
    const { replacements: replacementFor, changed } = allocate(request, resolved, known);

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
    const finalIndex = changed ? scopeIndex(scope) : index;
    return { texts, spans: applied, counts, types, index: finalIndex };
  }

  /** When each placeholder was last confirmed with the vault (which refreshes its retention). */
  const confirmed = new Map<string, number>();

  /**
   * Maps each value to its replacement text, allocating vault entries atomically. Values the scope already
   * holds at a sufficient level, confirmed with the vault within the last minute, are answered from the
   * scope index without a vault round trip (the vault renews retention at most once a minute anyway).
   */
  function allocate(
    request: RedactRequest,
    resolved: readonly Span[][],
    scopeValues: KnownValues,
  ): { replacements: Map<string, string>; changed: boolean } {
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
      entries = vault.allocate(partition, requests, { reserved });
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
    if (state !== undefined) refresh(scope, state);
    return { replacements: out, changed: scopeValues.revision !== before };
  }

  return { redact, scopeIndex, detector, vault };
}
