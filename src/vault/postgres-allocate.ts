/**
 * Allocation on the shared vault: the read-only check for values already stored, and the transaction that
 * allocates the rest (`postgres-vault.ts` runs it, gathering concurrent calls of a scope into one). Writers of a
 * scope queue on its row in `scopes`, so counters and the change feed's versions advance in order.
 */
import type pg from "pg";
import { expiryOf, pickNumber, planAllocation, unchangedEntries } from "./allocation.js";
import type { AllocationCall, AllocationContext, WorkingRow } from "./allocation.js";
import { BY_MAC, PG_SCHEMA as S, type EntryRow } from "./postgres-schema.js";
import type { AllocationRequest, VaultEntry } from "./vault.js";

/** Read-only path: see {@link unchangedEntries} (one query for the values' rows). */
export async function allocateKnown(
  db: pg.Pool,
  ctx: AllocationContext,
  call: AllocationCall,
): Promise<VaultEntry[] | undefined> {
  const found = await db.query<EntryRow>({
    name: "memprivacy-by-mac",
    text: BY_MAC,
    values: [call.tag, call.macs],
  });
  const byMac = new Map(found.rows.map((r) => [r.value_mac.toString("hex"), r]));
  return unchangedEntries(ctx.retention, call, (_mac, hex) => byMac.get(hex));
}

/**
 * The allocation transaction's work (the caller runs it inside BEGIN … COMMIT): lock the scope's row, read the
 * values' rows, replace expired ones, renew or raise live ones, insert new ones with the next free numbers, and set
 * the scope's version (the `changed` of every row added or raised) and epoch. Returns the rows by value MAC (hex).
 */
export async function writeAllocation(
  client: pg.PoolClient,
  ctx: AllocationContext,
  call: AllocationCall,
): Promise<Map<string, WorkingRow>> {
  const { tag, macs, now, reserved } = call;
  // Writers of this scope, in every replica, queue here until this transaction ends: the upsert locks the
  // scope's row (creating it on first use) and returns its latest committed version.
  const locked = await client.query<{ version: number; epoch: number }>({
    name: "memprivacy-lock-scope",
    text: `INSERT INTO ${S}.scopes AS s (scope_tag) VALUES ($1)
           ON CONFLICT (scope_tag) DO UPDATE SET version = s.version RETURNING version, epoch`,
    values: [tag],
  });
  const version = (locked.rows[0]?.version ?? 0) + 1;
  let epoch = locked.rows[0]?.epoch ?? 0;
  const found = await client.query<EntryRow>({
    name: "memprivacy-by-mac",
    text: BY_MAC,
    values: [tag, macs],
  });
  const rows = new Map(found.rows.map((r) => [r.value_mac.toString("hex"), r]));
  const plan = planAllocation(ctx.retention, call, (_mac, hex) => rows.get(hex));
  const { working, touched, fresh } = plan;
  const expiredIds = plan.expired.map((row) => row.id);
  if (expiredIds.length > 0) {
    await client.query(`DELETE FROM ${S}.entries WHERE id = ANY($1::int8[])`, [expiredIds]);
    epoch++;
  }
  for (const t of touched) {
    await client.query(
      `UPDATE ${S}.entries SET level = $2, last_used = $3, expires = $4,
       changed = CASE WHEN $5 THEN $6 ELSE changed END WHERE id = $1`,
      [t.id, t.level, t.lastUsed, t.expires, t.raised, version],
    );
  }
  if (fresh.length > 0)
    await insertFresh(client, ctx, tag, fresh, now, reserved, { version, epoch }, working);
  else if (expiredIds.length > 0 || touched.some((t) => t.raised))
    await client.query({
      name: "memprivacy-set-scope",
      text: `UPDATE ${S}.scopes SET version = $2, epoch = $3 WHERE scope_tag = $1`,
      values: [tag, version, epoch],
    });
  return working;
}

/**
 * Inserts new values with the next free numbers of their names; then, in one statement, moves the counters past
 * them and sets the scope's version (the rows' `changed`) and epoch.
 */
