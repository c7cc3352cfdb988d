import { describe, expect, it } from "vitest";
import { BindingStore } from "../../../src/vault/memory-bindings.js";

describe("BindingStore", () => {
  it("returns the keys bound to an id, only in its own scope", () => {
    const store = new BindingStore({ maxIds: 10 });
    store.bind("s1", "resp_1", ["email_1"], 1000, 0);
    store.bind("s1", "resp_1", ["phone_number_1"], 1000, 1);
    expect([...store.bound("s1", ["resp_1"], 2)].sort()).toEqual(["email_1", "phone_number_1"]);
    expect(store.bound("s2", ["resp_1"], 2).size).toBe(0);
    expect(store.bound("s1", ["resp_2"], 2).size).toBe(0);
  });

  it("forgets expired ids and drops the oldest past the bound", () => {
    const store = new BindingStore({ maxIds: 2 });
    store.bind("s", "a", ["k_1"], 10, 0);
    expect(store.bound("s", ["a"], 11).size).toBe(0);
    store.bind("s", "b", ["k_2"], 10, 20);
    store.bind("s", "c", ["k_3"], 10, 21);
    store.bind("s", "d", ["k_4"], 10, 22);
    expect(store.bound("s", ["b"], 23).size).toBe(0);
    expect([...store.bound("s", ["c", "d"], 23)].sort()).toEqual(["k_3", "k_4"]);
  });
});
