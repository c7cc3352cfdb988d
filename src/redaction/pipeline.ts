/**
 * The redaction pipeline (docs/architecture.md, "The path of a request"): detect (cached, one deadline per
 * request; detect-all.ts) → policy and every occurrence of every value, overlaps resolved (occurrences.ts) →
 * one placeholder per value from the vault (placeholders.ts) → one-pass substitution and the exchange's
 * restoration index (substitution.ts). Used by every protocol adapter and the ad-hoc routes; also gives the
 * scope indexes used to restore (scope-states.ts).
 */
import type { Detector } from "../detection/span.js";
import type { Vault, VaultEntry } from "../vault/vault.js";
import { Deadline, type DeadlineClock } from "./deadline.js";
import { RequestDetection } from "./detect-all.js";
import { findOccurrences } from "./occurrences.js";
import { PlaceholderAllocator } from "./placeholders.js";
import type { RedactionOutcome, RedactRequest } from "./request.js";
import { ScopeIndex } from "./scope-index.js";
import { ScopeStates } from "./scope-states.js";
import { ExchangeIndexes, substitute } from "./substitution.js";

export type {
  AppliedSpan,
  LevelCounts,
  RedactionOutcome,
  RedactRequest,
  RestoreScope,
  TextItem,
} from "./request.js";
export { genericPartition } from "./scope-states.js";

export interface RedactorOptions {
  readonly detector: Detector;
  readonly vault: Vault;
  /** Cheap detector for `detect: "light"` texts (the rules); such texts get no detection when absent. */
  readonly lightDetector?: Detector;
  /**
   * Deadline of the whole redaction of a request (detection of every text, then occurrences, allocation and
   * substitution, which yield to the event loop in slices); on expiry the request fails closed.
   */
  readonly detectTimeoutMs: number;
  /** The deadline's clock (tests drive it; default `performance.now()` and `setImmediate`). */
  readonly clock?: DeadlineClock;
  /** Scopes whose index stays cached (default 1024). */
  readonly maxCachedScopes?: number;
}

export interface Redactor {
  redact(request: RedactRequest): Promise<RedactionOutcome>;
  /** The scope's current index (both partitions: typed and generic). */
  scopeIndex(scope: string): Promise<ScopeIndex>;
  /** An index of just the scope's placeholders with these look-up keys (bound to a stateful id). */
  boundIndex(scope: string, keys: Iterable<string>): Promise<ScopeIndex>;
  /**
   * The vault's warm-up (`Vault.warm`, when it has one) with the scopes it loads handed to the pipeline, which
   * builds their known values in the background: after a restart, a scope's first request pays no cost per
   * stored value. Resolves with the number of entries loaded (0 without a warm-up) once their known values are
   * in (a request that comes earlier finishes what is left of its own scope's).
   */
  warm(): Promise<number>;
  /** Stops what the warm-up left building in the background (the runtime calls it when it closes). */
  close(): void;
  readonly detector: Detector;
  readonly vault: Vault;
}

/** The pipeline over one detector and one vault; its parts keep their own state (scopes, confirmations). */
class RedactionPipeline implements Redactor {
  readonly detector: Detector;
  readonly vault: Vault;
  readonly #detection: RequestDetection;
  readonly #scopes: ScopeStates;
  readonly #allocator: PlaceholderAllocator;
  readonly #exchanges = new ExchangeIndexes();
  readonly #timeoutMs: number;
  readonly #clock: DeadlineClock | undefined;

  constructor(options: RedactorOptions) {
    this.detector = options.detector;
    this.vault = options.vault;
    this.#detection = new RequestDetection(options.detector, options.lightDetector);
    this.#timeoutMs = options.detectTimeoutMs;
    this.#clock = options.clock;
    this.#scopes = new ScopeStates(options.vault, options.maxCachedScopes ?? 1024);
    this.#allocator = new PlaceholderAllocator(options.vault, this.#scopes);
  }

  async redact(request: RedactRequest): Promise<RedactionOutcome> {
    const { items, scope, policy } = request;
    // One deadline for the whole request: every step below stops at it (see deadline.ts).
    const deadline = new Deadline(this.#timeoutMs, this.#clock, request.signal);
    // 1. Detect (each distinct text once; the detector itself caches across requests).
    const detected = await this.#detection.detectAll(request, deadline);
    // 2–4. What the policy keeps, and every occurrence of it and of the scope's known values.
    const known = await this.#scopes.known(scope);
    deadline.check();
    const resolved = await findOccurrences(
      items,
      detected,
      policy,
      known,
      request.maskKnown !== false,
      deadline,
    );
    // 5. One placeholder per value.
    const { replacements, changed, allocated } = await this.#allocator.allocate(
      request,
      resolved,
      known,
      deadline,
    );
    // 6. One-pass substitution over non-overlapping spans.
    const substitution = await substitute(items, resolved, replacements, deadline);
    // Look-ups by key only: the whole scope's index is built just for `restoreScope: scope`.
    const keyed = changed ? await this.#scopes.known(scope) : known;
    const exchange = await this.#exchanges.indexFor(
      request,
      substitution.spans,
      // What this request allocated is looked up in its own result too: the scope's known values may have been
      // dropped from the cache of scopes meanwhile (many scopes in flight), and then miss the new entries.
      (key) => keyed.entryForKey(key) ?? allocated.get(key),
      () => this.#scopes.indexOfKnown(scope, keyed),
      deadline,
    );
    return { ...substitution, ...exchange };
  }

  async warm(): Promise<number> {
    const built: Promise<void>[] = [];
    const loaded = await this.vault.warm?.((tag, changes) => built.push(this.#scopes.prepare(tag, changes)));
    await Promise.all(built);
    return loaded ?? 0;
  }

  close(): void {
    this.#scopes.close();
  }

  scopeIndex(scope: string): Promise<ScopeIndex> {
    return this.#scopes.index(scope);
  }

  async boundIndex(scope: string, keys: Iterable<string>): Promise<ScopeIndex> {
    const known = await this.#scopes.known(scope);
    const entries: VaultEntry[] = [];
    for (const key of keys) {
      const entry = known.entryForKey(key);
      if (entry !== undefined) entries.push(entry);
    }
    return new ScopeIndex(entries);
  }
}

/** Builds the pipeline over a detector and a vault. */
export function createRedactor(options: RedactorOptions): Redactor {
  return new RedactionPipeline(options);
}
