import { Readable } from "node:stream";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { contentCodingOf, decodeContent, readRequestText } from "../../../src/server/json-body.js";

async function code(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (err: unknown) => (err as { code?: string }).code,
  );
}

describe("contentCodingOf", () => {
  it("knows identity, gzip (and x-gzip), deflate and br, case-insensitively; refuses the rest", () => {
    expect(contentCodingOf(undefined)).toBe("identity");
    expect(contentCodingOf(" Identity ")).toBe("identity");
    expect(contentCodingOf("X-GZIP")).toBe("gzip");
    expect(contentCodingOf("deflate")).toBe("deflate");
    expect(contentCodingOf("br")).toBe("br");
    for (const bad of ["zstd", "compress", "gzip, br", "gzip,gzip", ["gzip", "gzip"]])
      expect(() => contentCodingOf(bad)).toThrow(
        expect.objectContaining({ code: "PRX_REQ_UNSUPPORTED_ENCODING" }),
      );
  });
});

describe("decodeContent", () => {
  const text = Buffer.from('{"a":"' + "x".repeat(1000) + '"}');
  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["deflate", deflateRawSync],
    ["br", brotliCompressSync],
  ] as const)("%s decodes to exactly the limit, and no further", async (coding, compress) => {
    const bytes = compress(text);
    expect(await decodeContent(bytes, coding, text.length)).toEqual(text);
    expect(await code(decodeContent(bytes, coding, text.length - 1))).toBe("PRX_REQ_TOO_LARGE");
  });

  it("bytes that are not of the coding are PRX_REQ_BAD_ENCODING", async () => {
    expect(await code(decodeContent(text, "gzip", 1 << 20))).toBe("PRX_REQ_BAD_ENCODING");
    expect(await code(decodeContent(text, "br", 1 << 20))).toBe("PRX_REQ_BAD_ENCODING");
    expect(await code(decodeContent(gzipSync(text).subarray(0, 30), "gzip", 1 << 20))).toBe(
      "PRX_REQ_BAD_ENCODING",
    );
  });
});

describe("readRequestText", () => {
  it("refuses more bytes than the limit as sent, and a length that does not match", async () => {
    const body = Buffer.alloc(100, 0x61);
    expect(await code(readRequestText(Readable.from([body]), {}, 99))).toBe("PRX_REQ_TOO_LARGE");
    expect(await code(readRequestText(Readable.from([body]), { "content-length": "1000" }, 500))).toBe(
      "PRX_REQ_TOO_LARGE",
    );
    expect(await code(readRequestText(Readable.from([body]), { "content-length": "101" }, 500))).toBe(
      "PRX_REQ_INVALID_BODY",
    );
    expect(await readRequestText(Readable.from([gzipSync(body)]), { "content-encoding": "gzip" }, 100)).toBe(
      "a".repeat(100),
    );
  });

  it("a stream that fails before its end is a closed client", async () => {
    const stream = new Readable({ read() {} });
    stream.push(Buffer.from("{"));
    const pending = readRequestText(stream, {}, 100);
    stream.destroy(new Error("reset"));
    expect(await code(pending)).toBe("PRX_REQ_CLIENT_CLOSED");
  });
});
