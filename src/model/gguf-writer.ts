/**
 * GGUF v3 writer: header, key/value metadata, tensor infos, alignment padding, then tensor data streamed
 * from producers so multi-gigabyte models never sit in memory whole.
 */
import { open } from "node:fs/promises";
import { GGUF_ALIGNMENT, GGUF_MAGIC, GGUF_VERSION, GgufValueType, tensorByteSize } from "./gguf-types.js";
import type { GgmlTypeId } from "./gguf-types.js";

/** A typed metadata value. */
export type GgufValue =
  | { readonly type: "u32"; readonly value: number }
  | { readonly type: "i32"; readonly value: number }
  | { readonly type: "u64"; readonly value: bigint }
  | { readonly type: "f32"; readonly value: number }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "string[]"; readonly value: readonly string[] }
  | { readonly type: "i32[]"; readonly value: ArrayLike<number> }
  | { readonly type: "f32[]"; readonly value: ArrayLike<number> };

/** A tensor to write: `dims` in GGUF order (innermost first, the reverse of a row-major shape). */
export interface GgufTensorSpec {
  readonly name: string;
  readonly dims: readonly number[];
  readonly type: GgmlTypeId;
  /** Yields the tensor's bytes in order; the total must equal the size implied by dims and type. */
  readonly data: () => AsyncIterable<Uint8Array>;
}

/** Helpers to build typed metadata values. */
export const gv = {
  u32: (value: number): GgufValue => ({ type: "u32", value }),
  i32: (value: number): GgufValue => ({ type: "i32", value }),
  u64: (value: bigint): GgufValue => ({ type: "u64", value }),
  f32: (value: number): GgufValue => ({ type: "f32", value }),
  bool: (value: boolean): GgufValue => ({ type: "bool", value }),
  str: (value: string): GgufValue => ({ type: "string", value }),
  strs: (value: readonly string[]): GgufValue => ({ type: "string[]", value }),
  i32s: (value: ArrayLike<number>): GgufValue => ({ type: "i32[]", value }),
  f32s: (value: ArrayLike<number>): GgufValue => ({ type: "f32[]", value }),
};

/** Accumulates little-endian binary pieces. */
class ByteSink {
  private readonly parts: Buffer[] = [];
  length = 0;

  push(buf: Buffer): void {
    this.parts.push(buf);
    this.length += buf.length;
  }
  u32(n: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  i32(n: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32LE(n);
    this.push(b);
  }
  u64(n: bigint | number): void {
    const b = Buffer.allocUnsafe(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  f32(n: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeFloatLE(n);
    this.push(b);
  }
  str(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  concat(): Buffer {
    return Buffer.concat(this.parts, this.length);
  }
}

/** The GGUF value type each metadata value is written with (arrays carry their element type after it). */
const VALUE_TYPE: Readonly<Record<GgufValue["type"], number>> = {
  u32: GgufValueType.UINT32,
  i32: GgufValueType.INT32,
  u64: GgufValueType.UINT64,
  f32: GgufValueType.FLOAT32,
  bool: GgufValueType.BOOL,
  string: GgufValueType.STRING,
  "string[]": GgufValueType.ARRAY,
  "i32[]": GgufValueType.ARRAY,
  "f32[]": GgufValueType.ARRAY,
};

function writeValue(sink: ByteSink, v: GgufValue): void {
  sink.u32(VALUE_TYPE[v.type]);
  switch (v.type) {
    case "u32":
      return sink.u32(v.value);
    case "i32":
      return sink.i32(v.value);
    case "u64":
      return sink.u64(v.value);
    case "f32":
      return sink.f32(v.value);
    case "bool":
      return sink.push(Buffer.from([v.value ? 1 : 0]));
    case "string":
      return sink.str(v.value);
    case "string[]":
      sink.u32(GgufValueType.STRING);
      sink.u64(v.value.length);
      for (const s of v.value) sink.str(s);
      return;
    case "i32[]":
    case "f32[]": {
      sink.u32(v.type === "i32[]" ? GgufValueType.INT32 : GgufValueType.FLOAT32);
      sink.u64(v.value.length);
      const b = Buffer.allocUnsafe(v.value.length * 4);
      for (let i = 0; i < v.value.length; i++) {
        const x = v.value[i] ?? 0;
        if (v.type === "i32[]") b.writeInt32LE(x, i * 4);
        else b.writeFloatLE(x, i * 4);
      }
      sink.push(b);
      return;
    }
  }
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

/** Encodes the header, metadata and tensor infos (padded to the alignment); returns it with data offsets. */
export function encodeGgufHeader(
  metadata: ReadonlyMap<string, GgufValue>,
  tensors: readonly Pick<GgufTensorSpec, "name" | "dims" | "type">[],
  alignment = GGUF_ALIGNMENT,
): { header: Buffer; offsets: number[]; sizes: number[] } {
  const sink = new ByteSink();
  sink.u32(GGUF_MAGIC);
  sink.u32(GGUF_VERSION);
  sink.u64(tensors.length);
  sink.u64(metadata.size);
  for (const [key, value] of metadata) {
    sink.str(key);
    writeValue(sink, value);
  }
  const offsets: number[] = [];
  const sizes: number[] = [];
  let offset = 0;
  for (const t of tensors) {
    const elements = t.dims.reduce((a, b) => a * b, 1);
    const size = tensorByteSize(t.type, elements);
    sink.str(t.name);
    sink.u32(t.dims.length);
    for (const d of t.dims) sink.u64(d);
    sink.u32(t.type);
    sink.u64(offset);
    offsets.push(offset);
    sizes.push(size);
    offset = alignUp(offset + size, alignment);
  }
  const pad = alignUp(sink.length, alignment) - sink.length;
  if (pad > 0) sink.push(Buffer.alloc(pad));
  return { header: sink.concat(), offsets, sizes };
}

/** Writes a GGUF v3 file at `path` (overwriting); tensor data comes from each spec's producer in order. */
export async function writeGguf(
  path: string,
  metadata: ReadonlyMap<string, GgufValue>,
  tensors: readonly GgufTensorSpec[],
  onTensor?: (index: number, total: number) => void,
): Promise<{ bytes: number }> {
  const alignment = metadata.get("general.alignment")?.value ?? GGUF_ALIGNMENT;
  if (typeof alignment !== "number") throw new TypeError("general.alignment must be a u32");
  const { header, offsets, sizes } = encodeGgufHeader(metadata, tensors, alignment);
  const fh = await open(path, "w");
  try {
    let pos = 0;
    const write = async (buf: Uint8Array): Promise<void> => {
      let done = 0;
      while (done < buf.length) {
        const { bytesWritten } = await fh.write(buf, done, buf.length - done, pos);
        done += bytesWritten;
        pos += bytesWritten;
      }
    };
    await write(header);
    const dataStart = header.length;
    for (const [i, t] of tensors.entries()) {
      const start = dataStart + (offsets[i] ?? 0);
      if (pos < start) await write(Buffer.alloc(start - pos));
      let written = 0;
      for await (const chunk of t.data()) {
        written += chunk.length;
        await write(chunk);
      }
      if (written !== sizes[i]) {
        throw new RangeError(`tensor ${t.name}: wrote ${written} bytes, expected ${sizes[i]}`);
      }
      onTensor?.(i + 1, tensors.length);
    }
    return { bytes: pos };
  } finally {
    await fh.close();
  }
}
