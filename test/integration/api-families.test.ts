/**
 * Each API family answers its own paths, whatever the route: a request under an Anthropic path (with or
 * without `/v1`) goes to the Anthropic upstream with the Anthropic key, every other path to the OpenAI one
 * with the OpenAI key, and its errors come in that family's shape. Two separate mock upstreams record what
 * reached each, so a request sent to the wrong API (with the wrong credential) cannot pass unseen.
 */
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";
import { sendJson, startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";

type Method = NonNullable<InjectOptions["method"]>;

let openai: MockUpstream;
let anthropic: MockUpstream;
let app: TestApp;

beforeAll(async () => {
  openai = await startMockUpstream();
  anthropic = await startMockUpstream();
  for (const upstream of [openai, anthropic])
    upstream.handle((req, res) => sendJson(res, 200, { url: req.url }));
  ({ app } = await testApp({
    upstream: openai.url,
    anthropicUpstream: anthropic.url,
    upstreamApiKey: "sk-injected-openai",
    anthropicApiKey: "sk-ant-injected",
  }));
});
afterAll(async () => {
  await app.close();
  await openai.close();
  await anthropic.close();
});
beforeEach(() => {
  openai.received.length = 0;
  anthropic.received.length = 0;
});

describe("the passthrough follows the family of the path", () => {
  it.each<[Method, string, string]>([
    ["GET", "/v1/messages/batches/msgbatch_1/other", "/v1/messages/batches/msgbatch_1/other"],
    ["DELETE", "/v1/messages/batches/msgbatch_1", "/v1/messages/batches/msgbatch_1"],
    ["GET", "/v1/messages", "/v1/messages"],
    // Unversioned forms (an SDK whose base URL lacks /v1) go to the upstream's /v1 path, as the redacted ones do.
    ["POST", "/messages/batches/msgbatch_1/cancel", "/v1/messages/batches/msgbatch_1/cancel"],
    ["DELETE", "/messages/batches/msgbatch_1?x=1", "/v1/messages/batches/msgbatch_1?x=1"],
  ])("%s %s reaches the Anthropic upstream at %s with the Anthropic key", async (method, url, reached) => {
    const res = await app.inject({ method, url, headers: { authorization: "Bearer caller" } });
    expect(res.statusCode, res.body).toBe(200);
    expect(openai.received).toHaveLength(0);
    expect(anthropic.received.map((r) => r.url)).toEqual([reached]);
    expect(anthropic.received[0]?.headers["x-api-key"]).toBe("sk-ant-injected");
    expect(anthropic.received[0]?.headers.authorization).toBeUndefined();
  });

  it.each<[Method, string]>([
    ["GET", "/v1/models"],
    ["DELETE", "/v1/files/file_1"],
    // A look-alike of an Anthropic path is not one.
    ["GET", "/v1/messagesX"],
    ["GET", "/v1/messages_batches"],
  ])("%s %s reaches the OpenAI upstream with the OpenAI key", async (method, url) => {
    const res = await app.inject({ method, url, headers: { "x-api-key": "caller" } });
    expect(res.statusCode, res.body).toBe(200);
    expect(anthropic.received).toHaveLength(0);
    expect(openai.received.map((r) => r.url)).toEqual([url]);
    expect(openai.received[0]?.headers.authorization).toBe("Bearer sk-injected-openai");
  });
});

describe("errors come in the family's shape", () => {
  /** A bodied PUT on a path nothing redacts: refused (403) before anything goes upstream. */
  async function refusedBody(url: string): Promise<{ type?: string; error: Record<string, unknown> }> {
    const res = await app.inject({
      method: "PUT",
      url,
      payload: "x",
      headers: { "content-type": "text/plain" },
    });
    expect(res.statusCode).toBe(403);
    expect([...openai.received, ...anthropic.received]).toHaveLength(0);
    return res.json();
  }

  it.each(["/v1/messages/batches/msgbatch_1/other", "/messages/anything", "/v1/messages/count_tokens"])(
    "a refused body on %s is Anthropic-shaped",
    async (url) => {
      expect(await refusedBody(url)).toMatchObject({
        type: "error",
        error: { type: "permission_error", code: "PRX_ROUTE_NOT_REDACTED" },
      });
    },
  );

  it.each(["/v1/files", "/v1/messagesX", "/v1/chat/completions"])(
    "a refused body on %s is OpenAI-shaped",
    async (url) => {
      const body = await refusedBody(url);
      expect(body.type).toBeUndefined();
      expect(body.error).toMatchObject({ code: "PRX_ROUTE_NOT_REDACTED", type: "invalid_request_error" });
      expect(body.error.param).toBeNull();
    },
  );

  it("a bad body on a redacted route is shaped by its family, with or without /v1", async () => {
    for (const [url, anthropicShaped] of [
      ["/v1/messages", true],
      ["/messages/batches", true],
      ["/v1/responses", false],
      ["/embeddings", false],
    ] as const) {
      const res = await app.inject({
        method: "POST",
        url,
        payload: "{not json",
        headers: { "content-type": "application/json" },
      });
      expect(res.statusCode, url).toBe(400);
      const body = res.json<{ type?: string; error: { code: string } }>();
      expect(body.error.code, url).toBe("PRX_REQ_INVALID_JSON");
      expect(body.type === "error", url).toBe(anthropicShaped);
    }
  });
});

describe("headers are stripped both ways, on every kind of route of both families", () => {
  /** What a caller sends that must stay here: hop-by-hop, named in Connection, cookies, telemetry, ours. */
  const CALLER_ONLY = {
    connection: "keep-alive, x-hop",
    "x-hop": "1",
    te: "trailers",
    "proxy-authorization": "Basic cHJveHk6c2VjcmV0",
    cookie: "local_app=1",
    "x-stainless-os": "Linux",
    "x-custom": "v",
    "x-memprivacy-session": "s",
  };
  /** What an upstream answers that must not reach the client: browser state, CORS, hop-by-hop. */
  const UPSTREAM_ONLY: Record<string, string> = {
    "set-cookie": "upstream_session=abc; Path=/",
    "access-control-allow-origin": "*",
    "strict-transport-security": "max-age=1",
    "alt-svc": 'h3=":443"',
    "clear-site-data": '"cookies"',
    connection: "x-bar",
    "x-bar": "1",
  };

  beforeEach(() => {
    for (const upstream of [openai, anthropic]) {
      upstream.handle((req, res) => {
        const text = JSON.stringify({ url: req.url });
        res.writeHead(200, { ...UPSTREAM_ONLY, "content-type": "application/json", "x-request-id": "req_1" });
        res.end(text);
      });
    }
  });

  it.each<[Method, string, string]>([
    [
      "POST",
      "/v1/chat/completions",
      JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
    ],
    [
      "POST",
      "/v1/messages",
      JSON.stringify({ model: "m", max_tokens: 1, messages: [{ role: "user", content: "hi" }] }),
    ],
    ["GET", "/v1/models", ""],
    ["GET", "/v1/messages/batches/msgbatch_1/other", ""],
  ])("%s %s", async (method, url, payload) => {
    const res = await app.inject({
      method,
      url,
      headers: {
        ...CALLER_ONLY,
        accept: "application/json",
        "openai-beta": "assistants=v2",
        "anthropic-version": "2023-06-01",
        ...(payload === "" ? {} : { "content-type": "application/json" }),
      },
      ...(payload === "" ? {} : { payload }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const received = [...openai.received, ...anthropic.received];
    expect(received).toHaveLength(1);
    const sent = received[0]?.headers ?? {};
    // The upstream connection's own `connection` header is undici's; the caller's names no header there.
    for (const name of Object.keys(CALLER_ONLY).filter((n) => n !== "connection"))
      expect(sent[name], name).toBeUndefined();
    expect(sent).toMatchObject({ accept: "application/json", "openai-beta": "assistants=v2" });
    expect(sent["anthropic-version"]).toBe("2023-06-01");
    for (const name of Object.keys(UPSTREAM_ONLY).filter((n) => n !== "connection"))
      expect(res.headers[name], name).toBeUndefined();
    expect(res.headers["x-request-id"]).toBe("req_1");
  });
});
