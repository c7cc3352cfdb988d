/** Typed wire views: the value itself when it fits the schema (restoration works in place), else nothing. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isJsonFormatType, wireView, wireViews } from "../../../../src/providers/shared/wire.js";

const Choice = z.looseObject({ text: z.string().nullish() });

describe("wireView", () => {
  it("gives back the very object, unknown fields and all, when it fits", () => {
    const value = { text: "a", logprobs: { x: 1 } };
    const view = wireView(Choice, value);
    expect(view).toBe(value);
    if (view !== undefined) view.text = "b";
    expect(value).toEqual({ text: "b", logprobs: { x: 1 } });
  });

  it.each([null, "text", 3, [], { text: 3 }])("gives nothing for %j", (value) => {
    expect(wireView(Choice, value)).toBeUndefined();
  });
});

describe("wireViews", () => {
  it("keeps the elements that fit, in order, and skips the others", () => {
    const a = { text: "a" };
    const c = { text: null };
    expect(wireViews(Choice, [a, { text: 1 }, "x", c])).toEqual([a, c]);
    expect(wireViews(Choice, [a, c])[0]).toBe(a);
    expect(wireViews(Choice, { text: "not an array" })).toEqual([]);
    expect(wireViews(Choice, undefined)).toEqual([]);
  });
});

describe("isJsonFormatType", () => {
  it("knows the two JSON output formats and nothing else", () => {
    expect(isJsonFormatType("json_schema")).toBe(true);
    expect(isJsonFormatType("json_object")).toBe(true);
    for (const other of ["text", "JSON_OBJECT", "", null, undefined])
      expect(isJsonFormatType(other)).toBe(false);
  });
});
