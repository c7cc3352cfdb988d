/**
 * A pool of exclusive resources (context sequences) with a bounded FIFO queue: one sequence never serves
 * two requests at once; when all are busy requests wait, and beyond `maxQueue` waiters they are refused.
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
  /** Takes a free item or waits; rejects PRX_DETECT_OVERLOADED when the queue is full, or with the signal's reason. */
  acquire(signal?: AbortSignal): Promise<T>;
  /** Gives an item back (to the next waiter first). */
  release(item: T): void;
  /** Rejects every waiter with `err` and refuses later acquisitions with it. */
  close(err: Error): void;
  readonly waiting: number;
  readonly free: number;
}

/** Creates a pool over `items` allowing at most `maxQueue` waiters. */
export function createPool<T>(items: readonly T[], maxQueue: number): Pool<T> {
  const free = [...items];
  const queue: Waiter<T>[] = [];
  let closed: { err: Error } | undefined;
  return {
    get waiting() {
      return queue.length;
    },
    get free() {
      return free.length;
    },
    acquire(signal) {
      if (closed !== undefined) return Promise.reject(closed.err);
      if (signal?.aborted === true) return Promise.reject(abortReason(signal));
      const item = free.shift();
      if (item !== undefined) return Promise.resolve(item);
      if (queue.length >= maxQueue) return Promise.reject(proxyError("PRX_DETECT_OVERLOADED"));
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => {
          const i = queue.indexOf(waiter);
          if (i !== -1) queue.splice(i, 1);
          if (signal !== undefined) reject(abortReason(signal));
        };
        const waiter: Waiter<T> = {
          resolve,
          reject,
          cleanup: () => signal?.removeEventListener("abort", onAbort),
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        queue.push(waiter);
      });
    },
    release(item) {
      const next = queue.shift();
      if (next === undefined) {
        free.push(item);
        return;
      }
      next.cleanup();
      next.resolve(item);
    },
    close(err) {
      closed = { err };
      for (const w of queue.splice(0)) {
        w.cleanup();
        w.reject(err);
      }
    },
  };
}
