/**
 * The browser and network boundary over HTTP, on every kind of route (redacted, passthrough, batch, the
 * proxy's own): `OPTIONS` answered by the proxy; foreign origins and cross-site requests refused with an
 * API-shaped 403 before anything is forwarded; no upstream `access-control-*`, `Set-Cookie` or HSTS header
 * reaches the client; only allow-listed request headers reach the upstream — never a cookie, a custom header
 * or the proxy's own token — and an injected key serves only admitted requests.
 */
import { readFileSync } from "node:fs";
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";
import { anthropicEcho } from "../helpers/anthropic-mock.js";
import { sendJson, startMockUpstream, type MockUpstream, type Recorded } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";

const TOKEN = "proxy-token-boundary-0001";
const INJECTED = "sk-injected-openai-0001";
const HOST = "127.0.0.1:8787";
const OWN_ORIGIN = `http://${HOST}`;

/** Headers an upstream that is generous with CORS and cookies adds to every answer. */
function permissive(res: http.ServerResponse): void {
  res.setHeader("access-control-allow-origin", "*");
  res.setHeader("access-control-allow-credentials", "true");
  res.setHeader("access-control-allow-headers", "*");
  res.setHeader("set-cookie", ["upstream_session=abc; Path=/", "tracker=1"]);
  res.setHeader("strict-transport-security", "max-age=31536000");
  res.setHeader("x-request-id", "req_upstream_1");
}

const BATCH = {
  id: "msgbatch_1",
  type: "message_batch",
  processing_status: "ended",
  results_url: "http://upstream.invalid/v1/messages/batches/msgbatch_1/results",
};

async function upstreamHandler(req: Recorded, res: http.ServerResponse): Promise<void> {
  permissive(res);
  if (req.method === "OPTIONS") {
    res.writeHead(204);
    res.end();
    return;
  }
  const path = req.url.split("?")[0] ?? "";
  if (path === "/v1/chat/completions") return openAIEcho(req, res);
  if (path === "/v1/messages") return anthropicEcho(req, res);
  if (path === "/v1/messages/batches/msgbatch_1") return sendJson(res, 200, BATCH);
  if (path === "/v1/messages/batches/msgbatch_1/results") {
    res.writeHead(200, { "content-type": "application/binary" });
    res.end(`${JSON.stringify({ custom_id: "a", result: { type: "errored", error: {} } })}\n`);
    return;
  }
  sendJson(res, 200, { object: "list", data: [] });
}

const CHAT = { model: "gpt-test", messages: [{ role: "user", content: "hello" }] };
const MESSAGES = { model: "claude-test", max_tokens: 8, messages: [{ role: "user", content: "hello" }] };

/** A request of every kind of route: what it sends and which API's error shape it gets. */
const ROUTES: { method: "GET" | "POST"; url: string; payload?: unknown; anthropic: boolean }[] = [
  { method: "POST", url: "/v1/chat/completions", payload: CHAT, anthropic: false },
  { method: "POST", url: "/v1/messages", payload: MESSAGES, anthropic: true },
  { method: "POST", url: "/messages", payload: MESSAGES, anthropic: true },
  { method: "POST", url: "/v1/restore", payload: { text: "x" }, anthropic: false },
  { method: "POST", url: "/v1/redact", payload: { text: "x" }, anthropic: false },
  { method: "GET", url: "/v1/models", anthropic: false },
  { method: "GET", url: "/v1/messages/batches/msgbatch_1", anthropic: true },
  { method: "GET", url: "/v1/messages/batches/msgbatch_1/results", anthropic: true },
  // Bodiless calls an injected key would otherwise serve to any page: cancel a batch, download a file.
  { method: "POST", url: "/v1/messages/batches/msgbatch_1/cancel", anthropic: true },
  { method: "GET", url: "/v1/files/file-1/content", anthropic: false },
  { method: "GET", url: "/v1/memprivacy/status", anthropic: false },
  { method: "GET", url: "/", anthropic: false },
  { method: "GET", url: "/metrics", anthropic: false },
];

