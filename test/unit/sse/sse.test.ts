import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isProxyError } from "../../../src/errors/catalogue.js";
import { decodeSse, type SseEvent } from "../../../src/sse/events.js";
import { encodeSseEvent } from "../../../src/sse/encoder.js";
import { LineDecoder } from "../../../src/sse/lines.js";

async function decode(chunks: (string | Uint8Array)[], max = 1024): Promise<SseEvent[]> {
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const c of chunks) yield typeof c === "string" ? Buffer.from(c) : c;
  }
  const out: SseEvent[] = [];
  for await (const e of decodeSse(source(), max)) out.push(e);
  return out;
}

describe("LineDecoder", () => {
  it("splits on LF, CR and CRLF, also when CR and LF arrive apart", () => {
    const d = new LineDecoder(100);
    expect(d.push(Buffer.from("a\nb\r"))).toEqual(["a", "b"]);
    expect(d.push(Buffer.from("\nc\r\nd"))).toEqual(["c"]);
    expect(d.end()).toEqual(["d"]);
  });

  it("keeps a UTF-8 character split across chunks", () => {
    const bytes = Buffer.from("张三\n");
    const d = new LineDecoder(100);
    expect(d.push(bytes.subarray(0, 2))).toEqual([]);
    expect(d.push(bytes.subarray(2))).toEqual(["张三"]);
  });

  it("gives the same lines as splitting the whole text, however the bytes are cut", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "\r", "\n", "é", "张", "\r\n"), maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (text, cuts) => {
          const bytes = Buffer.from(text);
          const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const d = new LineDecoder(1000);
          const got: string[] = [];
          let from = 0;
          for (const to of [...at, bytes.length]) {
            got.push(...d.push(bytes.subarray(from, to)));
            from = to;
          }
          got.push(...d.end());
          const expected = text.split(/\r\n|\r|\n/);
          if (expected.at(-1) === "") expected.pop();
          expect(got).toEqual(expected);
        },
      ),
      { seed: 7, numRuns: 1000 },
    );
  });

  it("drops one byte order mark at the start of the stream, also split across chunks, and no other", () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const whole = new LineDecoder(100);
    expect(whole.push(Buffer.concat([bom, Buffer.from("data: a\n")]))).toEqual(["data: a"]);
    const split = new LineDecoder(100);
    expect(split.push(bom.subarray(0, 1))).toEqual([]);
    expect(split.push(bom.subarray(1))).toEqual([]);
    expect(split.push(Buffer.concat([Buffer.from("x\n"), bom, Buffer.from("y\n")]))).toEqual([
      "x",
      "\ufeffy",
    ]);
    const twice = new LineDecoder(100);
    expect(twice.push(Buffer.concat([bom, bom, Buffer.from("z\n")]))).toEqual(["\ufeffz"]);
  });

  it("replaces bytes that are not UTF-8 instead of failing", () => {
    const d = new LineDecoder(100);
    expect(d.push(Buffer.from([0x61, 0xff, 0x62, 0x0a]))).toEqual(["a\ufffdb"]);
    expect(d.push(Buffer.from([0xe5, 0xbc]))).toEqual([]);
    expect(d.end()).toEqual(["\ufffd"]);
  });

  it("refuses a line longer than the cap", () => {
    const d = new LineDecoder(8);
    expect(() => d.push(Buffer.from("x".repeat(9)))).toThrow();
  });
});

describe("decodeSse", () => {
  it("assembles events with event, id, retry and multi-line data, skipping comments", async () => {
    const events = await decode([": hi\nevent: delta\nid: 7\nretry: 10\ndata: a\ndata: b\n\ndata: c\n\n"]);
    expect(events).toEqual([{ event: "delta", id: "7", retry: 10, data: "a\nb" }, { data: "c" }]);
  });

  it("delivers a last event that lacks its blank line", async () => {
    expect(await decode(["data: x\n\ndata: y"])).toEqual([{ data: "x" }, { data: "y" }]);
  });

  it("gives the same events however the bytes are split", async () => {
    const wire = 'data: {"a":"张三 <Email_1>"}\r\n\r\nevent: e\ndata: [DONE]\n\n';
    const whole = await decode([wire]);
    const bytes = Buffer.from(wire);
    for (let i = 1; i < bytes.length; i++) {
      expect(await decode([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(whole);
    }
  });

  it("refuses an event over the size cap", async () => {
    const err: unknown = await decode([`data: ${"x".repeat(50)}\ndata: ${"y".repeat(50)}\n\n`], 64).catch(
      (e: unknown) => e,
    );
    expect(isProxyError(err, "PRX_STREAM_EVENT_TOO_LARGE")).toBe(true);
  });
});

describe("encodeSseEvent", () => {
  it("encodes fields and splits data lines", () => {
    expect(encodeSseEvent({ event: "x", id: "1", data: "a\nb" })).toBe(
      "event: x\nid: 1\ndata: a\ndata: b\n\n",
    );
  });

  it("refuses CR or LF in event and id", () => {
    expect(() => encodeSseEvent({ event: "a\nb", data: "" })).toThrow();
    expect(() => encodeSseEvent({ id: "a\rb", data: "" })).toThrow();
  });
});
