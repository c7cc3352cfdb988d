/**
 * A pool of exclusive resources (context sequences) with a bounded queue, fair across requests: one
 * sequence never serves two jobs at once; when all are busy jobs wait, and beyond `maxQueue` waiters they
 * are refused.
 */
import { proxyError } from "../../errors/catalogue.js";

/** The reason an aborted signal carries, as an Error (PRX_DETECT_ABORTED when it is not one). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : proxyError("PRX_DETECT_ABORTED");
}

interface Waiter<T> {
  resolve: (item: T) => void;
  reject: (err: Error) => void;
  cleanup: () => void;
}

/** A bounded pool; see the module comment. */
export interface Pool<T> {
  /**
   * Takes a free item or waits; rejects PRX_DETECT_OVERLOADED when the queue is full, or with the signal's
   * reason. Waiters of the same `owner` (a request) are served in order, owners in turn.
   */
  acquire(signal?: AbortSignal, owner?: object): Promise<T>;
  /** Gives an item back (to the next owner's first waiter). */
  release(item: T): void;
  /** Rejects every waiter with `err` and refuses later acquisitions with it. */
  close(err: Error): void;
  readonly waiting: number;
  readonly free: number;
}

/**
 * Creates a pool over `items` allowing at most `maxQueue` waiters in all. Fair across owners: a request with
 * forty chunks waiting does not hold back one with a single short message, each owner gets the next free
 * item in turn (round robin in order of arrival).
 */
export function createPool<T>(items: readonly T[], maxQueue: number): Pool<T> {
  const free = [...items];
  // Map order is the rotation: the owner served last moves to the back.
  const queues = new Map<object, Waiter<T>[]>();
  let waiting = 0;
  let closed: { err: Error } | undefined;
  const remove = (owner: object, waiter: Waiter<T>): void => {
    const q = queues.get(owner);
    const i = q?.indexOf(waiter) ?? -1;
    if (q === undefined || i === -1) return;
    q.splice(i, 1);
    waiting--;
    if (q.length === 0) queues.delete(owner);
  };
  return {
    get waiting() {
      return waiting;
    },
    get free() {
      return free.length;
    },
    acquire(signal, owner = {}) {
      if (closed !== undefined) return Promise.reject(closed.err);
      if (signal?.aborted === true) return Promise.reject(abortReason(signal));
      const item = free.shift();
      if (item !== undefined) return Promise.resolve(item);
      if (waiting >= maxQueue) return Promise.reject(proxyError("PRX_DETECT_OVERLOADED"));
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => {
          remove(owner, waiter);
          if (signal !== undefined) reject(abortReason(signal));
        };
        const waiter: Waiter<T> = {
          resolve,
          reject,
          cleanup: () => signal?.removeEventListener("abort", onAbort),
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        const q = queues.get(owner);
        if (q === undefined) queues.set(owner, [waiter]);
        else q.push(waiter);
        waiting++;
      });
    },
    release(item) {
      const first = queues.entries().next();
      if (first.done === true) {
        free.push(item);
        return;
      }
      const [owner, q] = first.value;
      const next = q.shift() as Waiter<T>;
      waiting--;
      queues.delete(owner);
      if (q.length > 0) queues.set(owner, q);
      next.cleanup();
      next.resolve(item);
    },
    close(err) {
      closed = { err };
      for (const q of queues.values()) {
        for (const w of q) {
          w.cleanup();
          w.reject(err);
        }
      }
      queues.clear();
      waiting = 0;
    },
  };
}