let upstream: MockUpstream;
let app: TestApp;

beforeAll(async () => {
  upstream = await startMockUpstream();
  upstream.handle(upstreamHandler);
  // Injected keys for both families: the user's own setup, which a foreign page must not be able to drive.
  ({ app } = await testApp({
    upstream: upstream.url,
    anthropicUpstream: upstream.url,
    upstreamApiKey: INJECTED,
    anthropicApiKey: "sk-ant-injected-0001",
    allowedOrigins: "https://app.example:8443",
  }));
});
afterAll(async () => {
  await app.close();
  await upstream.close();
});

function send(
  target: TestApp,
  route: (typeof ROUTES)[number] | { method: string; url: string; payload?: unknown },
  headers: Record<string, string>,
) {
  return target.inject({
    method: route.method as "GET",
    url: route.url,
    headers: { host: HOST, ...headers },
    ...(route.payload === undefined ? {} : { payload: route.payload as object }),
  });
}

/** Response headers the client must never get from an upstream. */
function expectNoUpstreamBrowserHeaders(headers: Record<string, unknown>, context: string): void {
  const names = Object.keys(headers).map((h) => h.toLowerCase());
  expect(
    names.filter((h) => h.startsWith("access-control-")),
    context,
  ).toEqual([]);
  expect(names, context).not.toContain("set-cookie");
  expect(names, context).not.toContain("strict-transport-security");
}

describe("OPTIONS is answered by the proxy", () => {
  it.each(ROUTES)("$url: 204 without an Origin, 403 for a foreign one, nothing forwarded", async (route) => {
    const before = upstream.received.length;
    const plain = await send(app, { method: "OPTIONS", url: route.url }, {});
    expect(plain.statusCode).toBe(204);
    expect(plain.headers.allow).toContain("POST");
    expectNoUpstreamBrowserHeaders(plain.headers, route.url);
    const foreign = await send(
      app,
      { method: "OPTIONS", url: route.url },
      { origin: "http://evil.test", "access-control-request-method": "POST" },
    );
    expect(foreign.statusCode).toBe(403);
    expectNoUpstreamBrowserHeaders(foreign.headers, route.url);
    expect(upstream.received.length).toBe(before);
  });

  it("answers a listed origin's preflight with its own origin (never *) and the methods it may use", async () => {
    const res = await send(
      app,
      { method: "OPTIONS", url: "/v1/chat/completions" },
      { origin: "https://app.example:8443", "access-control-request-method": "POST" },
    );
    expect(res.statusCode).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("https://app.example:8443");
    expect(res.headers["access-control-allow-methods"]).toContain("POST");
    expect(res.headers["access-control-allow-headers"]).toContain("authorization");
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
    expect(String(res.headers.vary)).toContain("Origin");
    // An SDK running in that page asks for its own headers: granted (the upstream allow-list still drops them).
    const sdk = await send(
      app,
      { method: "OPTIONS", url: "/v1/messages" },
      {
        origin: "https://app.example:8443",
        "access-control-request-method": "POST",
        "access-control-request-headers":
          "x-api-key, anthropic-dangerous-direct-browser-access, x-stainless-os",
      },
    );
    expect(sdk.headers["access-control-allow-headers"]).toBe(
      "x-api-key, anthropic-dangerous-direct-browser-access, x-stainless-os",
    );
    const odd = await send(
      app,
      { method: "OPTIONS", url: "/v1/messages" },
      {
        origin: "https://app.example:8443",
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-a\u0001, <b>",
      },
    );
    expect(odd.headers["access-control-allow-headers"]).toContain("authorization");
    expect(odd.headers["access-control-allow-headers"]).not.toContain("<b>");
  });
});

