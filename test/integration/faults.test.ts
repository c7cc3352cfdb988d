/**
 * Fault suite, part two (part one: chat-faults.test.ts): an upstream that drips slower or faster than the
 * body timeout, answers invalid JSON on a 200, or ends an SSE stream without its blank line; a client that
 * goes away at every stage of a request. Each case ends in its documented status or final error event, with
 * no unhandled rejection, no socket left open on either side, nothing private in logs, error bodies or
 * /metrics, and the next request succeeds.
 */
import http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Detector, Span } from "../../src/detection/span.js";
import { createRuleDetector } from "../../src/detection/rules/index.js";
import { testApp, type LogSink } from "../helpers/app.js";
import { scriptedDetector } from "../helpers/detectors.js";
import { CANARY, CANARY_TEXT, CANARY_VALUES } from "../helpers/canaries.js";
import { chatView, chatViewOfStream } from "../helpers/chat-client.js";
import { exposedSecrets, settle } from "../helpers/leak-check.js";
import { startMockUpstream, type MockUpstream, type Recorded } from "../helpers/mock-upstream.js";
import { openAIEcho, pieces } from "../helpers/openai-mock.js";

type App = Awaited<ReturnType<typeof testApp>>["app"];

const AUTH = "Bearer sk-faults-credential-42";
const HEADERS = {
  authorization: AUTH,
  "x-memprivacy-user-name": CANARY.name,
  "content-type": "application/json",
};
const SECRETS = [...CANARY_VALUES, AUTH.slice(7)];
const body = (stream: boolean, text = CANARY_TEXT): string =>
  JSON.stringify({ model: "m", stream, messages: [{ role: "user", content: text }] });

/**
 * The rule detector, or — while `hang` is set — one that never answers and ignores its signal; `hung`
 * resolves when a detection has started hanging.
 */
function gatedDetector(): Detector & { hang: boolean; hung: Promise<void> } {
  const rules = createRuleDetector();
  let started: () => void = () => undefined;
  const d = {
    hang: false,
    hung: new Promise<void>((resolve) => (started = resolve)),
    info: () => ({ kind: "gated", id: "gated@1", ready: true }),
    detect: (input: Parameters<Detector["detect"]>[0], signal?: AbortSignal): Promise<Span[]> => {
      if (!d.hang) return rules.detect(input, signal);
      started();
      return new Promise<Span[]>(() => undefined);
    },
    close: async () => undefined,
  };
  return d;
}

/** The upstream's echo model, closing each connection after its answer (so open sockets can be counted). */
async function echoAndClose(req: Recorded, res: http.ServerResponse): Promise<void> {
  res.setHeader("connection", "close");
  await openAIEcho(req, res);
}

/** The placeholder the proxy forwarded for the user's name (the mock answers with it). */
function namePlaceholder(req: Recorded): string {
  const sent = JSON.parse(req.body) as { messages: { content: string }[] };
  return /<Real_Name_\d+>/.exec(sent.messages[0]?.content ?? "")?.[0] ?? "<none>";
}

let upstream: MockUpstream;
let app: App;
let sink: LogSink;
let port: number;
let detector: ReturnType<typeof gatedDetector>;
const rejections: unknown[] = [];
const onRejection = (reason: unknown): void => void rejections.push(reason);
/** Every error body a client received in this file (searched for secrets at the end of each case). */
const errorBodies: string[] = [];

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** One request on its own connection (no keep-alive), read to the end. */
function request(payload: string, path = "/v1/chat/completions"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: "POST", headers: HEADERS, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((res.statusCode ?? 0) >= 400 || text.includes('"error"')) errorBodies.push(text);
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"]), text });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/**
 * A request whose client goes away at a chosen moment: once `after` resolves, once half the body was
 * written, or on the first response bytes. Resolves when the client socket is closed.
 */
function abandon(
  payload: string,
  when: { readonly after: Promise<unknown> } | "half-body" | "first-bytes",
): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      path: "/v1/chat/completions",
      method: "POST",
      headers: { ...HEADERS, "content-length": Buffer.byteLength(payload) },
      agent: false,
    });
    req.on("error", () => undefined);
    req.on("close", () => resolve());
    req.on("response", (res) => {
      res.on("error", () => undefined);
      res.once("data", () => {
        if (when === "first-bytes") req.destroy();
      });
    });
    if (when === "half-body") {
      req.write(payload.slice(0, payload.length >> 1), () => req.destroy());
      return;
    }
    req.end(payload);
    if (typeof when === "object") void when.after.then(() => req.destroy());
  });
}

const appConnections = (): Promise<number> =>
  new Promise((resolve) => app.server.getConnections((_e, n) => resolve(n)));

