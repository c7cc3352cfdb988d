/** Number formats: F16 rounding, Q8_0 / Q4_0 block layout and round-trip error. */
import { describe, expect, it } from "vitest";
import {
  bf16ToF32,
  decodeQ4_0,
  decodeQ8_0,
  encodeF16,
  encodeQ4_0,
  encodeQ8_0,
  f16ToNumber,
  toF16,
} from "../../../src/model/quantize.js";

describe("F16", () => {
  it("converts exact values, rounds to nearest even, saturates to infinity and keeps subnormals", () => {
    expect(toF16(1)).toBe(0x3c00);
    expect(toF16(-2)).toBe(0xc000);
    expect(toF16(65504)).toBe(0x7bff);
    expect(toF16(1e6)).toBe(0x7c00);
    expect(toF16(0)).toBe(0);
    expect(toF16(2 ** -24)).toBe(1);
    expect(toF16(1 + 2 ** -11)).toBe(0x3c00); // halfway, rounds to even
    expect(toF16(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway, rounds up to even
    expect(Number.isNaN(f16ToNumber(toF16(NaN)))).toBe(true);
    for (const x of [0.1, -3.14159, 1234.5, 6.1e-5, -7e-6]) {
      expect(Math.abs(f16ToNumber(toF16(x)) - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11 + 2 ** -25);
    }
  });

  it("encodes little-endian", () => {
    expect([...encodeF16(new Float32Array([1]))]).toEqual([0x00, 0x3c]);
  });

  it("decodes BF16 as the top half of float32", () => {
    expect([...bf16ToF32(new Uint8Array([0x80, 0x3f, 0x00, 0xc0]))]).toEqual([1, -2]);
  });
});

describe("Q8_0", () => {
  it("stores an f16 scale then 32 int8 values per block", () => {
    const v = new Float32Array(32).map((_, i) => i - 16);
    const q = encodeQ8_0(v);
    expect(q.length).toBe(34);
    expect(f16ToNumber(q[0]! | (q[1]! << 8))).toBeCloseTo(16 / 127, 4);
    expect((q[2]! << 24) >> 24).toBe(-127);
    const back = decodeQ8_0(q);
    for (let i = 0; i < 32; i++) expect(Math.abs(back[i]! - v[i]!)).toBeLessThan(0.07);
  });

  it("rounds ties as ggml's reference quantizer does: in float32, half away from zero", () => {
    // ggml quantize_row_q8_0_ref: amax = 1 → d = (float)1/127 = 0x3c010204, stored as f16 0x2008;
    // id = 1.0f/d = 127 exactly in float32. x = (float)(-118.5/127) times 127 in float32 is exactly -118.5,
    // so roundf gives -119 (0x89); in float64 (id = 127.000003…) the product is -118.4999965 → -118.
    // Likewise 2.5/127 → 3, 0.5/127 → 1 (float64: 2 and 0); 0.5 → 63.5 → 64 in both; -1.5/127 → -2.
    const f = Math.fround;
    const v = new Float32Array(32);
    v.set([1, f(-118.5 / 127), f(2.5 / 127), f(0.5 / 127), 0.5, f(-1.5 / 127)]);
    const q = encodeQ8_0(v);
    expect([...q.subarray(0, 8)]).toEqual([0x08, 0x20, 127, 0x89, 3, 1, 64, 0xfe]);
    expect([...q.subarray(8)].every((b) => b === 0)).toBe(true);
  });

  it("encodes a zero block as zeros", () => {
    expect([...encodeQ8_0(new Float32Array(32))].every((b) => b === 0)).toBe(true);
  });
});

describe("Q4_0", () => {
  it("packs element j low and j+16 high with scale max/-8", () => {
    const v = new Float32Array(32).map((_, i) => (i % 2 === 0 ? 1 : -1) * (i / 31));
    const q = encodeQ4_0(v);
    expect(q.length).toBe(18);
    const back = decodeQ4_0(q);
    const d = Math.abs(f16ToNumber(q[0]! | (q[1]! << 8)));
    for (let i = 0; i < 32; i++) expect(Math.abs(back[i]! - v[i]!)).toBeLessThanOrEqual(d + 1e-3); // the range is -8..7: the far side may lose one step
  });
});
