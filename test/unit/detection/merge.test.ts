import { describe, expect, it } from "vitest";
import { mergeSpans } from "../../../src/detection/merge.js";
import { makeSpan, type Span } from "../../../src/detection/span.js";
import type { PrivacyLevel } from "../../../src/taxonomy/levels.js";

const text = "call 13800138000 or mail a@b.co now";
const span = (start: number, end: number, level: PrivacyLevel, type = "T", source = "rule:x"): Span =>
  makeSpan(text, start, end, type, level, source);

describe("mergeSpans", () => {
  it("keeps the higher level when spans overlap", () => {
    const out = mergeSpans([span(5, 16, "PL2", "Phone Number"), span(8, 12, "PL4", "Password")]);
    expect(out).toEqual([span(8, 12, "PL4", "Password")]);
  });

  it("keeps the longer span at equal level, then the earlier one, then input order", () => {
    expect(mergeSpans([span(5, 10, "PL2"), span(5, 16, "PL2")])).toEqual([span(5, 16, "PL2")]);
    expect(mergeSpans([span(6, 10, "PL2"), span(5, 9, "PL2")])).toEqual([span(5, 9, "PL2")]);
    expect(mergeSpans([span(5, 9, "PL2", "A"), span(5, 9, "PL2", "B")])).toEqual([span(5, 9, "PL2", "A")]);
  });

  it("returns non-overlapping spans sorted by start and drops empty ones", () => {
    const out = mergeSpans([span(25, 31, "PL2"), span(5, 16, "PL2"), span(3, 3, "PL4")]);
    expect(out.map((s) => s.start)).toEqual([5, 25]);
  });
});
