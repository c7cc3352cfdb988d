/**
 * Rules shared by both vault implementations, so memory and SQLite cannot drift apart: retention and expiry,
 * when a use renews an entry, how the next placeholder number is chosen, and input validation.
 */
import { ProxyError } from "../errors/catalogue.js";
import { isPrivacyLevel } from "../taxonomy/levels.js";
import type { PrivacyLevel } from "../taxonomy/levels.js";
import { formatPlaceholder, placeholderKey } from "../taxonomy/placeholder.js";
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