describe("foreign origins and cross-site requests", () => {
  const foreign: Record<string, string>[] = [
    { origin: "http://evil.test" },
    { origin: "null" },
    { origin: "http://localhost:8787" },
    { origin: OWN_ORIGIN, "sec-fetch-site": "cross-site" },
    { "sec-fetch-site": "cross-site" },
  ];

  it.each(ROUTES)("$url: refused with an API-shaped 403, nothing forwarded", async (route) => {
    for (const headers of foreign) {
      const before = upstream.received.length;
      const res = await send(app, route, { ...headers, "content-type": "application/json" });
      const context = `${route.url} ${JSON.stringify(headers)}`;
      expect(res.statusCode, context).toBe(403);
      const body = res.json<{ type?: string; error: { code: string; type: string; message: string } }>();
      expect(body.error.code, context).toBe("PRX_REQ_FOREIGN_ORIGIN");
      if (route.anthropic) {
        expect(body.type, context).toBe("error");
        expect(body.error.type, context).toBe("permission_error");
      } else {
        expect(body.type, context).toBeUndefined();
        expect(body.error.type, context).toBe("permission_error");
      }
      expect(res.body, context).not.toContain("evil.test");
      expectNoUpstreamBrowserHeaders(res.headers, context);
      expect(upstream.received.length, context).toBe(before);
    }
  });

  it.each(ROUTES)(
    "$url: the proxy's own page (same origin) and a listed origin are served",
    async (route) => {
      const own = await send(app, route, { origin: OWN_ORIGIN, "sec-fetch-site": "same-origin" });
      expect(own.statusCode, route.url).toBeLessThan(400);
      expect(own.headers["access-control-allow-origin"]).toBeUndefined();
      expectNoUpstreamBrowserHeaders(own.headers, route.url);
      const listed = await send(app, route, {
        origin: "https://app.example:8443",
        "sec-fetch-site": "cross-site",
      });
      expect(listed.statusCode, route.url).toBeLessThan(400);
      expect(listed.headers["access-control-allow-origin"]).toBe("https://app.example:8443");
      expect(listed.headers["access-control-allow-credentials"]).toBeUndefined();
    },
  );
});

describe("response headers from the upstream", () => {
  it.each(ROUTES.filter((r) => !r.url.startsWith("/v1/memprivacy") && r.url !== "/"))(
    "$url: no access-control-*, Set-Cookie or HSTS reach the client; other headers do",
    async (route) => {
      const res = await send(app, route, { "content-type": "application/json" });
      expect(res.statusCode, route.url).toBeLessThan(400);
      expectNoUpstreamBrowserHeaders(res.headers, route.url);
    },
  );

  it("keeps the upstream's ordinary headers (request id) on redacted and passthrough routes", async () => {
    for (const route of ROUTES.filter((r) => ["/v1/chat/completions", "/v1/models"].includes(r.url))) {
      const res = await send(app, route, {});
      expect(res.headers["x-request-id"], route.url).toBe("req_upstream_1");
    }
  });

  it("strips them from a streamed answer too", async () => {
    const res = await send(
      app,
      { method: "POST", url: "/v1/chat/completions", payload: { ...CHAT, stream: true } },
      {},
    );
    expect(res.statusCode).toBe(200);
    expect(String(res.headers["content-type"])).toContain("text/event-stream");
    expectNoUpstreamBrowserHeaders(res.headers, "stream");
  });
});

