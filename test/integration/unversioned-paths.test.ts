/**
 * The redacted routes also answer where SDKs send them when a base URL lacks `/v1` (the Vercel AI SDK's
 * Anthropic provider with ANTHROPIC_BASE_URL=http://host:port posts to `/messages`): redacted, forwarded
 * to the upstream's `/v1/…`, restored. Anthropic paths get Anthropic-shaped errors in both forms, and a
 * refused body never advises forwarding it unredacted.
 */
import type http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CANARY, CANARY_TEXT, leakedCanaries } from "../helpers/canaries.js";
import { startProxyAndMock, stopProxyAndMock, type TestApp } from "../helpers/app.js";
import { anthropicEcho } from "../helpers/anthropic-mock.js";
import { embeddingsAndCompletionsEcho } from "../helpers/embeddings-mock.js";
import type { MockUpstream, Recorded } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";
import { responsesEcho } from "../helpers/responses-mock.js";
import { familyOf } from "../../src/providers/families.js";

let upstream: MockUpstream;
let app: TestApp;
let base: string;

async function echo(req: Recorded, res: http.ServerResponse): Promise<void> {
  if (req.url.startsWith("/v1/messages")) return anthropicEcho(req, res);
  if (req.url.startsWith("/v1/responses")) return responsesEcho(req, res);
  if (req.url.startsWith("/v1/chat/")) return openAIEcho(req, res);
  return embeddingsAndCompletionsEcho(req, res);
}

beforeAll(async () => {
  ({ upstream, app, base } = await startProxyAndMock(echo, (url) => ({
    upstream: url,
    anthropicUpstream: url,
  })));
});
afterAll(() => stopProxyAndMock({ app, upstream }));
beforeEach(() => {
  upstream.received.length = 0;
});

async function post(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": "sk-ant-caller",
      "x-memprivacy-user-name": CANARY.name,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

const anthropicBody = {
  model: "claude-test",
  max_tokens: 64,
  messages: [{ role: "user", content: CANARY_TEXT }],
};

describe("redacted routes without the /v1 prefix", () => {
  it.each([
    ["/messages", anthropicBody],
    ["/messages?beta=true", anthropicBody],
    ["/messages/count_tokens", anthropicBody],
    ["/chat/completions", { model: "m", messages: [{ role: "user", content: CANARY_TEXT }] }],
    ["/responses", { model: "m", input: CANARY_TEXT }],
    ["/responses/input_tokens", { model: "m", input: CANARY_TEXT }],
    ["/embeddings", { model: "m", input: CANARY_TEXT }],
    ["/completions", { model: "m", prompt: CANARY_TEXT }],
  ])("POST %s is redacted and forwarded to the upstream's /v1 path", async (path, body) => {
    const res = await post(path, body);
    expect(res.status, res.text).toBe(200);
    expect(upstream.received.map((r) => r.url)).toEqual([`/v1${path}`]);
    expect(leakedCanaries(upstream.allBytes())).toEqual([]);
    expect(upstream.received[0]?.body).toContain("<Email_1>");
    if (!path.includes("count_tokens") && !path.includes("input_tokens") && path !== "/embeddings")
      expect(res.text).toContain(CANARY.email);
  });

  it("a streamed Anthropic answer on /messages is restored", async () => {
    const res = await post("/messages", { ...anthropicBody, stream: true });
    expect(res.status).toBe(200);
    expect(res.text).toContain("event: message_stop");
    const text = res.text
      .split("\n")
      .filter((l) => l.startsWith("data: "))
      .map((l) => JSON.parse(l.slice(6)) as { delta?: { text?: string } })
      .map((e) => e.delta?.text ?? "")
      .join("");
    expect(text).toBe(`You said: ${CANARY_TEXT}`);
    expect(leakedCanaries(upstream.allBytes())).toEqual([]);
  });
});

describe("error shapes follow the API of the path, with or without /v1", () => {
  it.each(["/messages", "/v1/messages", "/messages/count_tokens", "/v1/messages/batches"])(
    "%s answers a bad body with an Anthropic-shaped error",
    async (path) => {
      const res = await post(path, "{not json");
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
      expect(upstream.received).toHaveLength(0);
    },
  );

  it.each(["/chat/completions", "/responses"])(
    "%s answers a bad body with an OpenAI-shaped error",
    async (path) => {
      const res = await post(path, "{not json");
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: "PRX_REQ_INVALID_JSON", param: null } });
    },
  );

  it("familyOf knows both forms and no look-alikes", () => {
    expect(familyOf("/v1/messages").id).toBe("anthropic");
    expect(familyOf("/messages?beta=true").id).toBe("anthropic");
    expect(familyOf("/messages/batches/msgbatch_1/results").id).toBe("anthropic");
    expect(familyOf("/v1/messagesX").id).toBe("openai");
    expect(familyOf("/v1/chat/completions").id).toBe("openai");
    expect(familyOf("/chat/completions?messages").id).toBe("openai");
  });
});

describe("a refused body", () => {
  it("names the base URLs and never advises forwarding bodies unredacted", async () => {
    const res = await post("/v1/files", { purpose: "batch", text: CANARY_TEXT });
    expect(res.status).toBe(403);
    const body = JSON.parse(res.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("PRX_ROUTE_NOT_REDACTED");
    expect(body.error.message).toContain("/v1 (OPENAI_BASE_URL)");
    expect(body.error.message).toContain("ANTHROPIC_BASE_URL");
    expect(body.error.message).not.toMatch(/passthrough|unredacted|=forward/i);
    expect(upstream.received).toHaveLength(0);
  });
});
