/**
 * Number formats for conversion: BF16/F16 → F32, F32 → F16 (round to nearest even), and the GGML block
 * quantizations Q8_0 (f16 scale + 32 int8) and Q4_0 (f16 scale + 32 packed 4-bit values).
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Converts float32 bits to float16 bits with round-to-nearest-even, overflow to ±inf, subnormals kept. */
export function f32BitsToF16(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h++;
  return sign | h;
}

/** Converts a float to float16 bits. */
export function toF16(x: number): number {
  f32[0] = x;
  return f32BitsToF16(u32[0] ?? 0);
}

/** Converts float16 bits to a float. */
export function f16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Decodes little-endian BF16 bytes into float32 values. */
export function bf16ToF32(src: Uint8Array): Float32Array {
  const n = src.length >>> 1;
  const out = new Float32Array(n);
  const bitsOut = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) bitsOut[i] = ((src[2 * i] ?? 0) | ((src[2 * i + 1] ?? 0) << 8)) << 16;
  return out;
}

/** Decodes little-endian F16 bytes into float32 values. */
export function f16BytesToF32(src: Uint8Array): Float32Array {
  const n = src.length >>> 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = f16ToNumber((src[2 * i] ?? 0) | ((src[2 * i + 1] ?? 0) << 8));
  return out;
}

/** Encodes float32 values as little-endian F32 bytes. */
export function encodeF32(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}

/** Encodes float32 values as little-endian F16 bytes. */
export function encodeF16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    const h = f32BitsToF16(bits[i] ?? 0);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >>> 8;
  }
  return out;
}

/** Rounds half away from zero (C `roundf`), as the GGML reference quantizers do. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/**
 * Quantizes to Q8_0 as ggml's reference quantizer does, in float32: per block of 32, d = max|x|/127 (stored
 * f16), id = 1/d, q = roundf(x·id) as int8. Length must divide by 32. `Math.fround` of one float64 operation
 * on float32 operands equals the float32 operation (float64 holds more than twice the precision), so each
 * step is rounded once, like C's `float` arithmetic; ties then round the same way ggml's do.
 */
export function encodeQ8_0(values: Float32Array): Uint8Array {
  if (values.length % 32 !== 0) throw new RangeError("Q8_0 needs a multiple of 32 values");
  const blocks = values.length / 32;
  const out = new Uint8Array(blocks * 34);
  for (let b = 0; b < blocks; b++) {
    const base = b * 32;
    let amax = 0;
    for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(values[base + j] ?? 0));
    const d = Math.fround(amax / 127);
    const id = d === 0 ? 0 : Math.fround(1 / d);
    const h = toF16(d);
    const o = b * 34;
    out[o] = h & 0xff;
    out[o + 1] = h >>> 8;
    for (let j = 0; j < 32; j++)
      out[o + 2 + j] = roundHalfAway(Math.fround((values[base + j] ?? 0) * id)) & 0xff;
  }
  return out;
}

/**
 * Quantizes to Q4_0: per block of 32, d = (value of largest magnitude)/-8 (f16), q = trunc(x/d + 8.5) clamped
 * to 0..15; byte j holds element j in its low nibble and element j+16 in its high nibble.
 */
export function encodeQ4_0(values: Float32Array): Uint8Array {
  if (values.length % 32 !== 0) throw new RangeError("Q4_0 needs a multiple of 32 values");
  const blocks = values.length / 32;
  const out = new Uint8Array(blocks * 18);
  for (let b = 0; b < blocks; b++) {
    const base = b * 32;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < 32; j++) {
      const v = values[base + j] ?? 0;
      if (Math.abs(v) > amax) {
        amax = Math.abs(v);
        max = v;
      }
    }
    // float32 throughout, as ggml's quantize_row_q4_0_ref.
    const d = Math.fround(max / -8);
    const id = d === 0 ? 0 : Math.fround(1 / d);
    const h = toF16(d);
    const o = b * 18;
    out[o] = h & 0xff;
    out[o + 1] = h >>> 8;
    for (let j = 0; j < 16; j++) {
      const q0 = Math.min(15, Math.max(0, Math.trunc(Math.fround((values[base + j] ?? 0) * id) + 8.5)));
      const q1 = Math.min(15, Math.max(0, Math.trunc(Math.fround((values[base + 16 + j] ?? 0) * id) + 8.5)));
      out[o + 2 + j] = q0 | (q1 << 4);
    }
  }
  return out;
}

/** Dequantizes Q8_0 bytes (for tests and checks). */
export function decodeQ8_0(src: Uint8Array): Float32Array {
  const blocks = src.length / 34;
  const out = new Float32Array(blocks * 32);
  for (let b = 0; b < blocks; b++) {
    const o = b * 34;
    const d = f16ToNumber((src[o] ?? 0) | ((src[o + 1] ?? 0) << 8));
    for (let j = 0; j < 32; j++) out[b * 32 + j] = d * (((src[o + 2 + j] ?? 0) << 24) >> 24);
  }
  return out;
}

/** Dequantizes Q4_0 bytes (for tests and checks). */
export function decodeQ4_0(src: Uint8Array): Float32Array {
  const blocks = src.length / 18;
  const out = new Float32Array(blocks * 32);
  for (let b = 0; b < blocks; b++) {
    const o = b * 18;
    const d = f16ToNumber((src[o] ?? 0) | ((src[o + 1] ?? 0) << 8));
    for (let j = 0; j < 16; j++) {
      const byte = src[o + 2 + j] ?? 0;
      out[b * 32 + j] = d * ((byte & 0x0f) - 8);
      out[b * 32 + 16 + j] = d * ((byte >>> 4) - 8);
    }
  }
  return out;
}
