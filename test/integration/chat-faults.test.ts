import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CANARY, CANARY_TEXT, CANARY_VALUES, leakedCanaries } from "../helpers/canaries.js";
import { testApp, type LogSink } from "../helpers/app.js";
import { failingDetector, hangingDetector } from "../helpers/detectors.js";
import { sendJson, startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";

type App = Awaited<ReturnType<typeof testApp>>["app"];
let upstream: MockUpstream;
let app: App;
let sink: LogSink;
let base: string;

const headers = {
  authorization: "Bearer sk-fault",
  "x-memprivacy-user-name": CANARY.name,
  "content-type": "application/json",
};
const body = (stream: boolean): string =>
  JSON.stringify({ model: "m", stream, messages: [{ role: "user", content: CANARY_TEXT }] });
const post = (stream = false, at = base): Promise<Response> =>
  fetch(`${at}/v1/chat/completions`, { method: "POST", headers, body: body(stream) });

beforeAll(async () => {
  upstream = await startMockUpstream();
  ({ app, sink } = await testApp({ upstream: upstream.url, headersTimeoutMs: 400, bodyTimeoutMs: 400 }));
  base = await app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await app.close();
  await upstream.close();
});
afterEach(async () => {
  upstream.handle(openAIEcho);
  // the proxy keeps serving after every fault
  const ok = await post();
  expect(ok.status).toBe(200);
  expect(
    ((await ok.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content,
  ).toBe(`You said: ${CANARY_TEXT}`);
  expect(leakedCanaries(upstream.allBytes())).toEqual([]);
  for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
});

describe("chat completions under upstream faults", () => {
  it("maps a refused connection to 502 with an OpenAI-shaped error", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const dead = await testApp({ upstream: `http://127.0.0.1:${port}` });
    try {
      const res = await dead.app.inject({
        method: "POST",
        url: "/v1/chat/completions",
        headers,
        payload: body(false),
      });
      expect(res.statusCode).toBe(502);
      expect(res.json<{ error: { code: string } }>().error.code).toBe("PRX_UPSTREAM_UNREACHABLE");
      for (const v of CANARY_VALUES) expect(res.body).not.toContain(v);
    } finally {
      await dead.app.close();
    }
  });

  it.each([500, 429])("passes a %i through with its body, restored", async (status) => {
    upstream.handle((req, res) => {
      const sent = JSON.parse(req.body) as { messages: { content: string }[] };
      sendJson(res, status, {
        error: { message: `rejected: ${sent.messages[0]?.content.slice(0, 60)}`, type: "x" },
      });
    });
    const res = await post();
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(text).toContain("rejected: I am Zhang San");
  });

  it("answers 504 when the upstream hangs past the headers timeout", async () => {
    upstream.handle(() => undefined);
    const res = await post();
    expect(res.status).toBe(504);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("PRX_UPSTREAM_TIMEOUT");
  });

  it("ends a stream reset mid-body with one final error event", async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      // Reset once the first event is on the wire (an event, not a clock).
      res.write(
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "Hi <Real_Na" }, finish_reason: null }] })}\n\n`,
        () => res.socket?.destroy(),
      );
    });
    const res = await post(true);
    const wire = await res.text();
    const events = wire.split("\n\n").filter((e) => e.startsWith("data: "));
    const last = JSON.parse((events.at(-1) ?? "").slice(6)) as { error?: { code: string } };
    expect(last.error?.code).toBe("PRX_STREAM_INTERRUPTED");
    expect(wire).toContain("Hi ");
    expect(wire.match(/"error"/g)).toHaveLength(1);
  });

  it("forwards garbage SSE data untouched and still ends the stream", async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end("data: not json\n\nrandom line without colon\n\ndata: [DONE]\n\n");
    });
    const wire = await (await post(true)).text();
    expect(wire).toContain("data: not json");
    expect(wire.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("ends with an error event when an upstream event exceeds the size cap", async () => {
    const small = await testApp({ upstream: upstream.url, maxEventBytes: 2048 });
    const at = await small.app.listen({ host: "127.0.0.1", port: 0 });
    try {
      upstream.handle((_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(`data: ${"x".repeat(10_000)}\n\n`);
      });
      const wire = await (await post(true, at)).text();
      expect(wire).toContain("PRX_STREAM_EVENT_TOO_LARGE");
    } finally {
      await small.app.close();
    }
  });

  it("aborts the upstream request when the client disconnects mid-stream", async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    upstream.handle((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(
        () =>
          res.write(
            `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "x" }, finish_reason: null }] })}\n\n`,
          ),
        10,
      );
      res.on("close", () => {
        clearInterval(timer);
        closed();
      });
    });
    const controller = new AbortController();
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: "POST",
      headers,
      body: body(true),
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    await reader?.read();
    controller.abort();
    await upstreamClosed;
  });
});

describe("a client that reads slowly", () => {
  it("pauses the upstream stream instead of buffering it (backpressure)", async () => {
    let written = 0;
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((resolve) => (closed = resolve));
    const event = `data: ${JSON.stringify({
      choices: [{ index: 0, delta: { content: "y".repeat(2000) }, finish_reason: null }],
    })}\n\n`;
    upstream.handle((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      let stopped = false;
      // Writes as fast as the proxy takes it, up to 512 MB: far more than any buffer between the two.
      const pump = (): void => {
        while (!stopped && written < 512 * 1024 * 1024) {
          written += event.length;
          if (!res.write(event)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      res.on("close", () => {
        stopped = true;
        closed();
      });
      pump();
    });
    // A raw socket that sends the request and then reads nothing: only the kernel's buffers take bytes.
    const url = new URL(base);
    const socket = net.connect(Number(url.port), url.hostname);
    const payload = body(true);
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: ${headers.authorization}\r\n` +
        `x-memprivacy-user-name: ${headers["x-memprivacy-user-name"]}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
    );
    socket.pause();
    try {
      // Once every buffer on the way is full, the upstream is held where it is.
      let before = -1;
      for (let i = 0; i < 40 && written !== before; i++) {
        before = written;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(written).toBe(before);
      expect(written).toBeLessThan(256 * 1024 * 1024);
    } finally {
      socket.destroy();
    }
    await upstreamClosed;
  });
});

describe("fail closed", () => {
  it.each([
    ["throws", () => failingDetector(CANARY.password), "PRX_DETECT_FAILED"],
    ["hangs", () => hangingDetector(), "PRX_DETECT_TIMEOUT"],
  ])("refuses with 503 and forwards nothing when the detector %s", async (_name, make, code) => {
    const closed = await testApp({ upstream: upstream.url, detectTimeoutMs: 200 }, { detector: make() });
    try {
      const before = upstream.received.length;
      const res = await closed.app.inject({
        method: "POST",
        url: "/v1/chat/completions",
        headers,
        payload: body(false),
      });
      expect(res.statusCode).toBe(503);
      expect(res.json<{ error: { code: string; type: string } }>().error).toMatchObject({
        code,
        type: "server_error",
      });
      expect(upstream.received.length).toBe(before);
      expect(closed.sink.text).not.toContain(CANARY.password);
      expect(res.body).not.toContain(CANARY.password);
    } finally {
      await closed.app.close();
    }
  });
});