describe("request headers sent upstream", () => {
  const NOISE = {
    cookie: "session=local-app-secret; other=1",
    "x-custom-secret": "custom-header-value-0001",
    "x-stainless-os": "Linux",
    "x-forwarded-for": "10.1.2.3",
    "x-memprivacy-session": "s1",
  };
  const WANTED = {
    "openai-organization": "org-1",
    "openai-project": "proj-1",
    "openai-beta": "assistants=v2",
    "anthropic-version": "2023-06-01",
    "anthropic-beta": "batches-2024",
    "idempotency-key": "idem-1",
    "user-agent": "sdk/1.0",
    accept: "application/json",
  };

  let secured: TestApp;
  beforeAll(async () => {
    // The proxy token in use, and an injected OpenAI key (so the token may come as a Bearer credential).
    ({ app: secured } = await testApp({
      upstream: upstream.url,
      anthropicUpstream: upstream.url,
      proxyToken: TOKEN,
      upstreamApiKey: INJECTED,
      passthroughBodies: "forward",
    }));
  });
  afterAll(async () => {
    await secured.close();
  });

  const forwarded: { method: string; url: string; payload?: unknown }[] = [
    { method: "POST", url: "/v1/chat/completions", payload: CHAT },
    { method: "POST", url: "/v1/messages", payload: MESSAGES },
    { method: "GET", url: "/v1/models" },
    { method: "POST", url: "/v1/files", payload: { purpose: "x" } },
    { method: "DELETE", url: "/v1/messages/batches/msgbatch_1" },
    { method: "GET", url: "/v1/messages/batches/msgbatch_1" },
    { method: "GET", url: "/v1/messages/batches/msgbatch_1/results" },
  ];

  it.each(forwarded)(
    "$method $url: allow-listed headers only; never a cookie, a custom header or the proxy token",
    async (route) => {
      for (const tokenHeaders of [
        { "x-memprivacy-token": TOKEN, "x-api-key": "sk-ant-user-0001" },
        { authorization: `Bearer ${TOKEN}`, "x-api-key": "sk-ant-user-0001" },
      ]) {
        const before = upstream.received.length;
        const res = await send(secured, route, {
          ...NOISE,
          ...WANTED,
          ...tokenHeaders,
          "content-type": "application/json",
        });
        expect(res.statusCode, route.url).toBeLessThan(400);
        const seen = upstream.received.slice(before);
        expect(seen, route.url).toHaveLength(1);
        const headers = seen[0]?.headers ?? {};
        const all = JSON.stringify(headers);
        expect(all, route.url).not.toContain(TOKEN);
        for (const [name, value] of Object.entries(NOISE)) {
          expect(headers[name], `${route.url} ${name}`).toBeUndefined();
          expect(all, `${route.url} ${name}`).not.toContain(value);
        }
        for (const [name, value] of Object.entries(WANTED))
          expect(headers[name], `${route.url} ${name}`).toBe(value);
        const anthropic = route.url.startsWith("/v1/messages");
        // OpenAI-family: the injected key; Anthropic-family (no injected key here): the caller's own.
        if (anthropic) {
          expect(headers["x-api-key"], route.url).toBe("sk-ant-user-0001");
          expect(headers.authorization, route.url).toBeUndefined();
        } else {
          expect(headers.authorization, route.url).toBe(`Bearer ${INJECTED}`);
        }
      }
    },
  );

  it("sends no injected key for a request that was refused at the boundary", async () => {
    const before = upstream.received.length;
    const res = await send(secured, forwarded[0] as (typeof forwarded)[number], {
      "x-memprivacy-token": TOKEN,
      origin: "http://evil.test",
    });
    expect(res.statusCode).toBe(403);
    expect(upstream.received.length).toBe(before);
  });
});

describe("the Docker sidecar (the image listens on 0.0.0.0)", () => {
  it("serves the compose service name that docker-compose.yml allows, and loopback; refuses other Hosts", async () => {
    const compose = readFileSync(new URL("../../docker-compose.yml", import.meta.url), "utf8");
    const allowed = /^ {6}MEMPRIVACY_ALLOWED_HOSTS: (\S+)$/m.exec(compose)?.[1];
    expect(allowed).toBe("memprivacy");
    const { app: sidecar } = await testApp({ host: "0.0.0.0", allowedHosts: allowed ?? "" });
    try {
      for (const [host, status] of [
        ["memprivacy:8787", 200],
        ["localhost:8787", 200],
        ["127.0.0.1:8787", 200],
        ["evil.test:8787", 421],
        ["0.0.0.0:8787", 421],
        ["memprivacy.evil.test", 421],
      ] as const) {
        const res = await sidecar.inject({
          method: "POST",
          url: "/v1/restore",
          headers: { host },
          payload: { text: "x" },
        });
        expect(res.statusCode, host).toBe(status);
      }
    } finally {
      await sidecar.close();
    }
  });
});
