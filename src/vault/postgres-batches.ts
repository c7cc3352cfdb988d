/**
 * Allocations of one scope in one replica share transactions: while one runs (holding the scope's row lock), the
 * calls that arrive are gathered into the next, which runs as soon as it ends — one lock wait and one commit for
 * all of them instead of one each. Merging is safe: items repeated across calls get one entry (at their highest
 * level), reserved keys are the union (a number skipped is never handed out anyway), and the clock is the latest
 * of the calls'.
 */
import { entriesOf, type AllocationCall, type WorkingRow } from "./allocation.js";
import type { AllocationRequest, VaultEntry } from "./vault.js";

/** Runs one allocation transaction for a scope: the rows by value MAC (hex). */
export type AllocationRun = (call: AllocationCall) => Promise<Map<string, WorkingRow>>;

/** Allocation calls of one scope gathered for one transaction. */
interface Batch {
  readonly items: AllocationRequest[];
  readonly macs: Buffer[];
  readonly reserved: Set<string>;
  now: number;
  readonly waiters: {
    readonly from: number;
    readonly count: number;
    readonly resolve: (entries: VaultEntry[]) => void;
    readonly reject: (err: unknown) => void;
  }[];
}

/** Gathers concurrent allocation calls per scope and runs them, one transaction at a time per scope. */
export class AllocationBatches {
  readonly #run: AllocationRun;
  /** Per scope tag (hex): the calls waiting for the transaction in flight to end. */
  readonly #waiting = new Map<string, Batch>();
  /** Scope tags whose transactions are running. */
  readonly #draining = new Set<string>();

  constructor(run: AllocationRun) {
    this.#run = run;
  }

  /** The entries of `items`, in order, from the next transaction of the scope. */
  allocate(call: AllocationCall): Promise<VaultEntry[]> {
    const { tag, items, macs, now, reserved } = call;
    const hex = tag.toString("hex");
    return new Promise<VaultEntry[]>((resolve, reject) => {
      let batch = this.#waiting.get(hex);
      if (batch === undefined) {
        batch = { items: [], macs: [], reserved: new Set(), now, waiters: [] };
        this.#waiting.set(hex, batch);
      }
      batch.waiters.push({ from: batch.items.length, count: items.length, resolve, reject });
      batch.items.push(...items);
      batch.macs.push(...macs);
      for (const key of reserved) batch.reserved.add(key);
      batch.now = Math.max(batch.now, now);
      if (!this.#draining.has(hex)) {
        this.#draining.add(hex);
        void this.#drain(tag, hex);
      }
    });
  }

  /** Runs the scope's gathered calls, one transaction after another, until none is waiting. */
  async #drain(tag: Buffer, hex: string): Promise<void> {
    try {
      for (let batch = this.#waiting.get(hex); batch !== undefined; batch = this.#waiting.get(hex)) {
        this.#waiting.delete(hex);
        const { waiters } = batch;
        const call: AllocationCall = { tag, ...batch };
        try {
          const entries = entriesOf(call, await this.#run(call));
          for (const w of waiters) w.resolve(entries.slice(w.from, w.from + w.count));
        } catch (err) {
          for (const w of waiters) w.reject(err);
        }
      }
    } finally {
      this.#draining.delete(hex);
    }
  }
}
