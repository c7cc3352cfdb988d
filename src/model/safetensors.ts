/**
 * Safetensors reading: the JSON header of one file or of a sharded checkpoint (index.json weight map), and
 * tensor data read by row ranges so conversion streams instead of loading whole tensors.
 */
import { open, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

/** A tensor entry of a safetensors checkpoint. */
export interface SafetensorsTensor {
  readonly name: string;
  readonly dtype: string;
  /** Row-major shape as stored. */
  readonly shape: readonly number[];
  readonly file: string;
  /** Absolute byte range in `file`. */
  readonly begin: number;
  readonly end: number;
}

/** Bytes per element of the dtypes we read. */
export const SAFETENSORS_DTYPE_BYTES: Readonly<Record<string, number>> = { BF16: 2, F16: 2, F32: 4 };

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function isHeaderEntry(v: unknown): v is HeaderEntry {
  if (typeof v !== "object" || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.dtype === "string" &&
    Array.isArray(e.shape) &&
    e.shape.every((d) => Number.isInteger(d)) &&
    Array.isArray(e.data_offsets) &&
    e.data_offsets.length === 2
  );
}

/** Reads the header of one safetensors file. */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsTensor[]> {
  const fh = await open(file, "r");
  try {
    const lenBuf = Buffer.alloc(8);
    await fh.read(lenBuf, 0, 8, 0);
    const len = Number(lenBuf.readBigUInt64LE(0));
    const size = (await fh.stat()).size;
    if (len <= 0 || len > 100_000_000 || 8 + len > size)
      throw new RangeError("bad safetensors header length");
    const headerBuf = Buffer.alloc(len);
    await fh.read(headerBuf, 0, len, 8);
    const header = JSON.parse(headerBuf.toString("utf8")) as Record<string, unknown>;
    const out: SafetensorsTensor[] = [];
    for (const [name, entry] of Object.entries(header)) {
      if (name === "__metadata__") continue;
      if (!isHeaderEntry(entry)) throw new RangeError(`bad safetensors entry for ${name}`);
      const [b, e] = entry.data_offsets;
      const bytes = SAFETENSORS_DTYPE_BYTES[entry.dtype];
      const elements = entry.shape.reduce((x, y) => x * y, 1);
      if (bytes !== undefined && e - b !== elements * bytes)
        throw new RangeError(`size mismatch for ${name}`);
      if (8 + len + e > size) throw new RangeError(`tensor ${name} runs past the end of the file`);
      out.push({ name, dtype: entry.dtype, shape: entry.shape, file, begin: 8 + len + b, end: 8 + len + e });
    }
    return out;
  } finally {
    await fh.close();
  }
}

/** Reads every tensor header of a checkpoint directory (`model.safetensors` or an index with shards). */
export async function readCheckpoint(dir: string): Promise<Map<string, SafetensorsTensor>> {
  const indexPath = join(dir, "model.safetensors.index.json");
  let files: string[];
  const hasIndex = await stat(indexPath).then(
    () => true,
    () => false,
  );
  if (hasIndex) {
    const index = JSON.parse(await readFile(indexPath, "utf8")) as { weight_map?: Record<string, string> };
    files = [...new Set(Object.values(index.weight_map ?? {}))].sort();
  } else {
    files = ["model.safetensors"];
  }
  const out = new Map<string, SafetensorsTensor>();
  for (const f of files) {
    for (const t of await readSafetensorsHeader(join(dir, f))) out.set(t.name, t);
  }
  return out;
}

/** Yields a tensor's raw bytes in chunks of whole rows (last dimension), about `chunkBytes` each. */
export async function* readTensorRows(t: SafetensorsTensor, chunkBytes = 8 << 20): AsyncGenerator<Buffer> {
  const rowElems = t.shape.length === 0 ? 1 : (t.shape[t.shape.length - 1] ?? 1);
  const rowBytes = rowElems * (SAFETENSORS_DTYPE_BYTES[t.dtype] ?? 1);
  const rowsPerChunk = Math.max(1, Math.floor(chunkBytes / rowBytes));
  const step = rowsPerChunk * rowBytes;
  const fh = await open(t.file, "r");
  try {
    for (let pos = t.begin; pos < t.end; pos += step) {
      const n = Math.min(step, t.end - pos);
      const buf = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const { bytesRead } = await fh.read(buf, got, n - got, pos + got);
        if (bytesRead === 0) throw new RangeError("unexpected end of safetensors file");
        got += bytesRead;
      }
      yield buf;
    }
  } finally {
    await fh.close();
  }
}

/** Writes a safetensors file from named tensors already encoded (used by the test fixture generator). */
export function encodeSafetensors(
  tensors: readonly { name: string; dtype: string; shape: readonly number[]; data: Uint8Array }[],
): Buffer {
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    offset += t.data.length;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does.
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += " ";
  const headerBuf = Buffer.from(json, "utf8");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerBuf.length));
  return Buffer.concat([
    len,
    headerBuf,
    ...tensors.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.length)),
  ]);
}
