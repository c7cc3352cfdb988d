/** GGUF writer/reader round trip and header layout. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readGguf } from "../../../src/model/gguf-reader.js";
import { GgmlType, GGUF_MAGIC } from "../../../src/model/gguf-types.js";
import { encodeGgufHeader, gv, writeGguf } from "../../../src/model/gguf-writer.js";
import type { GgufValue } from "../../../src/model/gguf-writer.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function* bytes(n: number, fill: number): AsyncGenerator<Uint8Array> {
  yield await Promise.resolve(new Uint8Array(n).fill(fill));
}

describe("GGUF writer", () => {
  it("writes a header the reader reads back, with tensor data 32-byte aligned", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gguf-"));
    dirs.push(dir);
    const path = join(dir, "x.gguf");
    const meta = new Map<string, GgufValue>([
      ["general.architecture", gv.str("qwen3")],
      ["qwen3.block_count", gv.u32(2)],
      ["qwen3.rope.freq_base", gv.f32(1000000)],
      ["tokenizer.ggml.add_bos_token", gv.bool(false)],
      ["tokenizer.ggml.tokens", gv.strs(["a", "é", "<|im_end|>"])],
      ["tokenizer.ggml.token_type", gv.i32s([1, 1, 3])],
      ["x.big", gv.u64(5n)],
      ["x.negative", gv.i32(-3)],
      ["x.scores", gv.f32s([0.5, -1])],
    ]);
    await writeGguf(path, meta, [
      { name: "norm.weight", dims: [3], type: GgmlType.F32, data: () => bytes(12, 1) },
      { name: "w.weight", dims: [32, 2], type: GgmlType.Q8_0, data: () => bytes(68, 2) },
    ]);
    const file = await readGguf(path);
    expect(file.version).toBe(3);
    expect(file.metadata.get("general.architecture")).toBe("qwen3");
    expect(file.metadata.get("qwen3.block_count")).toBe(2);
    expect(file.metadata.get("qwen3.rope.freq_base")).toBe(1000000);
    expect(file.metadata.get("tokenizer.ggml.add_bos_token")).toBe(false);
    expect(file.metadata.get("tokenizer.ggml.tokens")).toEqual(["a", "é", "<|im_end|>"]);
    expect(file.metadata.get("tokenizer.ggml.token_type")).toEqual([1, 1, 3]);
    expect(file.metadata.get("x.big")).toBe(5n);
    expect(file.metadata.get("x.negative")).toBe(-3);
    expect(file.metadata.get("x.scores")).toEqual([0.5, -1]);
    expect(file.tensors).toEqual([
      { name: "norm.weight", dims: [3], type: 0, offset: 0 },
      { name: "w.weight", dims: [32, 2], type: 8, offset: 32 },
    ]);
    expect(file.dataOffset % 32).toBe(0);
    const raw = await readFile(path);
    expect(raw.readUInt32LE(0)).toBe(GGUF_MAGIC);
    expect(raw[file.dataOffset]).toBe(1);
    expect(raw[file.dataOffset + 32]).toBe(2);
    expect(raw.length).toBe(file.dataOffset + 32 + 68);
  });

  it("rejects a producer that yields the wrong number of bytes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gguf-"));
    dirs.push(dir);
    await expect(
      writeGguf(join(dir, "bad.gguf"), new Map(), [
        { name: "t", dims: [4], type: GgmlType.F32, data: () => bytes(15, 0) },
      ]),
    ).rejects.toThrow(/expected 16/);
  });

  it("rejects a quantized tensor that is not a whole number of blocks", () => {
    expect(() => encodeGgufHeader(new Map(), [{ name: "t", dims: [33], type: GgmlType.Q8_0 }])).toThrow(
      RangeError,
    );
  });
});
