/**
 * Allocation on the SQLite vault: the read-only check for values already stored (one read transaction), and
 * the write that allocates the rest (`BEGIN IMMEDIATE`, run by `sqlite-vault.ts`).
 */
import { expiryOf, pickNumber, planAllocation, unchangedEntries } from "./allocation.js";
import type { AllocationCall, AllocationContext as Shared, WorkingRow } from "./allocation.js";
import type { Statements } from "./sqlite-statements.js";
import type { VaultEntry } from "./vault.js";

/** What allocation needs from the vault object: the shared context and the connection's statements. */
export interface AllocationContext extends Shared {
  readonly stmt: Statements;
}

export interface AllocationResult {
  readonly working: Map<string, WorkingRow>;
  readonly deletedKeys: string[];
  readonly before: number;
  readonly after: number;
}

/** Read-only path (inside a read transaction): see {@link unchangedEntries}. */
export function knownEntries(ctx: AllocationContext, call: AllocationCall): VaultEntry[] | undefined {
  return unchangedEntries(ctx.retention, call, (mac) => ctx.stmt.byMac.get(call.tag, mac));
}

/** The allocation's writes (inside `BEGIN IMMEDIATE`): see {@link planAllocation}; bumps the scope's version once. */
export function writeAllocation(ctx: AllocationContext, call: AllocationCall): AllocationResult {
  const { tag, now, reserved } = call;
  const stmt = ctx.stmt;
  const before = stmt.version.get(tag) ?? 0;
  const plan = planAllocation(ctx.retention, call, (mac) => stmt.byMac.get(tag, mac));
  const deletedKeys: string[] = [];
  for (const row of plan.expired) {
    stmt.deleteId.run(row.id);
    deletedKeys.push(row.placeholder_key);
  }
  for (const t of plan.touched) stmt.touch.run(t.level, t.lastUsed, t.expires, t.id);
  for (const { mac, item } of plan.fresh) {
    const lower = item.name.toLowerCase();
    const n = pickNumber(
      item.name,
      stmt.counter.get(tag, lower) ?? 1,
      reserved,
      (key) => stmt.keyTaken.get(tag, key) !== undefined,
    );
    const key = `${lower}_${n}`;
    const expires = expiryOf(ctx.retention, item.level, now);
    const ct = ctx.cipher.encrypt(tag, key, item.value);
    const id = stmt.insert.get(tag, key, item.name, n, item.type, item.level, ct, mac, now, now, expires);
    if (id === undefined) throw new Error("unreachable: insert returned no id");
    stmt.setCounter.run(tag, lower, n + 1);
    plan.working.set(mac.toString("hex"), {
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
  }
  const dirty = plan.expired.length > 0 || plan.touched.length > 0 || plan.fresh.length > 0;
  const after = dirty ? (stmt.bump.get(tag) ?? before) : before;
  return { working: plan.working, deletedKeys, before, after };
}