async function insertFresh(
  client: pg.PoolClient,
  ctx: AllocationContext,
  tag: Buffer,
  fresh: readonly { mac: Buffer; item: AllocationRequest }[],
  now: number,
  reserved: ReadonlySet<string>,
  scope: { version: number; epoch: number },
  working: Map<string, WorkingRow>,
): Promise<void> {
  const names = [...new Set(fresh.map((f) => f.item.name.toLowerCase()))];
  const counters = await client.query<{ name_lower: string; next_n: number }>({
    name: "memprivacy-counters",
    text: `SELECT name_lower, next_n FROM ${S}.counters WHERE scope_tag = $1 AND name_lower = ANY($2::text[])`,
    values: [tag, names],
  });
  const next = new Map(counters.rows.map((r) => [r.name_lower, r.next_n]));
  // A key already in the scope past its counter (only if a counter row was lost) is skipped, never reused: the
  // insert leaves it alone (ON CONFLICT DO NOTHING) and the value tries the next number.
  const taken = new Set<string>();
  let pending = fresh;
  while (pending.length > 0) {
    const cols = { key: [] as string[], name: [] as string[], n: [] as number[], type: [] as string[] };
    const more = {
      level: [] as string[],
      ct: [] as Buffer[],
      mac: [] as Buffer[],
      expires: [] as number[],
    };
    for (const { mac, item } of pending) {
      const lower = item.name.toLowerCase();
      const n = pickNumber(item.name, next.get(lower) ?? 1, reserved, (key) => taken.has(key));
      next.set(lower, n + 1);
      const key = `${lower}_${n}`;
      cols.key.push(key);
      cols.name.push(item.name);
      cols.n.push(n);
      cols.type.push(item.type);
      more.level.push(item.level);
      more.ct.push(ctx.cipher.encrypt(tag, key, item.value));
      more.mac.push(mac);
      more.expires.push(expiryOf(ctx.retention, item.level, now));
    }
    const inserted = await client.query<{ id: number; placeholder_key: string }>({
      name: "memprivacy-insert",
      text: `INSERT INTO ${S}.entries
               (scope_tag, placeholder_key, name, n, type, level, value_ct, value_mac, created, last_used, expires,
                changed)
             SELECT $1, k, nm, n, t, l, ct, mac, $9, $9, x, $10
             FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::bytea[], $8::bytea[],
                         $11::int8[]) AS u(k, nm, n, t, l, ct, mac, x)
             ON CONFLICT DO NOTHING
             RETURNING id, placeholder_key`,
      values: [
        tag,
        cols.key,
        cols.name,
        cols.n,
        cols.type,
        more.level,
        more.ct,
        more.mac,
        now,
        scope.version,
        more.expires,
      ],
    });
    const ids = new Map(inserted.rows.map((r) => [r.placeholder_key, r.id]));
    const retry: { mac: Buffer; item: AllocationRequest }[] = [];
    pending.forEach((p, i) => {
      const key = cols.key[i] as string;
      const id = ids.get(key);
      if (id === undefined) {
        taken.add(key);
        retry.push(p);
        return;
      }
      working.set(p.mac.toString("hex"), {
        id,
        key,
        name: p.item.name,
        n: cols.n[i] as number,
        type: p.item.type,
        level: p.item.level,
        lastUsed: now,
        expires: more.expires[i] as number,
        changed: true,
      });
    });
    pending = retry;
  }
  await client.query({
    name: "memprivacy-advance",
    text: `WITH c AS (
             INSERT INTO ${S}.counters AS c (scope_tag, name_lower, next_n)
             SELECT $1, nm, nx FROM unnest($2::text[], $3::int[]) AS u(nm, nx)
             ON CONFLICT (scope_tag, name_lower) DO UPDATE SET next_n = GREATEST(c.next_n, excluded.next_n)
           )
           UPDATE ${S}.scopes SET version = $4, epoch = $5 WHERE scope_tag = $1`,
    values: [tag, [...next.keys()], [...next.values()], scope.version, scope.epoch],
  });
}
