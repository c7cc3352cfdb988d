import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { testApp } from "../helpers/app.js";
import { sendJson, startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";

let upstream: MockUpstream;
let app: Awaited<ReturnType<typeof testApp>>["app"];

beforeAll(async () => {
  upstream = await startMockUpstream();
  upstream.handle((req, res) => sendJson(res, 200, { url: req.url, body: req.body }));
  ({ app } = await testApp({
    upstream: upstream.url,
    anthropicUpstream: upstream.url,
    upstreamApiKey: "sk-injected-openai",
    anthropicApiKey: "sk-ant-injected",
    passthroughBodies: "forward",
  }));
});
afterAll(async () => {
  await app.close();
  await upstream.close();
});

describe("passthrough with passthroughBodies: forward", () => {
  it("forwards other routes unchanged, body included, with the OpenAI key injected", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/files?purpose=batch",
      headers: {
        "content-type": "application/octet-stream",
        authorization: "Bearer caller",
        "x-memprivacy-session": "s",
      },
      payload: Buffer.from("raw bytes \u00e9"),
    });
    expect(res.json()).toEqual({ url: "/v1/files?purpose=batch", body: "raw bytes \u00e9" });
    const rec = upstream.received.at(-1);
    expect(rec?.headers.authorization).toBe("Bearer sk-injected-openai");
    expect(rec?.headers["x-memprivacy-session"]).toBeUndefined();
  });

  it("injects the Anthropic key as x-api-key on Anthropic paths", async () => {
    await app.inject({
      method: "DELETE",
      url: "/v1/messages/batches/msgbatch_1",
      headers: { "x-api-key": "caller", authorization: "Bearer caller" },
    });
    const rec = upstream.received.at(-1);
    expect(rec?.headers["x-api-key"]).toBe("sk-ant-injected");
    expect(rec?.headers.authorization).toBeUndefined();
  });

  it("aborts the upstream request when the client goes away, before or during the response", async () => {
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    let upstreamClosed: () => void = () => undefined;
    let upstreamArrived: () => void = () => undefined;
    upstream.handle((req, res) => {
      if (req.url.startsWith("/v1/files/hang")) {
        // Never answers: only the client's disconnect can end this request.
        res.on("close", () => upstreamClosed());
        upstreamArrived();
        return;
      }
      if (!req.url.startsWith("/v1/files/slow")) {
        sendJson(res, 200, { url: req.url, body: req.body });
        return;
      }
      res.writeHead(200, { "content-type": "application/octet-stream" });
      const timer = setInterval(() => res.write("chunk "), 10);
      res.on("close", () => {
        clearInterval(timer);
        upstreamClosed();
      });
    });
    // Driven by events, not clocks: the client leaves once the upstream has the request (or once the first
    // bytes arrive), and the test waits for the upstream side to close; its own timeout is the only limit.
    const abandon = (path: string, when: "first-bytes" | "upstream-has-it"): Promise<void> =>
      new Promise<void>((resolve) => {
        const req = http.get(`${url}${path}`, { agent: false }, (res) => {
          res.once("data", () => req.destroy());
        });
        upstreamArrived = when === "upstream-has-it" ? () => req.destroy() : () => undefined;
        req.on("close", () => resolve());
        req.on("error", () => undefined);
      });
    const upstreamEnds = (): Promise<void> =>
      new Promise<void>((resolve) => {
        upstreamClosed = resolve;
      });
    try {
      for (const [path, when] of [
        ["/v1/files/hang", "upstream-has-it"],
        ["/v1/files/slow/content", "first-bytes"],
      ] as const) {
        const ended = upstreamEnds();
        await abandon(path, when);
        await ended;
      }
      const next = await app.inject({ method: "GET", url: "/v1/models" });
      expect(next.statusCode).toBe(200);
      expect(next.json()).toMatchObject({ url: "/v1/models" });
    } finally {
      upstream.handle((req, res) => sendJson(res, 200, { url: req.url, body: req.body }));
    }
  });
});

