/**
 * Input fuzzing (fast-check, fixed seed): random JSON bodies — valid request templates with random values in
 * random places, whole random JSON values, random bytes, control characters and lone surrogates — sent to
 * every route. The server must answer 2xx or a 4xx with an API-shaped error (never a 500 for client input),
 * keep serving, and log none of what it was sent. Nesting and element counts are bounded.
 */
import fc from "fast-check";
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type LogSink } from "../helpers/app.js";
import { CANARY, CANARY_TEXT, CANARY_VALUES } from "../helpers/canaries.js";
import { exposedSecrets } from "../helpers/leak-check.js";
import { sendJson, startMockUpstream, type MockUpstream, type Recorded } from "../helpers/mock-upstream.js";

type App = Awaited<ReturnType<typeof testApp>>["app"];
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SEED = 42;
const AUTH = "Bearer sk-fuzz-credential-0001";
let upstream: MockUpstream;
let app: App;
let sink: LogSink;

/** An upstream that answers anything: it echoes the start of what it received, as JSON or as SSE. */
function fuzzUpstream(req: Recorded, res: http.ServerResponse): void {
  let stream = false;
  try {
    stream = (JSON.parse(req.body) as { stream?: unknown } | null)?.stream === true;
  } catch {
    // not JSON: answer as JSON
  }
  const echo = req.body.slice(0, 400);
  if (stream) {
    const event = {
      type: "content_block_delta",
      index: 0,
      delta: { type: "text_delta", text: echo },
      choices: [{ index: 0, delta: { content: echo }, finish_reason: null }],
    };
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(`data: ${JSON.stringify(event)}\n\ndata: [DONE]\n\n`);
    return;
  }
  sendJson(res, 200, {
    id: "x",
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: echo }, text: echo }],
    content: [{ type: "text", text: echo }],
    output: [{ type: "message", content: [{ type: "output_text", text: echo }] }],
    data: [],
    input_tokens: 3,
  });
}

/** A valid request for each route: the fuzzer replaces parts of it with random values. */
const TEMPLATES: Record<string, Json> = {
  "/v1/redact": { text: CANARY_TEXT, levels: "PL2-PL4", mode: "type_specific", user_name: CANARY.name },
  "/v1/restore": { text: "Hello <Email_1> and [phone number 1]" },
  "/v1/chat/completions": {
    model: "gpt-test",
    stream: false,
    messages: [
      { role: "system", content: "be brief" },
      { role: "user", content: [{ type: "text", text: CANARY_TEXT }] },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: '{"to":"a@b.co"}' } }],
      },
      { role: "tool", tool_call_id: "c1", content: "sent" },
    ],
  },
  "/v1/messages": {
    model: "claude-test",
    max_tokens: 64,
    stream: false,
    system: "be brief",
    messages: [
      { role: "user", content: [{ type: "text", text: CANARY_TEXT }] },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "f", input: { to: "a@b.co" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "sent" }] },
    ],
  },
  "/v1/messages/count_tokens": {
    model: "claude-test",
    messages: [{ role: "user", content: CANARY_TEXT }],
  },
  "/v1/responses": {
    model: "gpt-test",
    stream: false,
    instructions: "be brief",
    input: [
      { role: "user", content: [{ type: "input_text", text: CANARY_TEXT }] },
      { type: "function_call", call_id: "c1", name: "f", arguments: '{"to":"a@b.co"}' },
      { type: "function_call_output", call_id: "c1", output: "sent" },
    ],
  },
  "/v1/embeddings": { model: "emb", input: [CANARY_TEXT, "second"] },
  "/v1/completions": { model: "gpt-test-instruct", prompt: CANARY_TEXT, stream: false },
  "/v1/messages/batches": {
    requests: [
      {
        custom_id: "a",
        params: { model: "claude-test", max_tokens: 8, messages: [{ role: "user", content: CANARY_TEXT }] },
      },
    ],
  },
  "/v1/images/generations": { model: "dall-e-test", prompt: CANARY_TEXT, size: "1024x1024" },
  "/v1/moderations": {
    model: "omni-moderation-test",
    input: [CANARY_TEXT, { type: "text", text: CANARY_TEXT }],
  },
};
/**
 * Odd request targets, fuzzed with the chat template: percent-escapes that do not decode (a canary in the
 * query, which must reach no log), dot segments plain, encoded and double-encoded, encoded slashes, `//`.
 * (Absolute-form and asterisk-form targets need a raw socket: test/security/error-catalogue.test.ts.)
 */
