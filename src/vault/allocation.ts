/**
 * Rules shared by the vault implementations, so memory, SQLite and PostgreSQL cannot drift apart: retention and
 * expiry, when a use renews an entry, how the next placeholder number is chosen, input validation, and the stored
 * row shape of the durable backends.
 */
import { ProxyError } from "../errors/catalogue.js";
import { isPrivacyLevel } from "../taxonomy/levels.js";
import type { PrivacyLevel } from "../taxonomy/levels.js";
import { formatPlaceholder, placeholderKey } from "../taxonomy/placeholder.js";
import type { VaultCipher } from "./cipher.js";
import type { AllocationRequest, ExportedEntry, Retention, VaultEntry, VaultStats } from "./vault.js";

/** A use renews an entry's retention at most this often, so re-sending known values costs no write per request. */
export const RENEW_INTERVAL_MS = 60_000;
/** Values longer than this (UTF-16 code units) are refused: a span that long is a detector fault, not a value. */
export const MAX_VALUE_LENGTH = 1 << 20;

// A placeholder name as `CANONICAL_PLACEHOLDER_RE` reads it back: restoration must be able to find it.
const NAME_RE = /^[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*$/;

/** The clock in whole milliseconds: `now` when given, else `Date.now()`. */
export function clockOf(now: number | undefined): number {
  return Math.floor(now ?? Date.now());
}

/** Retention of a level in ms; PL1 (never masked, so only reachable by a caller's mistake) keeps PL2's. */
export function retentionOf(retention: Retention, level: PrivacyLevel): number {
  return level === "PL1" ? retention.PL2 : retention[level];
}

/** When an entry last used at `lastUsed` expires; a non-finite retention means never (kept as an integer). */
export function expiryOf(retention: Retention, level: PrivacyLevel, lastUsed: number): number {
  const ms = retentionOf(retention, level);
  const expires = lastUsed + ms;
  return Number.isFinite(expires)
    ? Math.min(Math.floor(expires), Number.MAX_SAFE_INTEGER)
    : Number.MAX_SAFE_INTEGER;
}

/** An entry is live strictly before its expiry time. */
export function isExpired(expires: number, now: number): boolean {
  return expires <= now;
}

/**
 * True when a use at `now` should be written: the level rises, or the last recorded use is older than the renew
 * interval (shortened for short retentions so that they stay accurate to about 1 %).
 */
export function needsTouch(
  retention: Retention,
  current: { level: PrivacyLevel; lastUsed: number },
  level: PrivacyLevel,
  now: number,
): boolean {
  if (raisedLevel(current.level, level) !== current.level) return true;
  const interval = Math.min(RENEW_INTERVAL_MS, retentionOf(retention, current.level) / 100);
  return now - current.lastUsed >= interval;
}

/** The level after a new sighting: the higher of the two, never lower than the stored one. */
export function raisedLevel(stored: PrivacyLevel, seen: PrivacyLevel): PrivacyLevel {
  return levelOrder(seen) > levelOrder(stored) ? seen : stored;
}

function levelOrder(level: PrivacyLevel): number {
  return Number(level.slice(2));
}

/** Lower-cases the reserved keys once per call, so any caller casing reserves the same number. */
export function normaliseReserved(reserved: ReadonlySet<string> | undefined): ReadonlySet<string> {
  if (reserved === undefined || reserved.size === 0) return new Set();
  return new Set([...reserved].map((key) => key.toLowerCase()));
}

/**
 * The first number ≥ `start` whose key is neither reserved nor already taken in the scope. Callers then move the
 * name's counter past it, so a number once handed out (or skipped) is never handed out again.
 */
export function pickNumber(
  name: string,
  start: number,
  reserved: ReadonlySet<string>,
  taken: (key: string) => boolean,
): number {
  let n = Math.max(1, Math.floor(start));
  for (;;) {
    const key = placeholderKey(name, n);
    if (!reserved.has(key) && !taken(key)) return n;
    n++;
  }
}

/** Builds the public entry for a stored mapping. */
export function makeEntry(fields: {
  name: string;
  n: number;
  type: string;
  level: PrivacyLevel;
  value: string;
}): VaultEntry {
  return Object.freeze({
    placeholder: formatPlaceholder(fields.name, fields.n),
    key: placeholderKey(fields.name, fields.n),
    name: fields.name,
    n: fields.n,
    type: fields.type,
    level: fields.level,
    value: fields.value,
  });
}

/** Refuses malformed requests before anything is written; the detail names the field, never its content. */
export function validateItems(items: readonly AllocationRequest[]): void {
  for (const item of items) {
    if (typeof item.value !== "string" || item.value.length > MAX_VALUE_LENGTH) {
      throw new ProxyError("PRX_INTERNAL", { detail: "vault: value missing or too long" });
    }
    if (typeof item.name !== "string" || !NAME_RE.test(item.name)) {
      throw new ProxyError("PRX_INTERNAL", {
        detail: "vault: placeholder name is not of the form Name_Part",
      });
    }
    if (typeof item.type !== "string")
      throw new ProxyError("PRX_INTERNAL", { detail: "vault: type missing" });
    if (!isPrivacyLevel(item.level)) throw new ProxyError("PRX_INTERNAL", { detail: "vault: invalid level" });
  }
}

/** Vault stats from per-(level, type) counts. */
export function statsOf(
  scopes: number,
  groups: readonly { level: string; type: string; c: number; x: number }[],
): VaultStats {
  const byLevel: Record<string, number> = {};
  const byType: Record<string, number> = {};
  let entries = 0;
  let expired = 0;
  for (const g of groups) {
    entries += g.c;
    expired += g.x;
    byLevel[g.level] = (byLevel[g.level] ?? 0) + g.c;
    byType[g.type] = (byType[g.type] ?? 0) + g.c;
  }
  return { scopes, entries, expired, byLevel, byType };
}

/** A stored level read back from a database; anything else is a corrupt row (PRX_VAULT_FAILED). */
export function storedLevel(level: string): PrivacyLevel {
  if (!isPrivacyLevel(level))
    throw new ProxyError("PRX_VAULT_FAILED", { detail: "vault entry has a bad level" });
  return level;
}

/** A row of `entries` as both durable backends store it (the columns of their SQL, bigints read as numbers). */
export interface StoredRow {
  id: number;
  scope_tag: Buffer;
  placeholder_key: string;
  name: string;
  n: number;
  type: string;
  level: string;
  value_ct: Buffer;
  value_mac: Buffer;
  created: number;
  last_used: number;
  expires: number;
}

/** The columns the allocation look-up by MAC reads (no ciphertext: the MAC proves the value). */
export type MacRow = Pick<
  StoredRow,
  "id" | "placeholder_key" | "name" | "n" | "type" | "level" | "last_used" | "expires"
>;

/**
 * The entries of a call whose values are all stored, live and renewed recently — the common case of a resent
 * history, which writes nothing — from their rows (`rowOf`); undefined when the allocation must write.
 */
export function unchangedEntries(
  retention: Retention,
  call: AllocationCall,
  rowOf: (mac: Buffer, hex: string) => MacRow | undefined,
): VaultEntry[] | undefined {
  const out: VaultEntry[] = [];
  for (const [i, item] of call.items.entries()) {
    const mac = call.macs[i];
    if (mac === undefined) return undefined;
    const row = rowOf(mac, mac.toString("hex"));
    if (row === undefined || isExpired(row.expires, call.now)) return undefined;
    const level = storedLevel(row.level);
    if (needsTouch(retention, { level, lastUsed: row.last_used }, item.level, call.now)) return undefined;
    // The MAC matched, so the stored value is this one: no need to decrypt it.
    out.push(makeEntry({ name: row.name, n: row.n, type: row.type, level, value: item.value }));
  }
  return out;
}

/** A value's row while an allocation transaction works on it (the durable backends). */
export interface WorkingRow {
  id: number;
  key: string;
  name: string;
  n: number;
  type: string;
  level: PrivacyLevel;
  lastUsed: number;
  expires: number;
  /** Written by this allocation (inserted, renewed or raised). */
  changed: boolean;
}

/** What a durable backend's allocation needs beside its storage. */
export interface AllocationContext {
  readonly cipher: VaultCipher;
  readonly retention: Retention;
}

/** One allocation as a durable backend runs it: the scope's tag, the values with their MACs, the clock. */
export interface AllocationCall {
  readonly tag: Buffer;
  readonly items: readonly AllocationRequest[];
  /** The value MAC of each item, in order. */
  readonly macs: readonly Buffer[];
  readonly now: number;
  /** Lower-case keys not to hand out (see {@link pickNumber}). */
  readonly reserved: ReadonlySet<string>;
}

/** The entries of a call's items, in order, from the working rows its transaction left (by value MAC, hex). */
export function entriesOf(call: AllocationCall, working: ReadonlyMap<string, WorkingRow>): VaultEntry[] {
  return call.items.map((item, i) => {
    const state = working.get(call.macs[i]?.toString("hex") ?? "");
    if (state === undefined) throw new Error("unreachable: allocated value missing");
    return makeEntry({ ...state, value: item.value });
  });
}

/** What an allocation transaction must write, decided from the stored rows of its values (see {@link planAllocation}). */
export interface AllocationPlan {
  /** Live stored rows by value MAC (hex), with the sightings applied; the backend adds the fresh ones. */
  readonly working: Map<string, WorkingRow>;
  /** Stored rows past their retention: deleted (their numbers stay used), their values allocated anew. */
  readonly expired: MacRow[];
  /** Rows to write back in this order (renewed, `raised` when the level rose); a row may come twice. */
  readonly touched: (WorkingRow & { raised: boolean })[];
  /** New values in first-sighting order, each once, at the highest level sighted. */
  readonly fresh: { mac: Buffer; item: AllocationRequest }[];
}

/**
 * The allocation algorithm both durable backends run inside their transaction: each value's stored row (`rowOf`,
 * read inside the transaction) is kept, renewed, raised or replaced when expired; values without a live row are
 * listed once, for the backend to insert with the next free numbers.
 */
export function planAllocation(
  retention: Retention,
  call: AllocationCall,
  rowOf: (mac: Buffer, hex: string) => MacRow | undefined,
): AllocationPlan {
  const { items, macs, now } = call;
  const plan: AllocationPlan = { working: new Map(), expired: [], touched: [], fresh: [] };
  const freshAt = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    const mac = macs[i];
    if (mac === undefined) throw new Error("unreachable: missing MAC");
    const hex = mac.toString("hex");
    let state = plan.working.get(hex);
    if (state === undefined && !freshAt.has(hex)) {
      const row = rowOf(mac, hex);
      if (row !== undefined && isExpired(row.expires, now)) plan.expired.push(row);
      else if (row !== undefined) {
        state = workingRow(row);
        plan.working.set(hex, state);
      }
    }
    if (state !== undefined) {
      if (needsTouch(retention, state, item.level, now)) {
        const level = raisedLevel(state.level, item.level);
        const raised = level !== state.level;
        state.level = level;
        state.lastUsed = Math.max(state.lastUsed, now);
        state.expires = expiryOf(retention, state.level, state.lastUsed);
        state.changed = true;
        plan.touched.push({ ...state, raised });
      }
      continue;
    }
    const at = freshAt.get(hex);
    if (at === undefined) {
      freshAt.set(hex, plan.fresh.length);
      plan.fresh.push({ mac, item });
      continue;
    }
    const queued = plan.fresh[at] as { mac: Buffer; item: AllocationRequest };
    const level = raisedLevel(queued.item.level, item.level);
    if (level !== queued.item.level) plan.fresh[at] = { mac, item: { ...queued.item, level } };
  }
  return plan;
}

function workingRow(row: MacRow): WorkingRow {
  return {
    id: row.id,
    key: row.placeholder_key,
    name: row.name,
    n: row.n,
    type: row.type,
    level: storedLevel(row.level),
    lastUsed: row.last_used,
    expires: row.expires,
    changed: false,
  };
}

/** An entry as `vault export` writes it (the scope only as its tag). */
export function exportedEntry(
  scopeTag: Buffer,
  entry: VaultEntry,
  times: { readonly created: number; readonly lastUsed: number; readonly expires: number },
): ExportedEntry {
  const { placeholder, type, level, value } = entry;
  return { scopeTag: scopeTag.toString("hex"), placeholder, type, level, value, ...times };
}
