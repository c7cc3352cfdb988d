/**
 * GGUF reader for metadata and tensor infos (not tensor data): used to list installed models, to check our
 * own output in tests, and to read the reference vocabulary. Reads the file in chunks, never whole.
 */
import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { GGUF_ALIGNMENT, GGUF_MAGIC, GgufValueType } from "./gguf-types.js";

/** A decoded metadata value (64-bit integers as bigint). */
export type GgufMetadataValue = number | bigint | boolean | string | readonly GgufMetadataValue[];

/** One tensor info entry. `dims` in GGUF order; `offset` relative to the data section. */
export interface GgufTensorInfo {
  readonly name: string;
  readonly dims: readonly number[];
  readonly type: number;
  readonly offset: number;
}

/** What {@link readGguf} returns. */
export interface GgufFile {
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufMetadataValue>;
  readonly tensors: readonly GgufTensorInfo[];
  /** Absolute file offset of the tensor data section. */
  readonly dataOffset: number;
}

const CHUNK = 1 << 20;

/** A forward-only cursor over a file handle with a refilling buffer. */
class Cursor {
  private buf = Buffer.alloc(0);
  private at = 0;
  private filePos = 0;
  constructor(private readonly fh: FileHandle) {}

  get position(): number {
    return this.filePos - (this.buf.length - this.at);
  }

  private async need(n: number): Promise<void> {
    if (this.buf.length - this.at >= n) return;
    const rest = this.buf.subarray(this.at);
    const want = Math.max(CHUNK, n - rest.length);
    const fresh = Buffer.allocUnsafe(want);
    const { bytesRead } = await this.fh.read(fresh, 0, want, this.filePos);
    this.filePos += bytesRead;
    this.buf = Buffer.concat([rest, fresh.subarray(0, bytesRead)]);
    this.at = 0;
    if (this.buf.length < n) throw new RangeError("unexpected end of GGUF file");
  }
  async bytes(n: number): Promise<Buffer> {
    await this.need(n);
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  async u8(): Promise<number> {
    return (await this.bytes(1)).readUInt8(0);
  }
  async u32(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0);
  }
  async u64(): Promise<bigint> {
    return (await this.bytes(8)).readBigUInt64LE(0);
  }
  async u64n(): Promise<number> {
    const v = await this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError("GGUF length too large");
    return Number(v);
  }
  async str(): Promise<string> {
    const n = await this.u64n();
    return (await this.bytes(n)).toString("utf8");
  }
}

async function readScalar(c: Cursor, type: number): Promise<GgufMetadataValue> {
  switch (type) {
    case GgufValueType.UINT8:
      return (await c.bytes(1)).readUInt8(0);
    case GgufValueType.INT8:
      return (await c.bytes(1)).readInt8(0);
    case GgufValueType.UINT16:
      return (await c.bytes(2)).readUInt16LE(0);
    case GgufValueType.INT16:
      return (await c.bytes(2)).readInt16LE(0);
    case GgufValueType.UINT32:
      return c.u32();
    case GgufValueType.INT32:
      return (await c.bytes(4)).readInt32LE(0);
    case GgufValueType.FLOAT32:
      return (await c.bytes(4)).readFloatLE(0);
    case GgufValueType.BOOL:
      return (await c.u8()) !== 0;
    case GgufValueType.STRING:
      return c.str();
    case GgufValueType.UINT64:
      return c.u64();
    case GgufValueType.INT64:
      return (await c.bytes(8)).readBigInt64LE(0);
    case GgufValueType.FLOAT64:
      return (await c.bytes(8)).readDoubleLE(0);
    case GgufValueType.ARRAY: {
      const itemType = await c.u32();
      const count = await c.u64n();
      const out: GgufMetadataValue[] = new Array<GgufMetadataValue>(count);
      for (let i = 0; i < count; i++) out[i] = await readScalar(c, itemType);
      return out;
    }
    default:
      throw new RangeError(`unknown GGUF value type ${type}`);
  }
}

/** Reads the header, metadata and tensor infos of a GGUF file (v2 or v3). */
export async function readGguf(path: string): Promise<GgufFile> {
  const fh = await open(path, "r");
  try {
    const c = new Cursor(fh);
    if ((await c.u32()) !== GGUF_MAGIC) throw new RangeError("not a GGUF file");
    const version = await c.u32();
    if (version !== 2 && version !== 3) throw new RangeError(`unsupported GGUF version ${version}`);
    const tensorCount = await c.u64n();
    const kvCount = await c.u64n();
    const metadata = new Map<string, GgufMetadataValue>();
    for (let i = 0; i < kvCount; i++) {
      const key = await c.str();
      const type = await c.u32();
      metadata.set(key, await readScalar(c, type));
    }
    const tensors: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = await c.str();
      const nDims = await c.u32();
      const dims: number[] = [];
      for (let d = 0; d < nDims; d++) dims.push(await c.u64n());
      const type = await c.u32();
      const offset = await c.u64n();
      tensors.push({ name, dims, type, offset });
    }
    const alignValue = metadata.get("general.alignment");
    const alignment = typeof alignValue === "number" ? alignValue : GGUF_ALIGNMENT;
    const dataOffset = Math.ceil(c.position / alignment) * alignment;
    return { version, metadata, tensors, dataOffset };
  } finally {
    await fh.close();
  }
}

/** Reads a string-array metadata value, or undefined when absent or of another type. */
export function metaStrings(file: GgufFile, key: string): string[] | undefined {
  const v = file.metadata.get(key);
  if (!Array.isArray(v)) return undefined;
  return v.every((x): x is string => typeof x === "string") ? v : undefined;
}

/** Reads a numeric metadata value (bigint converted), or undefined. */
export function metaNumber(file: GgufFile, key: string): number | undefined {
  const v = file.metadata.get(key);
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return undefined;
}
