/**
 * The upstream client against a real HTTP server on 127.0.0.1:0: transport failures become catalogue
 * errors with the original as `cause` (never in the message), an aborted caller gets PRX_REQ_CLIENT_CLOSED,
 * bodies are read within a limit, and a compressed answer is decoded for restoration.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProxyError } from "../../../src/errors/catalogue.js";
import {
  createUpstreamClient,
  decodedBody,
  mapUpstreamError,
  readBodyText,
  type UpstreamResponse,
} from "../../../src/upstream/client.js";

const TEXT = "restore me: <Email_1> ".repeat(200);
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/hang") return; // never answers
    const coding = req.url?.slice(1) ?? "";
    const encoded =
      coding === "gzip"
        ? zlib.gzipSync(TEXT)
        : coding === "deflate"
          ? zlib.deflateSync(TEXT)
          : coding === "br"
            ? zlib.brotliCompressSync(TEXT)
            : Buffer.from(TEXT);
    res.writeHead(200, {
      "content-type": "text/plain",
      ...(coding === "plain" ? {} : { "content-encoding": coding }),
    });
    res.end(encoded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (headersTimeoutMs = 10_000) =>
  createUpstreamClient({ connectTimeoutMs: 10_000, headersTimeoutMs, bodyTimeoutMs: 10_000 });

describe("createUpstreamClient", () => {
  it.each(["gzip", "deflate", "br", "plain"])(
    "reads a %s answer as its text (decodedBody)",
    async (coding) => {
      const upstream = client();
      try {
        const res = await upstream.request({ url: `${base}/${coding}`, method: "GET", headers: {} });
        expect(res.statusCode).toBe(200);
        expect(await readBodyText(decodedBody(res), 1 << 20)).toBe(TEXT);
      } finally {
        await upstream.close();
      }
    },
  );

  it("refuses a body over the limit, counted after decoding, and destroys it", async () => {
    const upstream = client();
    try {
      const res = await upstream.request({ url: `${base}/gzip`, method: "GET", headers: {} });
      const body = decodedBody(res);
      await expect(readBodyText(body, 100)).rejects.toMatchObject({ code: "PRX_UPSTREAM_BAD_RESPONSE" });
      expect(body.destroyed).toBe(true);
    } finally {
      await upstream.close();
    }
  });

  it("reads a body of several chunks whole, and fails a body closed before its end (PRX_STREAM_INTERRUPTED)", async () => {
    expect(
      await readBodyText(Readable.from([Buffer.from("a"), Buffer.from("bc")], { objectMode: false }), 10),
    ).toBe("abc");
    const cut = new Readable({ read() {} });
    cut.push(Buffer.from("part"));
    const reading = readBodyText(cut, 100);
    setImmediate(() => cut.destroy());
    await expect(reading).rejects.toMatchObject({ code: "PRX_STREAM_INTERRUPTED" });
    const gone = new Readable({ read() {} });
    gone.destroy();
    await expect(readBodyText(gone, 100)).rejects.toMatchObject({ code: "PRX_STREAM_INTERRUPTED" });
  });

  it("maps a refused connection to PRX_UPSTREAM_UNREACHABLE, the cause kept out of the message", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const upstream = client();
    try {
      const err: unknown = await upstream
        .request({ url: `http://127.0.0.1:${port}/`, method: "GET", headers: {} })
        .catch((e: unknown) => e);
      expect(isProxyError(err, "PRX_UPSTREAM_UNREACHABLE")).toBe(true);
      expect((err as Error).message).not.toContain(String(port));
      expect((err as Error).cause).toBeDefined();
    } finally {
      await upstream.close();
    }
  });

  it("maps a headers timeout to PRX_UPSTREAM_TIMEOUT and an aborted caller to PRX_REQ_CLIENT_CLOSED", async () => {
    const upstream = client(50);
    try {
      await expect(
        upstream.request({ url: `${base}/hang`, method: "GET", headers: {} }),
      ).rejects.toMatchObject({
        code: "PRX_UPSTREAM_TIMEOUT",
      });
      const controller = new AbortController();
      const pending = upstream.request({
        url: `${base}/hang`,
        method: "GET",
        headers: {},
        signal: controller.signal,
      });
      controller.abort();
      await expect(pending).rejects.toMatchObject({ code: "PRX_REQ_CLIENT_CLOSED" });
    } finally {
      await upstream.close();
    }
  });
});

describe("mapUpstreamError, decodedBody", () => {
  it.each([
    ["ECONNREFUSED", "PRX_UPSTREAM_UNREACHABLE"],
    ["ENOTFOUND", "PRX_UPSTREAM_UNREACHABLE"],
    ["ECONNRESET", "PRX_STREAM_INTERRUPTED"],
    ["UND_ERR_SOCKET", "PRX_STREAM_INTERRUPTED"],
    ["ETIMEDOUT", "PRX_UPSTREAM_TIMEOUT"],
    ["Z_DATA_ERROR", "PRX_UPSTREAM_UNAVAILABLE"],
  ])("%s → %s", (code, expected) => {
    const err = mapUpstreamError(Object.assign(new Error("secret detail"), { code }));
    expect(err.code).toBe(expected);
    expect(err.message).not.toContain("secret");
  });

  it("keeps a plain body as it is when it names no coding it knows", async () => {
    const res: UpstreamResponse = {
      statusCode: 200,
      headers: { "content-encoding": "zstd-unknown" },
      body: Readable.from([Buffer.from("as is")]) as unknown as UpstreamResponse["body"],
    };
    expect(decodedBody(res)).toBe(res.body);
    expect(await readBodyText(decodedBody(res), 100)).toBe("as is");
  });
});
