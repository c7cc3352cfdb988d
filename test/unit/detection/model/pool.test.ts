/** The sequence pool: exclusive items, a bounded queue, and turns between owners (requests). */
import { describe, expect, it } from "vitest";
import { isProxyError } from "../../../../src/errors/catalogue.js";
import { createPool } from "../../../../src/detection/model/pool.js";

describe("createPool", () => {
  it("serves waiting owners in turn, each owner's waiters in order", async () => {
    const pool = createPool(["seq"], 10);
    const held = await pool.acquire();
    const big = {};
    const small = {};
    const order: string[] = [];
    const wait = (owner: object, name: string): Promise<void> =>
      pool.acquire(undefined, owner).then((item) => {
        order.push(name);
        pool.release(item);
      });
    const all = [wait(big, "big-1"), wait(big, "big-2"), wait(big, "big-3"), wait(small, "small-1")];
    expect(pool.waiting).toBe(4);
    pool.release(held);
    await Promise.all(all);
    expect(order).toEqual(["big-1", "small-1", "big-2", "big-3"]);
    expect(pool.free).toBe(1);
  });

  it("refuses beyond maxQueue waiters and drops an aborted waiter", async () => {
    const pool = createPool([1], 1);
    const held = await pool.acquire();
    const ctl = new AbortController();
    const aborted = pool.acquire(ctl.signal);
    const refused = await pool.acquire().catch((err: unknown) => err);
    expect(isProxyError(refused, "PRX_DETECT_OVERLOADED")).toBe(true);
    ctl.abort();
    await expect(aborted).rejects.toBeDefined();
    expect(pool.waiting).toBe(0);
    pool.release(held);
    expect(await pool.acquire()).toBe(1);
  });
});