describe("passthrough by default (passthroughBodies: refuse)", () => {
  it("refuses a request body it cannot redact, forwards nothing, and still passes bodiless requests", async () => {
    const own = await testApp({ upstream: upstream.url, anthropicUpstream: upstream.url });
    try {
      const before = upstream.received.length;
      const secret = "my password is Tr0ub4dor9 and my mail li.si@example.com";
      for (const [url, headers] of [
        ["/v1/files", { "content-type": "application/octet-stream" }],
        ["/v1/audio/speech", { "content-type": "application/json" }],
        [
          "/v1/messages/batches/msgbatch_1/cancel",
          { "content-type": "application/json", "anthropic-version": "2023-06-01" },
        ],
      ] as const) {
        const res = await own.app.inject({
          method: "POST",
          url,
          headers,
          payload: JSON.stringify({ input: secret }),
        });
        expect(res.statusCode, url).toBe(403);
        expect(res.body, url).toContain("PRX_ROUTE_NOT_REDACTED");
        expect(res.body, url).not.toContain("Tr0ub4dor9");
      }
      // A chunked upload is a body too.
      const chunked = await own.app.inject({
        method: "PUT",
        url: "/v1/uploads/u1/parts",
        headers: { "transfer-encoding": "chunked", "content-type": "application/octet-stream" },
        payload: secret,
      });
      expect(chunked.statusCode).toBe(403);
      expect(upstream.received.length).toBe(before);
      expect(upstream.allBytes()).not.toContain("Tr0ub4dor9");
      expect(own.sink.text).not.toContain("Tr0ub4dor9");

      const list = await own.app.inject({ method: "GET", url: "/v1/files?purpose=batch" });
      expect(list.statusCode).toBe(200);
      const cancel = await own.app.inject({
        method: "POST",
        url: "/v1/batches/b1/cancel",
        headers: { "content-length": "0" },
      });
      expect(cancel.statusCode).toBe(200);
      const removed = await own.app.inject({ method: "DELETE", url: "/v1/files/f1" });
      expect(removed.statusCode).toBe(200);
      expect(upstream.received.slice(before).map((r) => `${r.method} ${r.url}`)).toEqual([
        "GET /v1/files?purpose=batch",
        "POST /v1/batches/b1/cancel",
        "DELETE /v1/files/f1",
      ]);
    } finally {
      await own.app.close();
    }
  });

  it("forwards bodies on the paths listed in passthroughBodyPaths only, and never through dot segments", async () => {
    const own = await testApp({
      upstream: upstream.url,
      passthroughBodyPaths: "/v1/audio/transcriptions,/v1/uploads/",
    });
    try {
      const post = (url: string) =>
        own.app.inject({
          method: "POST",
          url,
          headers: { "content-type": "application/octet-stream" },
          payload: Buffer.from("RIFF....WAVE"),
        });
      expect((await post("/v1/audio/transcriptions")).statusCode).toBe(200);
      expect((await post("/v1/uploads/u1/parts")).statusCode).toBe(200);
      const before = upstream.received.length;
      for (const url of [
        "/v1/files",
        "/v1/audio/transcriptionsX",
        "/v1/audio/transcriptions/../../files",
        "/v1/audio/transcriptions/%2E%2E/%2e%2e/files",
      ]) {
        expect((await post(url)).statusCode, url).toBe(403);
      }
      expect(upstream.received.length).toBe(before);
    } finally {
      await own.app.close();
    }
  });

  it("refuses a passthroughBodyPaths entry that is not an absolute path", () => {
    let problems: string[] = [];
    try {
      loadConfig({ env: {}, flags: { passthroughBodyPaths: "v1/files" } });
    } catch (err) {
      problems = (err as { problems?: string[] }).problems ?? [];
    }
    expect(problems.join("\n")).toMatch(/passthroughBodyPaths: each path must start with \//);
  });
});
