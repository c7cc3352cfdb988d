/**
 * Allocation, the step before substitution (src/redaction/pipeline.ts): one placeholder per value, from the
 * vault (atomic, stable per scope across turns and restarts), or from the scope's known values when the vault
 * confirmed them recently.
 */
import type { Span } from "../detection/span.js";
import { isProxyError, proxyError } from "../errors/catalogue.js";
import { maxLevel } from "../taxonomy/levels.js";
import { COMPLETE_MASK, GENERIC_NAME, placeholderNameFor, reservedKeysIn } from "../taxonomy/placeholder.js";
import type { AllocationRequest, Vault, VaultEntry } from "../vault/vault.js";
import type { Deadline } from "./deadline.js";
import type { KnownValues } from "./known-values.js";
import type { RedactRequest } from "./request.js";
import { genericPartition, type ScopeStates } from "./scope-states.js";

/** How long a placeholder confirmed with the vault is trusted from the scope index alone. */
const CONFIRM_MS = 30_000;
/** Bound on remembered confirmations (cleared when exceeded). */
const MAX_CONFIRMED = 100_000;

/** Each value's replacement, and whether the scope's known values changed (the vault added or raised some). */
export interface Allocation {
  readonly replacements: Map<string, string>;
  readonly changed: boolean;
  /** The entries the vault returned for this request, by lower-case key (none when it was not asked). */
  readonly allocated: ReadonlyMap<string, VaultEntry>;
}

const NONE: ReadonlyMap<string, VaultEntry> = new Map();

/** Gives values their placeholders; remembers when the vault last confirmed each. */
export class PlaceholderAllocator {
  readonly #vault: Vault;
  readonly #states: ScopeStates;
  /** When each placeholder was last confirmed with the vault (which refreshes its retention). */
  readonly #confirmed = new Map<string, number>();

  constructor(vault: Vault, states: ScopeStates) {
    this.#vault = vault;
    this.#states = states;
  }

  /**
   * Maps each value to its replacement text, allocating vault entries atomically. Values the scope already
   * holds at a sufficient level, confirmed with the vault within {@link CONFIRM_MS}, are answered from the
   * known values without a vault round trip (the vault renews retention at most once a minute anyway). The
   * walk over the spans yields in slices; past `deadline` nothing is allocated (it throws before the vault).
   */
  async allocate(
    request: Pick<RedactRequest, "items" | "policy" | "scope">,
    resolved: readonly Span[][],
    scopeValues: KnownValues,
    deadline: Deadline,
  ): Promise<Allocation> {
    const out = new Map<string, string>();
    const { policy, scope } = request;
    const unique = new Map<string, Span>();
    for (const spans of resolved) {
      for (const s of spans) {
        if (deadline.due()) await deadline.pause();
        const seen = unique.get(s.text);
        if (seen === undefined || (seen.level !== s.level && maxLevel(seen.level, s.level) !== seen.level))
          unique.set(s.text, s);
      }
    }
    if (unique.size === 0) return { replacements: out, changed: false, allocated: NONE };
    if (policy.mode === "complete") {
      for (const value of unique.keys()) out.set(value, COMPLETE_MASK);
      return { replacements: out, changed: false, allocated: NONE };
    }
    const generic = policy.mode === "generic";
    const partition = generic ? genericPartition(scope) : scope;
    const now = Date.now();
    let known = true;
    for (const span of unique.values()) {
      const entry = scopeValues.entryForValue(span.text, generic);
      const at = entry === undefined ? undefined : this.#confirmed.get(`${partition}\u0000${entry.key}`);
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
    if (known) return { replacements: out, changed: false, allocated: NONE };

    const reserved = new Set<string>();
    for (const item of request.items) for (const key of reservedKeysIn(item.text)) reserved.add(key);
    const requests: AllocationRequest[] = [...unique.values()].map((s) => ({
      value: s.text,
      type: s.type,
      level: s.level,
      name: generic ? GENERIC_NAME : placeholderNameFor(s.type),
    }));
    // The vault's write is one atomic call: either the request is still in time and it runs whole, or not at all.
    deadline.check();
    let entries: VaultEntry[];
    try {
      entries = await this.#vault.allocate(partition, requests, { reserved });
    } catch (err) {
      throw isProxyError(err) ? err : proxyError("PRX_VAULT_FAILED", { cause: err });
    }
    if (this.#confirmed.size > MAX_CONFIRMED) this.#confirmed.clear();
    const allocated = new Map<string, VaultEntry>();
    entries.forEach((e, i) => {
      out.set((requests[i] as AllocationRequest).value, e.placeholder);
      this.#confirmed.set(`${partition}\u0000${e.key}`, now);
      allocated.set(e.key, e);
    });
    // The vault's feed hands back exactly what this allocation added or raised (and any other writer's news):
    // appended to the known values, nothing rebuilt.
    const before = scopeValues.revision;
    await this.#states.refreshCached(scope);
    return { replacements: out, changed: scopeValues.revision !== before, allocated };
  }
}