const ODD_TARGETS = [
  `/v1/chat/completions%zz?email=${encodeURIComponent(CANARY.email)}`,
  "/v1/messages/%zz",
  "/v1/%2e%2e/chat/completions",
  "/v1/chat/completions/%252e%252e/x",
  "/v1/audio%2f..%2ffiles",
  "/v1//chat/completions",
  "/v1/chat/completions%00",
];
for (const target of ODD_TARGETS) TEMPLATES[target] = TEMPLATES["/v1/chat/completions"] as Json;
const ROUTES = Object.keys(TEMPLATES);

/** Single string units: any code point, control characters, lone surrogates, and placeholder pieces. */
const unit = fc.oneof(
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 6 },
  { arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), weight: 2 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), weight: 2 },
  { arbitrary: fc.constantFrom("<", ">", "_", "1", "Email", "\u200b", "＜", '"', "\\"), weight: 2 },
);
const randomString = fc.oneof(
  fc.string({ unit, maxLength: 40 }),
  fc.constantFrom(...CANARY_VALUES, "<Email_1>", "<Phone_Number_1>", "", " "),
);
const randomJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 4, stringUnit: unit }) as fc.Arbitrary<Json>;
const randomValue: fc.Arbitrary<Json> = fc.oneof(randomJson, randomString, fc.constant(true));

/** Every node of a JSON value as a path of keys, in pre-order (the root is the empty path). */
function pathsOf(value: Json, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}

/** A copy of `root` with the node at `path` replaced (or deleted when `value` is undefined). */
function replaceAt(
  root: Json,
  path: readonly (string | number)[],
  value: Json | undefined,
): Json | undefined {
  if (path.length === 0) return value;
  const copy = structuredClone(root);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = (node as Record<string, Json>)[key] as Json;
  const last = path.at(-1) as string | number;
  if (Array.isArray(node)) {
    if (value === undefined) node.splice(last as number, 1);
    else node[last as number] = value;
  } else {
    const record = node as Record<string, Json>;
    if (value === undefined) delete record[last];
    else record[last] = value;
  }
  return copy;
}

/** A template with up to three nodes replaced by random values or deleted. */
const mutatedBody = (template: Json): fc.Arbitrary<Json | undefined> =>
  fc
    .array(fc.tuple(fc.nat(), fc.option(randomValue, { nil: undefined, freq: 5 })), {
      minLength: 1,
      maxLength: 3,
    })
    .map((edits) => {
      let body: Json | undefined = template;
      for (const [pick, value] of edits) {
        if (body === undefined) break;
        const paths = pathsOf(body);
        body = replaceAt(body, paths[pick % paths.length] ?? [], value);
      }
      return body;
    });

interface Answer {
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Record<string, unknown>;
}

/** Asserts the contract for client input: 2xx, or a 4xx with an error shaped like the route's API. */
function expectClientOutcome(route: string, res: Answer, sent: string): void {
  const context = `${route} ${res.statusCode} for ${sent.slice(0, 300)}`;
  expect(res.statusCode >= 500, context).toBe(false);
  if (res.statusCode >= 400) {
    const parsed = JSON.parse(res.body) as { type?: string; error?: { message?: unknown; code?: unknown } };
    expect(typeof parsed.error?.message, context).toBe("string");
    expect(String(parsed.error?.code), context).toMatch(/^PRX_[A-Z_]+$/);
    if (route.startsWith("/v1/messages")) expect(parsed.type, context).toBe("error");
  } else if (String(res.headers["content-type"]).startsWith("application/json")) {
    expect(() => JSON.parse(res.body) as unknown, context).not.toThrow();
  }
}

async function send(route: string, payload: string | Buffer, contentType = "application/json") {
  return app.inject({
    method: "POST",
    url: route,
    headers: { authorization: AUTH, "content-type": contentType },
    payload,
  });
}

beforeAll(async () => {
  upstream = await startMockUpstream();
  upstream.handle(fuzzUpstream);
  ({ app, sink } = await testApp({
    upstream: upstream.url,
    anthropicUpstream: upstream.url,
    logLevel: "info",
  }));
});
afterAll(async () => {
  await app.close();
  await upstream.close();
});

