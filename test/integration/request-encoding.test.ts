/**
 * Compressed request bodies: gzip, deflate (zlib and raw) and br are decompressed, redacted and forwarded as
 * identity JSON without the client's Content-Encoding; a zip bomb is refused with 413 before anything is
 * forwarded; broken or unknown codings get API-shaped 4xx answers and the server keeps serving.
 */
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CANARY, CANARY_TEXT, CANARY_VALUES, leakedCanaries } from "../helpers/canaries.js";
import { startProxyAndMock, stopProxyAndMock, type TestApp } from "../helpers/app.js";
import { anthropicEcho } from "../helpers/anthropic-mock.js";
import type { MockUpstream, Recorded } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";
import type http from "node:http";

const BODY_LIMIT = 64 * 1024;
let upstream: MockUpstream;
let app: TestApp;
let base: string;

function echo(req: Recorded, res: http.ServerResponse): Promise<void> {
  return req.url.startsWith("/v1/messages") ? anthropicEcho(req, res) : openAIEcho(req, res);
}

beforeAll(async () => {
  ({ upstream, app, base } = await startProxyAndMock(echo, (url) => ({
    upstream: url,
    anthropicUpstream: url,
    bodyLimit: BODY_LIMIT,
  })));
});
afterAll(() => stopProxyAndMock({ app, upstream }));
beforeEach(() => {
  upstream.received.length = 0;
});

const chat = JSON.stringify({ model: "gpt-test", messages: [{ role: "user", content: CANARY_TEXT }] });

async function postCompressed(
  path: string,
  body: Uint8Array,
  encoding: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "content-encoding": encoding,
      authorization: "Bearer sk-t",
      "x-memprivacy-user-name": CANARY.name,
    },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const CODINGS: readonly [string, (b: Buffer) => Buffer][] = [
  ["gzip", gzipSync],
  ["x-gzip", gzipSync],
  ["deflate", deflateSync],
  ["deflate", deflateRawSync],
  ["br", brotliCompressSync],
  ["GZIP", gzipSync],
];

describe("compressed request bodies", () => {
  it.each(CODINGS)("a %s body is redacted and forwarded as identity (%#)", async (coding, compress) => {
    const { status, json } = await postCompressed(
      "/v1/chat/completions",
      compress(Buffer.from(chat)),
      coding,
    );
    expect(status).toBe(200);
    const content = (json as { choices: { message: { content: string } }[] }).choices[0]?.message.content;
    expect(content).toBe(`You said: ${CANARY_TEXT}`);
    expect(upstream.received).toHaveLength(1);
    const sent = upstream.received[0] as Recorded;
    expect(sent.headers["content-encoding"]).toBeUndefined();
    expect(leakedCanaries(upstream.allBytes())).toEqual([]);
    // The upstream got plain JSON it can read, with placeholders in place of the values.
    const forwarded = JSON.parse(sent.body) as { messages: { content: string }[] };
    expect(forwarded.messages[0]?.content).toContain("<Email_1>");
  });

  it("a gzip body on an Anthropic route without /v1 is redacted too", async () => {
    const body = JSON.stringify({
      model: "claude-test",
      max_tokens: 64,
      messages: [{ role: "user", content: CANARY_TEXT }],
    });
    const { status, json } = await postCompressed("/messages", gzipSync(body), "gzip");
    expect(status).toBe(200);
    expect(JSON.stringify(json)).toContain(CANARY_VALUES[1]);
    expect(upstream.received[0]?.url).toBe("/v1/messages");
    expect(upstream.received[0]?.headers["content-encoding"]).toBeUndefined();
    expect(leakedCanaries(upstream.allBytes())).toEqual([]);
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
  ] as const)("a %s zip bomb is refused with 413 and nothing is forwarded", async (coding, compress) => {
    // 16 MiB of digits inside a JSON string: a few KiB compressed, 256 times the body limit inflated.
    const bomb = compress(
      Buffer.concat([
        Buffer.from('{"model":"m","messages":[{"role":"user","content":"'),
        Buffer.alloc(16 * 1024 * 1024, 0x30),
        Buffer.from('"}]}'),
      ]),
    );
    expect(bomb.length).toBeLessThan(BODY_LIMIT);
    const { status, json } = await postCompressed("/v1/chat/completions", bomb, coding);
    expect(status).toBe(413);
    expect((json as { error: { code: string } }).error.code).toBe("PRX_REQ_TOO_LARGE");
    expect(upstream.received).toHaveLength(0);
  });

  it("a body that decompresses to just over the limit is refused; just under passes", async () => {
    const fill = (n: number): string =>
      JSON.stringify({ model: "m", messages: [{ role: "user", content: "a".repeat(n) }] });
    const overhead = fill(0).length;
    const under = await postCompressed("/v1/chat/completions", gzipSync(fill(BODY_LIMIT - overhead)), "gzip");
    expect(under.status).toBe(200);
    const over = await postCompressed(
      "/v1/chat/completions",
      gzipSync(fill(BODY_LIMIT - overhead + 1)),
      "gzip",
    );
    expect(over.status).toBe(413);
    expect(upstream.received).toHaveLength(1);
  });

  it("an Anthropic zip bomb gets an Anthropic-shaped 413", async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    const { status, json } = await postCompressed("/messages", bomb, "gzip");
    expect(status).toBe(413);
    expect(json).toMatchObject({
      type: "error",
      error: { type: "request_too_large", code: "PRX_REQ_TOO_LARGE" },
    });
    expect(upstream.received).toHaveLength(0);
  });

  it("bytes that are not what the coding says get 400, an unknown coding 415; the server keeps serving", async () => {
    const broken = await postCompressed("/v1/chat/completions", Buffer.from(chat), "gzip");
    expect(broken.status).toBe(400);
    expect((broken.json as { error: { code: string } }).error.code).toBe("PRX_REQ_BAD_ENCODING");
    const zstd = await postCompressed("/v1/chat/completions", Buffer.from(chat), "zstd");
    expect(zstd.status).toBe(415);
    expect((zstd.json as { error: { code: string } }).error.code).toBe("PRX_REQ_UNSUPPORTED_ENCODING");
    const stacked = await postCompressed("/v1/chat/completions", gzipSync(gzipSync(chat)), "gzip, gzip");
    expect(stacked.status).toBe(415);
    expect(upstream.received).toHaveLength(0);
    const plain = await postCompressed("/v1/chat/completions", Buffer.from(chat), "identity");
    expect(plain.status).toBe(200);
    expect(upstream.received[0]?.headers["content-encoding"]).toBeUndefined();
  });

  it("an uncompressed body over the limit is still refused with 413", async () => {
    const big = JSON.stringify({ model: "m", messages: [{ role: "user", content: "b".repeat(BODY_LIMIT) }] });
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(upstream.received).toHaveLength(0);
  });
});
