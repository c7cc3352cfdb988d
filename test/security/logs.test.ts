/**
 * Security regression: nothing private in logs, error bodies or metrics (README "Reliability and security").
 * Under every fault and bad input below — at log level `trace` — every log line, every error body the proxy made
 * and every metric is read back and searched for the canaries, the credentials (Authorization, x-api-key,
 * proxy token, a wrong token), a marker carried in each request body, and values put in URLs and headers.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type LogSink } from "../helpers/app.js";
import { CANARY, CANARY_TEXT, CANARY_VALUES } from "../helpers/canaries.js";
import { failingDetector, hangingDetector } from "../helpers/detectors.js";
import { exposedSecrets, scrapeMetrics, secretsIn } from "../helpers/leak-check.js";
import { sendJson, startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";

type App = Awaited<ReturnType<typeof testApp>>["app"];

const API_KEY = "sk-logs-secret-credential-7f3a9";
const X_API_KEY = "sk-ant-logs-secret-credential-2b";
const PROXY_TOKEN = "proxy-token-logs-0123456789abcdef";
const WRONG_TOKEN = "wrong-token-logs-fedcba9876543210";
/** Not private to the detector, so only the absence of body logging keeps it out of the logs. */
const BODY_MARKER = "body-marker-4c1d-unlogged";
const URL_MARKER = "url-marker-9e2b-unlogged";
const SECRETS = [
  ...CANARY_VALUES,
  API_KEY,
  X_API_KEY,
  PROXY_TOKEN,
  WRONG_TOKEN,
  BODY_MARKER,
  URL_MARKER,
  CANARY_TEXT.slice(0, 30),
];
const TEXT = `${CANARY_TEXT} ${BODY_MARKER}`;
const HEADERS = {
  authorization: `Bearer ${API_KEY}`,
  "x-memprivacy-user-name": CANARY.name,
  "content-type": "application/json",
};
const chatBody = (stream = false, text = TEXT): string =>
  JSON.stringify({ model: "m", stream, messages: [{ role: "user", content: text }] });

let upstream: MockUpstream;
let app: App;
const apps: App[] = [];
const sinks: LogSink[] = [];
/** Error bodies made by the proxy (catalogue errors, also as stream events). */
const errorBodies: string[] = [];

async function make(overrides: Parameters<typeof testApp>[0], deps: Parameters<typeof testApp>[1] = {}) {
  const made = await testApp({ upstream: upstream.url, logLevel: "trace", ...overrides }, deps);
  apps.push(made.app);
  sinks.push(made.sink);
  return made.app;
}

interface Sent {
  method?: "POST" | "GET";
  url?: string;
  headers?: Record<string, string>;
  payload?: string;
}

/** Sends a request; keeps the body when the proxy made an error of it. Returns the status. */
async function send(target: App, sent: Sent): Promise<number> {
  const res = await target.inject({
    method: sent.method ?? "POST",
    url: sent.url ?? "/v1/chat/completions",
    headers: sent.headers ?? HEADERS,
    ...(sent.payload === undefined ? {} : { payload: sent.payload }),
  });
  if (String(res.headers["content-type"]).startsWith("text/event-stream")) {
    // A stream carries the caller's own restored text; only its error events are the proxy's words.
    for (const event of res.body.split("\n\n")) if (event.includes("PRX_")) errorBodies.push(event);
  } else if (res.body.includes("PRX_")) errorBodies.push(res.body);
  return res.statusCode;
}

async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  upstream = await startMockUpstream();
  upstream.handle(openAIEcho);
  app = await make({
    bodyLimit: 64 * 1024,
    headersTimeoutMs: 300,
    bodyTimeoutMs: 300,
    maxEventBytes: 4096,
    anthropicUpstream: upstream.url,
  });
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await upstream.close();
});