beforeAll(async () => {
  process.on("unhandledRejection", onRejection);
  upstream = await startMockUpstream();
  detector = gatedDetector();
  ({ app, sink } = await testApp(
    { upstream: upstream.url, headersTimeoutMs: 2000, bodyTimeoutMs: 300, detectTimeoutMs: 10_000 },
    { detector },
  ));
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await app.close();
  await upstream.close();
});
afterEach(async () => {
  detector.hang = false;
  upstream.handle(echoAndClose);
  // No socket left open on either side, no unhandled rejection.
  expect(await settle(appConnections, 0)).toBe(0);
  expect(await settle(() => upstream.connections(), 0)).toBe(0);
  expect(rejections).toEqual([]);
  // The next request succeeds, restored, over fresh sockets that close again.
  const next = await request(body(true));
  expect(next.status).toBe(200);
  expect(chatViewOfStream(next.text).content).toBe(`You said: ${CANARY_TEXT}`);
  expect(await settle(() => upstream.connections(), 0)).toBe(0);
  // Nothing private reached the upstream, a log line, an error body or a metric.
  expect(upstream.allBytes()).not.toContain(CANARY.email);
  expect(await exposedSecrets(app, sink, SECRETS, errorBodies)).toEqual([]);
});

describe("slow upstream (bodyTimeoutMs 300: the longest silence allowed between two body chunks)", () => {
  /**
   * Slower than the timeout. undici checks body timeouts on a coarse clock (ticks of ~0.5 s), so a silence
   * fails somewhere between bodyTimeoutMs and bodyTimeoutMs + 1 s: the drip must be slower than that.
   */
  const SLOWER_MS = 1600;
  /** Answers with headers, then the body one piece per `everyMs`. */
  const drip =
    (wire: (req: Recorded) => string, type: string, everyMs: number, pieceSize: number) =>
    (req: Recorded, res: http.ServerResponse): void => {
      res.writeHead(200, { "content-type": type, connection: "close" });
      const parts = pieces(wire(req), pieceSize);
      const timer = setInterval(() => {
        const next = parts.shift();
        if (next === undefined) {
          clearInterval(timer);
          res.end();
        } else res.write(next);
      }, everyMs);
      res.on("close", () => clearInterval(timer));
    };
  const chunk = (content: string): string =>
    `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  const sseWire = (req: Recorded): string =>
    `${chunk(`Hello ${namePlaceholder(req)}, `)}${chunk("welcome back.")}data: [DONE]\n\n`;
  const jsonWire = (req: Recorded): string =>
    JSON.stringify({
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: `Hello ${namePlaceholder(req)}.` } }],
    });

  it("a stream dripping slower than the timeout ends with one final error event (PRX_UPSTREAM_TIMEOUT)", async () => {
    upstream.handle(drip(sseWire, "text/event-stream", SLOWER_MS, 40));
    const res = await request(body(true));
    expect(res.status).toBe(200);
    const view = chatViewOfStream(res.text);
    expect(view.errors.map((e) => e.code)).toEqual(["PRX_UPSTREAM_TIMEOUT"]);
    expect(view.done).toBe(false);
  });

  it("a JSON body dripping slower than the timeout is a 504 (PRX_UPSTREAM_TIMEOUT)", async () => {
    upstream.handle(drip(jsonWire, "application/json", SLOWER_MS, 10));
    const res = await request(body(false));
    expect(res.status).toBe(504);
    expect((JSON.parse(res.text) as { error: { code: string } }).error.code).toBe("PRX_UPSTREAM_TIMEOUT");
  });

  it.each([
    ["stream", true],
    ["JSON body", false],
  ])("a %s dripping under the timeout completes, restored across the drip's cuts", async (_n, stream) => {
    upstream.handle(
      stream ? drip(sseWire, "text/event-stream", 100, 23) : drip(jsonWire, "application/json", 100, 17),
    );
    const res = await request(body(stream));
    expect(res.status).toBe(200);
    const view = chatView(res.contentType, res.text);
    expect(view.errors).toEqual([]);
    expect(view.content).toBe(stream ? `Hello ${CANARY.name}, welcome back.` : `Hello ${CANARY.name}.`);
  });
});

describe("malformed upstream answers", () => {
  it("passes an invalid JSON body on a 200 through as text, restored (not a 500)", async () => {
    let cut = "";
    upstream.handle((req, res) => {
      // Truncated mid-object: what a proxy or a crashed upstream sends.
      cut = `{"object":"chat.completion","choices":[{"message":{"content":"Hi ${namePlaceholder(req)}, your`;
      res.writeHead(200, { "content-type": "application/json", connection: "close" });
      res.end(cut);
    });
    const res = await request(body(false));
    expect(res.status).toBe(200);
    expect(res.text).toBe(cut.replace(/<Real_Name_\d+>/, CANARY.name));
  });

  it("restores a non-JSON text body on a 200", async () => {
    upstream.handle((req, res) => {
      res.writeHead(200, { "content-type": "text/plain", connection: "close" });
      res.end(`plain answer for ${namePlaceholder(req)}`);
    });
    const res = await request(body(false));
    expect(res.status).toBe(200);
    expect(res.contentType).toContain("text/plain");
    expect(res.text).toBe(`plain answer for ${CANARY.name}`);
  });

  it("restores a value with quotes and backslashes as it was in a text body, JSON-escaped only in JSON", async () => {
    const secret = 'pa"ss\\word';
    const own = await testApp(
      { upstream: upstream.url },
      { detector: scriptedDetector([{ value: secret, type: "Password", level: "PL4" }]) },
    );
    try {
      for (const type of ["text/plain", "application/json"]) {
        upstream.handle((req, res) => {
          res.writeHead(200, { "content-type": type, connection: "close" });
          // not valid JSON either way: the proxy restores it as text
          res.end(`{"cut": "your password is ${/<Password_\d+>/.exec(req.body)?.[0] ?? ""}`);
        });
        const res = await own.app.inject({
          method: "POST",
          url: "/v1/chat/completions",
          headers: HEADERS,
          payload: body(false, `my password: ${secret}`),
        });
        expect(res.statusCode).toBe(200);
        const inside = type === "text/plain" ? secret : JSON.stringify(secret).slice(1, -1);
        expect(res.body).toBe(`{"cut": "your password is ${inside}`);
      }
    } finally {
      await own.app.close();
    }
  });

  it("maps a reset in the middle of a JSON body to 502 (PRX_STREAM_INTERRUPTED)", async () => {
    upstream.handle((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
      // Reset once the first half is on the wire (an event, not a clock).
      res.write(`{"choices":[{"message":{"content":"Hi ${namePlaceholder(req)}`, () => res.socket?.destroy());
    });
    const res = await request(body(false));
    expect(res.status).toBe(502);
    expect((JSON.parse(res.text) as { error: { code: string } }).error.code).toBe("PRX_STREAM_INTERRUPTED");
  });

  it.each([
    ["a newline but no blank line", "\n"],
    ["no newline at all", ""],
  ])("delivers the last SSE event of a stream that ends with %s", async (_n, tail) => {
    upstream.handle((req, res) => {
      const last = JSON.stringify({
        object: "chat.completion.chunk",
        choices: [{ index: 0, delta: { content: `Bye ${namePlaceholder(req)}` }, finish_reason: null }],
      });
      res.writeHead(200, { "content-type": "text/event-stream", connection: "close" });
      res.end(
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "Ok. " } }] })}\n\ndata: ${last}${tail}`,
      );
    });
    const res = await request(body(true));
    expect(res.status).toBe(200);
    const view = chatViewOfStream(res.text);
    expect(view.content).toBe(`Ok. Bye ${CANARY.name}`);
    expect(view.errors).toEqual([]);
  });
});

describe("a client that goes away", () => {
  /**
   * The upstream side of the next request: `answering` resolves once it arrived and the upstream sent what
   * `respond` says (nothing, or half a JSON body), `closed` when its connection closes. No case waits on a
   * clock: the test's own timeout is the only limit, and the body and headers timeouts are far above it.
   */
  function watchUpstream(respond: "never" | "stream" | "half-json"): {
    answering: Promise<void>;
    closed: Promise<void>;
  } {
    let answering: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (answering = resolve));
    const closed = new Promise<void>((resolve) => {
      upstream.handle((req, res) => {
        res.on("close", () => resolve());
        if (respond === "never") return answering();
        if (respond === "half-json") {
          res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
          res.write(`{"choices":[{"message":{"content":"${namePlaceholder(req)}`, () => answering());
          return;
        }
        res.writeHead(200, { "content-type": "text/event-stream" });
        const timer = setInterval(
          () =>
            res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "x" } }] })}\n\n`),
          10,
        );
        res.on("close", () => clearInterval(timer));
      });
    });
    return { answering: answered, closed };
  }

  it("while sending its body: nothing is forwarded", async () => {
    const before = upstream.received.length;
    const done = sink.next("PRX_REQ_CLIENT_CLOSED");
    await abandon(body(false, CANARY_TEXT.repeat(50)), "half-body");
    await done;
    expect(upstream.received.length).toBe(before);
  });

  it("during detection (a detector that hangs): nothing is forwarded", async () => {
    detector.hang = true;
    const before = upstream.received.length;
    const aborted = sink.next("PRX_DETECT_ABORTED");
    await abandon(body(false), { after: detector.hung });
    await aborted;
    expect(upstream.received.length).toBe(before);
  });

  it("while waiting for the upstream's headers: the upstream request is aborted", async () => {
    const { answering, closed } = watchUpstream("never");
    await abandon(body(false), { after: answering });
    await closed;
  });

  it("while the upstream sends a JSON body: the upstream request is aborted", async () => {
    const { answering, closed } = watchUpstream("half-json");
    await abandon(body(false), { after: answering });
    await closed;
  });

  it("mid-stream: the upstream request is aborted", async () => {
    const { closed } = watchUpstream("stream");
    await abandon(body(true), "first-bytes");
    await closed;
  });
});
