/**
 * Allocation on the SQLite vault: the read-only check for values already stored (one read transaction), and
 * the write that allocates the rest (`BEGIN IMMEDIATE`, run by `sqlite-vault.ts`).
 */
import {
  expiryOf,
  isExpired,
  makeEntry,
  needsTouch,
  pickNumber,
  raisedLevel,
  storedLevel,
  type WorkingRow,
} from "./allocation.js";
import type { VaultCipher } from "./cipher.js";
import type { Statements } from "./sqlite-statements.js";
import type { AllocationRequest, Retention, VaultEntry } from "./vault.js";

/** What allocation needs from the vault object. */
export interface AllocationContext {
  readonly stmt: Statements;
  readonly cipher: VaultCipher;
  readonly retention: Retention;
}

/** Working state of one value during an allocation transaction. */
export interface Working extends WorkingRow {
  changed: boolean;
}

export interface AllocationResult {
  readonly working: Map<string, Working>;
  readonly deletedKeys: string[];
  readonly before: number;
  readonly after: number;
}

/** Read-only path: every value already stored, live and recently used — the common case of a resent history. */
export function knownEntries(
  ctx: AllocationContext,
  tag: Buffer,
  items: readonly AllocationRequest[],
  macs: readonly Buffer[],
  now: number,
): VaultEntry[] | undefined {
  const out: VaultEntry[] = [];
  for (const [i, item] of items.entries()) {
    const mac = macs[i];
    if (mac === undefined) return undefined;
    const row = ctx.stmt.byMac.get(tag, mac);
    if (row === undefined || isExpired(row.expires, now)) return undefined;
    const level = storedLevel(row.level);
    if (needsTouch(ctx.retention, { level, lastUsed: row.last_used }, item.level, now)) return undefined;
    // The MAC matched, so the stored value is this one: no need to decrypt it.
    out.push(makeEntry({ name: row.name, n: row.n, type: row.type, level, value: item.value }));
  }
  return out;
}

export function writeAllocation(
  ctx: AllocationContext,
  tag: Buffer,
  items: readonly AllocationRequest[],
  macs: readonly Buffer[],
  now: number,
  reserved: ReadonlySet<string>,
): AllocationResult {
  const stmt = ctx.stmt;
  const retention = ctx.retention;
  const before = stmt.version.get(tag) ?? 0;
  const working = new Map<string, Working>();
  const deletedKeys: string[] = [];
  let dirty = false;
  for (const [i, item] of items.entries()) {
    const mac = macs[i];
    if (mac === undefined) throw new Error("unreachable: missing MAC");
    const macHex = mac.toString("hex");
    let state = working.get(macHex);
    if (state === undefined) {
      const row = stmt.byMac.get(tag, mac);
      if (row !== undefined && isExpired(row.expires, now)) {
        // Its number stays used (the counter is past it); the value gets a new one below.
        stmt.deleteId.run(row.id);
        deletedKeys.push(row.placeholder_key);
        dirty = true;
      } else if (row !== undefined) {
        state = {
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
    }
    if (state !== undefined) {
      if (needsTouch(retention, state, item.level, now)) {
        state.level = raisedLevel(state.level, item.level);
        state.lastUsed = Math.max(state.lastUsed, now);
        state.expires = expiryOf(retention, state.level, state.lastUsed);
        stmt.touch.run(state.level, state.lastUsed, state.expires, state.id);
        state.changed = true;
        dirty = true;
      }
      working.set(macHex, state);
      continue;
    }
    const lower = item.name.toLowerCase();
    const n = pickNumber(
      item.name,
      stmt.counter.get(tag, lower) ?? 1,
      reserved,
      (key) => stmt.keyTaken.get(tag, key) !== undefined,
    );
    const key = `${lower}_${n}`;
    const expires = expiryOf(retention, item.level, now);
    const ct = ctx.cipher.encrypt(tag, key, item.value);
    const id = stmt.insert.get(tag, key, item.name, n, item.type, item.level, ct, mac, now, now, expires);
    if (id === undefined) throw new Error("unreachable: insert returned no id");
    stmt.setCounter.run(tag, lower, n + 1);
    working.set(macHex, {
      id,
      key,
      name: item.name,
      n,
      type: item.type,
      level: item.level,
      lastUsed: now,
      expires,
      changed: true,
    });
    dirty = true;
  }
  const after = dirty ? (stmt.bump.get(tag) ?? before) : before;
  return { working, deletedKeys, before, after };
}