describe("fuzzed JSON bodies on every route", () => {
  it.each(ROUTES)("%s: templates with random values in random places", async (route) => {
    const template = TEMPLATES[route] as Json;
    await fc.assert(
      fc.asyncProperty(mutatedBody(template), async (body) => {
        const sent = body === undefined ? "" : JSON.stringify(body);
        const res = await send(route, sent);
        expectClientOutcome(route, res, sent);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("whole random JSON values on every route", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), randomJson, async (route, body) => {
        const sent = JSON.stringify(body);
        expectClientOutcome(route, await send(route, sent), sent);
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it("random bytes and random text under any content type", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
          fc.string({ unit, maxLength: 200 }),
        ),
        fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "x/y"),
        async (route, payload, type) => {
          const res = await send(route, payload, type);
          expectClientOutcome(route, res, String(payload));
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it("keeps serving, and nothing it was sent reached a log line or a metric", async () => {
    const ok = await send("/v1/redact", JSON.stringify({ text: CANARY_TEXT, user_name: CANARY.name }));
    expect(ok.statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect(await exposedSecrets(app, sink, [...CANARY_VALUES, AUTH.slice(7)])).toEqual([]);
    // The fuzzer really reached the upstream through the redacting routes (the test can fail).
    expect(upstream.received.length).toBeGreaterThan(50);
  });
});

describe("nesting and size are bounded", () => {
  const email = CANARY.email;
  const nested = (depth: number, leaf: string): string =>
    `${"[".repeat(depth)}${JSON.stringify({ mail: leaf })}${"]".repeat(depth)}`;
  const chatWithArguments = (args: string): string =>
    JSON.stringify({
      model: "m",
      messages: [
        { role: "user", content: "hello" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: args } }],
        },
      ],
    });

  it.each([10, 70, 120])("masks a value %i levels deep inside tool-call arguments", async (depth) => {
    const before = upstream.received.length;
    const res = await send("/v1/chat/completions", chatWithArguments(`{"deep":${nested(depth, email)}}`));
    expect(res.statusCode).toBe(200);
    const forwarded = upstream.received.slice(before).map((r) => r.body);
    expect(forwarded).toHaveLength(1);
    expect(forwarded.join("")).not.toContain(email);
  });

  it("masks a value 100 levels deep inside an Anthropic tool_use input", async () => {
    const before = upstream.received.length;
    const input = JSON.parse(`{"deep":${nested(100, email)}}`) as Json;
    const res = await send(
      "/v1/messages",
      JSON.stringify({
        model: "c",
        max_tokens: 8,
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input }] },
        ],
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(
      upstream.received
        .slice(before)
        .map((r) => r.body)
        .join(""),
    ).not.toContain(email);
  });

  it("refuses tool-call arguments nested deeper than the body limit with 400, forwarding nothing", async () => {
    const before = upstream.received.length;
    const args = `{"to":${JSON.stringify(email)},"deep":${nested(100_000, "x")}}`;
    const res = await send("/v1/chat/completions", chatWithArguments(args));
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe("PRX_REQ_TOO_DEEP");
    expect(upstream.received.length).toBe(before);
  });

  it("refuses a body nested deeper than 128 or holding more than a million elements", async () => {
    const deep = await send("/v1/chat/completions", `{"messages":${"[".repeat(200)}${"]".repeat(200)}}`);
    expect(deep.statusCode).toBe(400);
    expect(deep.json<{ error: { code: string } }>().error.code).toBe("PRX_REQ_TOO_DEEP");
    const wide = await send("/v1/embeddings", `{"input":[${"0,".repeat(1_000_001)}0]}`);
    expect(wide.statusCode).toBe(400);
    expect(wide.json<{ error: { code: string } }>().error.code).toBe("PRX_REQ_TOO_DEEP");
  });

  it("serves a large array within the limits (8,000 content parts)", async () => {
    const parts = Array.from({ length: 8_000 }, (_, i) => ({ type: "text", text: `part ${i}` }));
    parts[5_432] = { type: "text", text: `mail ${email}` };
    const before = upstream.received.length;
    const res = await send(
      "/v1/chat/completions",
      JSON.stringify({ model: "m", messages: [{ role: "user", content: parts }] }),
    );
    expect(res.statusCode).toBe(200);
    expect(
      upstream.received
        .slice(before)
        .map((r) => r.body)
        .join(""),
    ).not.toContain(email);
  });

  it("answers 413 for a chat body over the body limit and keeps serving", async () => {
    const small = await testApp({ upstream: upstream.url, bodyLimit: 64 * 1024 });
    try {
      const res = await small.app.inject({
        method: "POST",
        url: "/v1/chat/completions",
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x".repeat(70_000) }] }),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json<{ error: { code: string } }>().error.code).toBe("PRX_REQ_TOO_LARGE");
      expect((await small.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await small.app.close();
    }
  });
});
