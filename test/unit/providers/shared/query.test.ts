import { describe, expect, it } from "vitest";
import { querySlots } from "../../../../src/providers/shared/query.js";
import { applySlots } from "../../../../src/providers/shared/slots.js";

describe("querySlots", () => {
  it("has no slots and keeps the target without a query", () => {
    for (const url of ["/v1/chat/completions", "/v1/chat/completions?"]) {
      const q = querySlots(url);
      expect(q.slots).toEqual([]);
      expect(q.target()).toBe(url);
    }
  });

  it("offers every decoded name and value, and keeps the target byte for byte when none changes", () => {
    const url = "/v1/chat/completions?api-version=2024-06-01&to=a%40b.org&x=1+2";
    const q = querySlots(url);
    expect(q.slots.map((s) => s.text)).toEqual(["api-version", "2024-06-01", "to", "a@b.org", "x", "1 2"]);
    applySlots(
      q.slots,
      q.slots.map((s) => s.text),
    );
    expect(q.target()).toBe(url);
  });

  it("rebuilds the query with the redacted text", () => {
    const q = querySlots("/v1/responses?to=a%40b.org&api-version=1");
    applySlots(q.slots, ["to", "<Email_1>", "api-version", "1"]);
    expect(q.target()).toBe("/v1/responses?to=%3CEmail_1%3E&api-version=1");
  });
});