/** Each case: what is sent, and the status it must end with. */
const CASES: [string, () => Promise<number>, number][] = [
  ["malformed JSON", () => send(app, { payload: chatBody().slice(0, -20) }), 400],
  [
    "a schema violation",
    () => send(app, { payload: JSON.stringify({ messages: [{ role: 42, content: TEXT }] }) }),
    400,
  ],
  [
    "a wrong content type",
    () => send(app, { headers: { ...HEADERS, "content-type": "text/plain" }, payload: TEXT }),
    415,
  ],
  ["a body over the limit", () => send(app, { payload: chatBody(false, TEXT.repeat(400)) }), 413],
  [
    "a body nested too deep",
    () => send(app, { payload: `{"messages":${"[".repeat(300)}"${TEXT}"${"]".repeat(300)}}` }),
    400,
  ],
  ["prototype poisoning", () => send(app, { payload: `{"__proto__":{"x":"${TEXT}"},"messages":[]}` }), 400],
  [
    "a malformed session header",
    () =>
      send(app, {
        headers: { ...HEADERS, "x-memprivacy-session": `s ${CANARY.password} ${URL_MARKER}` },
        payload: chatBody(),
      }),
    400,
  ],
  [
    "a malformed user-name header",
    () =>
      send(app, {
        headers: { ...HEADERS, "x-memprivacy-user-name": `%E0%A4%A${CANARY.name}` },
        payload: chatBody(),
      }),
    400,
  ],
  [
    "ad-hoc redact with originals",
    () =>
      send(app, {
        url: "/v1/redact",
        payload: JSON.stringify({ text: TEXT, user_name: CANARY.name, include_originals: true }),
      }),
    200,
  ],
  [
    "ad-hoc restore",
    () => send(app, { url: "/v1/restore", payload: JSON.stringify({ text: "<Email_1> <Password_1>" }) }),
    200,
  ],
  [
    "an upstream 500 that echoes the prompt",
    async () => {
      upstream.handle((req, res) => sendJson(res, 500, { error: { message: req.body } }));
      return send(app, { payload: chatBody() });
    },
    500,
  ],
  [
    "an upstream that hangs past the headers timeout",
    async () => {
      upstream.handle(() => undefined);
      return send(app, { payload: chatBody() });
    },
    504,
  ],
  [
    "an upstream reset mid-stream",
    async () => {
      upstream.handle((req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const content = req.body.slice(0, 200);
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`, () =>
          res.socket?.destroy(),
        );
      });
      return send(app, { payload: chatBody(true) });
    },
    200,
  ],
  [
    "garbage SSE holding the forwarded text",
    async () => {
      upstream.handle((req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(`data: {broken ${req.body.slice(0, 300)}\n\nno colon line\n\ndata: [DONE]\n\n`);
      });
      return send(app, { payload: chatBody(true) });
    },
    200,
  ],
  [
    "an upstream event over the size cap",
    async () => {
      upstream.handle((req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(`data: ${req.body.repeat(20)}\n\n`);
      });
      return send(app, { payload: chatBody(true) });
    },
    200,
  ],
  [
    "an upstream that refuses connections",
    async () =>
      send(await make({ upstream: `http://127.0.0.1:${await deadPort()}` }), { payload: chatBody() }),
    502,
  ],
  [
    "a detector that throws (with a value in its message)",
    async () =>
      send(await make({}, { detector: failingDetector(`${CANARY.password} ${BODY_MARKER}`) }), {
        payload: chatBody(),
      }),
    503,
  ],
  [
    "a detector that hangs",
    async () =>
      send(await make({ detectTimeoutMs: 100 }, { detector: hangingDetector() }), { payload: chatBody() }),
    503,
  ],
  [
    "a wrong proxy token",
    async () =>
      send(await make({ proxyToken: PROXY_TOKEN }), {
        headers: { ...HEADERS, "x-memprivacy-token": WRONG_TOKEN },
        payload: chatBody(),
      }),
    401,
  ],
  [
    "passthrough with values in the path, the query and the body (body refused by default)",
    () =>
      send(app, {
        url: `/v1/files/${encodeURIComponent(CANARY.email)}?q=${CANARY.phone}&m=${URL_MARKER}`,
        payload: chatBody(),
      }),
    403,
  ],
  [
    "passthrough with values in the path, the query and the body (bodies forwarded)",
    async () => {
      upstream.handle((_req, res) => sendJson(res, 404, { error: { message: "no such file" } }));
      return send(await make({ passthroughBodies: "forward" }), {
        url: `/v1/files/${encodeURIComponent(CANARY.email)}?q=${CANARY.phone}&m=${URL_MARKER}`,
        payload: chatBody(),
      });
    },
    404,
  ],
  [
    "an invalid Anthropic body with an x-api-key",
    () =>
      send(app, {
        url: "/v1/messages",
        headers: { "x-api-key": X_API_KEY, "content-type": "application/json" },
        payload: JSON.stringify({ model: "c", messages: TEXT }),
      }),
    400,
  ],
];

describe("logs, error bodies and metrics hold no value under faults and bad input", () => {
  it.each(CASES)("%s", async (_name, run, status) => {
    expect(await run()).toBe(status);
    upstream.handle(openAIEcho);
    for (const [i, sink] of sinks.entries()) {
      expect(sink.lines.length, `sink ${i} is written`).toBeGreaterThan(0);
      expect(secretsIn(sink.text, SECRETS), `log lines of app ${i}`).toEqual([]);
    }
    expect(secretsIn(errorBodies.join("\n"), SECRETS), "error bodies").toEqual([]);
  });

  it("every app's metrics and the main app's status page are value-free; the logs say what happened", async () => {
    for (const a of apps) {
      const metrics = await scrapeMetrics(a, { "x-memprivacy-token": PROXY_TOKEN });
      expect(secretsIn(metrics, SECRETS)).toEqual([]);
    }
    expect(await exposedSecrets(app, sinks[0] as LogSink, SECRETS)).toEqual([]);
    const status = await app.inject({ method: "GET", url: "/v1/memprivacy/status" });
    if (status.statusCode === 200) expect(secretsIn(status.body, SECRETS)).toEqual([]);
    // The logs are not empty of facts: codes and span counts are there (the searches above can fail).
    const all = sinks.map((s) => s.text).join("\n");
    for (const code of [
      "PRX_REQ_INVALID_JSON",
      "PRX_UPSTREAM_TIMEOUT",
      "PRX_DETECT_FAILED",
      "PRX_AUTH_MISSING_TOKEN",
    ])
      expect(all).toContain(code);
    expect(all).toMatch(/"spans":\{"PL2":\d+,"PL3":\d+,"PL4":\d+\}/);
    expect(errorBodies.length).toBeGreaterThan(10);
  });
});
