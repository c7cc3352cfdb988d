/**
 * The page's routes without a browser: security headers on the page and its assets, the status endpoint
 * (counts of the playground scope only), the traffic stream (replay, live, resume, heartbeat, unsubscribe,
 * bounded, never a value) and the proxy token (page by `?token=`, everything else by header).
 */
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProxyContext } from "../../src/server/context.js";
import { registerUiRoutes, UI_CSP } from "../../src/server/routes/ui.js";
import { TrafficLog } from "../../src/server/traffic.js";
import { testApp } from "../helpers/app.js";
import { CANARY, CANARY_TEXT, CANARY_VALUES, leakedCanaries } from "../helpers/canaries.js";
import { startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";

const SEED =
  "Hello, my name is Zhang San, and my mobile number is 13800138000. My verification code is 89757.";
const SEED_VALUES = ["Zhang San", "13800138000", "89757"];
const PLAYGROUND = { "x-memprivacy-session": "playground", "content-type": "application/json" };
const TOKEN = "ui-test-token-0123456789";

/** Reads an SSE response incrementally; `until` resolves once the text read so far satisfies `done`. */
function sseReader(res: Response): {
  text: () => string;
  until: (done: (t: string) => boolean) => Promise<string>;
} {
  if (res.body === null) throw new Error("no body");
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  return {
    text: () => text,
    async until(done) {
      const deadline = Date.now() + 5_000;
      while (!done(text)) {
        if (Date.now() > deadline) throw new Error(`SSE condition not met; got: ${text.slice(-500)}`);
        const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
        if (chunk.done) throw new Error(`SSE stream ended early; got: ${text.slice(-500)}`);
        text += decoder.decode(chunk.value, { stream: true });
      }
      return text;
    },
  };
}

/** The JSON data of every `traffic` event in an SSE text. */
function trafficEvents(text: string): Record<string, unknown>[] {
  return text
    .split("\n\n")
    .filter((block) => block.includes("event: traffic"))
    .map((block) => {
      const data = block.split("\n").find((l) => l.startsWith("data: "));
      return JSON.parse(data?.slice(6) ?? "{}") as Record<string, unknown>;
    });
}

function chatBody(stream: boolean): string {
  return JSON.stringify({
    model: "gpt-test",
    stream,
    messages: [
      { role: "system", content: `Assistant for ${CANARY.name}.` },
      { role: "user", content: CANARY_TEXT },
    ],
  });
}

const CALLER = {
  authorization: "Bearer sk-caller-key-ui",
  "x-memprivacy-user-name": CANARY.name,
  "content-type": "application/json",
};

describe("page, assets and status (no token)", () => {
  let app: Awaited<ReturnType<typeof testApp>>["app"];
  let upstream: MockUpstream;
  let base: string;

  beforeAll(async () => {
    upstream = await startMockUpstream();
    upstream.handle(openAIEcho);
    ({ app } = await testApp({ upstream: upstream.url }));
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await app.close();
    await upstream.close();
  });

  it("serves the page with a strict CSP, nosniff and no referrer", async () => {
    const res = await app.inject({ method: "GET", url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["content-security-policy"]).toBe(UI_CSP);
    expect(UI_CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    // Everything the page references lives on the proxy itself.
    expect(res.body).toContain('src="/ui/app.js"');
    expect(res.body).toContain('href="/ui/app.css"');
    expect(res.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(upstream.received.filter((r) => r.url === "/")).toHaveLength(0);
  });

  it("serves the assets with their types and the same headers; nothing else under /ui/", async () => {
    const types: Record<string, string> = {
      "/ui/app.js": "text/javascript; charset=utf-8",
      "/ui/app.css": "text/css; charset=utf-8",
      "/ui/icon.svg": "image/svg+xml",
    };
    for (const [url, type] of Object.entries(types)) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"]).toBe(type);
      expect(res.headers["content-security-policy"]).toBe(UI_CSP);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.body.length).toBeGreaterThan(100);
    }
    const js = await app.inject({ method: "GET", url: "/ui/app.js" });
    expect(js.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    for (const url of ["/ui/index.html", "/ui/missing.js", "/ui/..%2Fpackage.json"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(404);
    }
  });

  it("answers 304 when the page has not changed", async () => {
    const first = await app.inject({ method: "GET", url: "/ui/app.css" });
    const etag = first.headers.etag;
    expect(typeof etag).toBe("string");
    const again = await app.inject({
      method: "GET",
      url: "/ui/app.css",
      headers: { "if-none-match": String(etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
  });

  it("status: detector, policy, uptime, version and the playground scope's counts only", async () => {
    const seeded = await app.inject({
      method: "POST",
      url: "/v1/redact",
      headers: PLAYGROUND,
      payload: { text: SEED, user_name: "Zhang San" },
    });
    expect(seeded.statusCode).toBe(200);
    // Another scope's values must not show up in the playground counts.
    const other = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: CALLER,
      body: chatBody(false),
    });
    expect(other.status).toBe(200);
    await other.arrayBuffer();

    const res = await app.inject({ method: "GET", url: "/v1/memprivacy/status" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const body = res.json<{
      version: string;
      uptimeSeconds: number;
      detector: { kind: string; id: string; ready: boolean; details: Record<string, unknown> };
      policy: { levels: string[]; mode: string };
      vault: { kind: string; scope: string; entries: number; byLevel: Record<string, number> };
    }>();
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(body.detector).toMatchObject({ kind: "rules", ready: true });
    expect(body.policy).toEqual({ levels: ["PL2", "PL3", "PL4"], mode: "type_specific" });
    expect(body.vault).toEqual({
      kind: "memory",
      scope: "playground",
      entries: 3,
      genericEntries: 0,
      byLevel: { PL2: 2, PL3: 0, PL4: 1 },
      byType: { "Real Name": 1, "Phone Number": 1, "Verification Code": 1 },
    });
    for (const value of [...SEED_VALUES, ...CANARY_VALUES]) expect(res.body).not.toContain(value);
    expect(res.body).not.toMatch(/<[A-Za-z_]+_\d+>/);
  });

  it("traffic: replays recent entries, then streams live ones, with counts and never a value", async () => {
    const before = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: CALLER,
      body: chatBody(false),
    });
    await before.arrayBuffer();
    const ctl = new AbortController();
    const res = await fetch(`${base}/v1/memprivacy/traffic`, { signal: ctl.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const sse = sseReader(res);
    await sse.until((t) => t.includes("event: ready"));
    const replayed = trafficEvents(sse.text());
    expect(replayed.some((e) => e.route === "/v1/chat/completions")).toBe(true);
    // Ids increase: recent entries come oldest first.
    const ids = replayed.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    const live = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: CALLER,
      body: chatBody(true),
    });
    const counts = live.headers.get("x-memprivacy-redacted");
    await live.text();
    const after = await sse.until((t) => trafficEvents(t).some((e) => e.streamed === true));
    ctl.abort();
    const entry = trafficEvents(after).find((e) => e.streamed === true);
    expect(Object.keys(entry ?? {}).sort()).toEqual(
      [
        "id",
        "method",
        "redactionMs",
        "route",
        "spans",
        "status",
        "streamed",
        "time",
        "totalMs",
        "upstreamMs",
        "upstreamStatus",
      ].sort(),
    );
    expect(entry).toMatchObject({
      method: "POST",
      route: "/v1/chat/completions",
      status: 200,
      upstreamStatus: 200,
    });
    const spans = entry?.spans as { PL2: number; PL3: number; PL4: number };
    expect(`PL2=${spans.PL2},PL3=${spans.PL3},PL4=${spans.PL4}`).toBe(counts);
    expect(spans.PL2 + spans.PL3 + spans.PL4).toBeGreaterThan(0);
    expect(leakedCanaries(after)).toEqual([]);
    expect(after).not.toContain("sk-caller-key-ui");
    expect(after).not.toMatch(/<[A-Za-z_]+_\d+>/);
  });

  it("traffic: resumes after Last-Event-ID without repeating what the client has", async () => {
    const ctl = new AbortController();
    const first = sseReader(await fetch(`${base}/v1/memprivacy/traffic`, { signal: ctl.signal }));
    const text = await first.until((t) => t.includes("event: ready"));
    ctl.abort();
    const ids = trafficEvents(text).map((e) => Number(e.id));
    const last = ids.at(-1);
    expect(last).toBeDefined();
    const ctl2 = new AbortController();
    const resumed = sseReader(
      await fetch(`${base}/v1/memprivacy/traffic`, {
        signal: ctl2.signal,
        headers: { "last-event-id": String(last) },
      }),
    );
    const again = await resumed.until((t) => t.includes("event: ready"));
    ctl2.abort();
    expect(trafficEvents(again)).toEqual([]);
  });
});

describe("traffic stream lifecycle", () => {
  const traffic = new TrafficLog();
  const ctx = { traffic } as unknown as ProxyContext;
  // As buildApp does: close does not wait for sockets the test's fetch client still holds in its pool.
  const app = Fastify({ forceCloseConnections: true });
  let base: string;

  beforeAll(async () => {
    registerUiRoutes(app, ctx, { heartbeatMs: 40, maxStreams: 2, replay: 3 });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await app.close();
  });

  const entry = (n: number) => ({
    time: new Date(0).toISOString(),
    method: "POST",
    route: `/r${n}`,
    status: 200,
    spans: { PL2: n, PL3: 0, PL4: 0 },
    totalMs: 1,
    streamed: false,
  });

  async function waitFor(check: () => boolean): Promise<void> {
    const deadline = Date.now() + 3_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error("condition not met");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it("replays a bounded number of entries, sends heartbeats and unsubscribes when the client leaves", async () => {
    for (let i = 1; i <= 5; i++) traffic.record(entry(i));
    const ctl = new AbortController();
    const sse = sseReader(await fetch(`${base}/v1/memprivacy/traffic`, { signal: ctl.signal }));
    await sse.until((t) => t.includes("event: ready"));
    expect(trafficEvents(sse.text()).map((e) => e.route)).toEqual(["/r3", "/r4", "/r5"]);
    await waitFor(() => traffic.subscribers === 1);
    await sse.until((t) => t.includes(": ping"));
    traffic.record(entry(6));
    await sse.until((t) => trafficEvents(t).some((e) => e.route === "/r6"));
    ctl.abort();
    await waitFor(() => traffic.subscribers === 0);
  });

  it("closes the oldest stream when more than the limit are open", async () => {
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const readers = [];
    for (const ctl of controllers) {
      const sse = sseReader(await fetch(`${base}/v1/memprivacy/traffic`, { signal: ctl.signal }));
      await sse.until((t) => t.includes("event: ready"));
      readers.push(sse);
    }
    await waitFor(() => traffic.subscribers === 2);
    await expect(readers[0]?.until(() => false)).rejects.toThrow(/ended early|terminated|closed|other side/i);
    for (const ctl of controllers) ctl.abort();
    await waitFor(() => traffic.subscribers === 0);
  });
});

describe("proxy token", () => {
  let app: Awaited<ReturnType<typeof testApp>>["app"];
  let base: string;

  beforeAll(async () => {
    ({ app } = await testApp({ proxyToken: TOKEN }));
    base = await app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await app.close();
  });

  it("serves the page only with the right ?token=", async () => {
    expect((await app.inject({ method: "GET", url: "/" })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/?token=wrong-token-0123456789" })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/?token=" })).statusCode).toBe(401);
    const ok = await app.inject({ method: "GET", url: `/?token=${TOKEN}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers["content-security-policy"]).toBe(UI_CSP);
    expect((await app.inject({ method: "HEAD", url: `/?token=${TOKEN}` })).statusCode).toBe(200);
    expect(
      (await app.inject({ method: "GET", url: "/", headers: { "x-memprivacy-token": TOKEN } })).statusCode,
    ).toBe(200);
  });

  it("serves the static assets without the token (public code, no data)", async () => {
    for (const url of ["/ui/app.js", "/ui/app.css", "/ui/icon.svg"]) {
      expect((await app.inject({ method: "GET", url })).statusCode, url).toBe(200);
    }
    expect((await app.inject({ method: "GET", url: "/ui/other.js" })).statusCode).toBe(401);
  });

  it("accepts the query token for the page alone: the status, redact and restore need the header", async () => {
    const q = `?token=${TOKEN}`;
    expect((await app.inject({ method: "GET", url: "/v1/memprivacy/status" })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: `/v1/memprivacy/status${q}` })).statusCode).toBe(401);
    expect(
      (
        await app.inject({
          method: "GET",
          url: "/v1/memprivacy/status",
          headers: { "x-memprivacy-token": TOKEN },
        })
      ).statusCode,
    ).toBe(200);
    const redact = { method: "POST" as const, payload: { text: SEED } };
    expect((await app.inject({ ...redact, url: `/v1/redact${q}`, headers: PLAYGROUND })).statusCode).toBe(
      401,
    );
    expect(
      (
        await app.inject({
          ...redact,
          url: "/v1/redact",
          headers: { ...PLAYGROUND, "x-memprivacy-token": TOKEN },
        })
      ).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: "POST", url: `/?token=${TOKEN}`, payload: {} })).statusCode).toBe(401);
  });

  it("protects the traffic stream: header required, the query token is refused", async () => {
    expect((await fetch(`${base}/v1/memprivacy/traffic`)).status).toBe(401);
    expect((await fetch(`${base}/v1/memprivacy/traffic?token=${TOKEN}`)).status).toBe(401);
    const ctl = new AbortController();
    const res = await fetch(`${base}/v1/memprivacy/traffic`, {
      headers: { "x-memprivacy-token": TOKEN },
      signal: ctl.signal,
    });
    expect(res.status).toBe(200);
    await sseReader(res).until((t) => t.includes("event: ready"));
    ctl.abort();
  });
});

describe("ui disabled", () => {
  it("registers no page, and the query token and public assets no longer bypass the token", async () => {
    const { app } = await testApp({ proxyToken: TOKEN, ui: false });
    try {
      expect((await app.inject({ method: "GET", url: `/?token=${TOKEN}` })).statusCode).toBe(401);
      expect((await app.inject({ method: "GET", url: "/ui/app.js" })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it("without a token the page paths fall through to the passthrough", async () => {
    const upstream = await startMockUpstream();
    const { app } = await testApp({ ui: false, upstream: upstream.url });
    try {
      const res = await app.inject({ method: "GET", url: "/v1/memprivacy/status" });
      expect(res.statusCode).toBe(200);
      expect(upstream.received.map((r) => r.url)).toEqual(["/v1/memprivacy/status"]);
    } finally {
      await app.close();
      await upstream.close();
    }
  });
});
