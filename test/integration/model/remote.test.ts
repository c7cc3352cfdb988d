/**
 * The remote detector against a local OpenAI-compatible mock on 127.0.0.1:0: request shape (schema,
 * decoding settings, thinking off, raw non-ASCII), spans, and every failure path rejecting (fail closed).
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProxyError } from "../../../src/errors/catalogue.js";
import { chatCompletionsUrl, createRemoteDetector } from "../../../src/detection/remote/index.js";

/** The configuration's defaults (detectTimeoutMs, modelMaxTokens). */
const LIMITS = { timeoutMs: 60_000, maxTokens: 2048 } as const;
type Handler = (body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let base = "";
let handler: Handler = () => undefined;
const received: { body: Record<string, unknown>; auth: string | undefined; url: string }[] = [];

function answer(content: string, finish = "stop"): Handler {
  return (_b, _r, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finish }],
      }),
    );
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      received.push({ body, auth: req.headers.authorization, url: req.url ?? "" });
      handler(body, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (err) {
    return isProxyError(err) ? err.code : `other:${String(err)}`;
  }
}

describe("remote detector", () => {
  it("resolves the endpoint from a base URL", () => {
    expect(chatCompletionsUrl("http://h:8000")).toBe("http://h:8000/v1/chat/completions");
    expect(chatCompletionsUrl("http://h:8000/v1/")).toBe("http://h:8000/v1/chat/completions");
    expect(chatCompletionsUrl("http://h/x/v1/chat/completions")).toBe("http://h/x/v1/chat/completions");
  });

  it("sends the contract and returns located spans, dropping hallucinations", async () => {
    handler = answer(
      JSON.stringify([
        { original_text: "王小明", privacy_type: "Real Name", privacy_level: "PL2" },
        { original_text: "糖尿病", privacy_type: "Medical Health", privacy_level: "PL3" },
        { original_text: "not in text", privacy_type: "Password", privacy_level: "PL4" },
      ]),
    );
    const det = createRemoteDetector({ ...LIMITS, url: base, model: "memprivacy-4b", apiKey: "sk-remote" });
    const text = "我是王小明，我有糖尿病。";
    const spans = await det.detect({ text, userName: "王小明" });
    expect(spans.map((s) => [s.text, s.type, s.level, s.source])).toEqual([
      ["王小明", "Real Name", "PL2", "model:memprivacy-4b"],
      ["糖尿病", "Medical Health", "PL3", "model:memprivacy-4b"],
    ]);
    const last = received[received.length - 1];
    expect(last?.url).toBe("/v1/chat/completions");
    expect(last?.auth).toBe("Bearer sk-remote");
    const body = last?.body ?? {};
    expect(body).toMatchObject({
      model: "memprivacy-4b",
      temperature: 0.1,
      top_p: 0.1,
      repetition_penalty: 1.05,
      chat_template_kwargs: { enable_thinking: false },
      response_format: { type: "json_schema", json_schema: { name: "privacy_findings" } },
    });
    const messages = body.messages as { role: string; content: string }[];
    expect(messages).toHaveLength(1);
    expect(messages[0]?.role).toBe("user");
    expect(messages[0]?.content).toContain(
      '**User\'s Real Name:** 王小明\n\n**Current Input Dialogue:**\n{\n  "role": "user",\n  "content": "我是王小明，我有糖尿病。"\n}',
    );
    expect(det.info()).toMatchObject({ kind: "remote", ready: true });
    expect(det.info().id).toMatch(/^remote:memprivacy-4b@[0-9a-f]{16}$/);
  });

  it.each([
    ["truncated answer", answer('[{"original_text": "x"', "length")],
    ["invalid JSON", answer("I found a phone number.")],
    ["PL1 level", answer('[{"original_text": "tea", "privacy_type": "Preference", "privacy_level": "PL1"}]')],
    [
      "HTTP 500",
      (_b, _r, res) => {
        res.writeHead(500).end("{}");
      },
    ],
    [
      "dropped connection",
      (_b, _r, res) => {
        res.destroy();
      },
    ],
  ])("fails closed on %s", async (_, h) => {
    handler = h;
    const det = createRemoteDetector({ ...LIMITS, url: base, model: "m" });
    expect(await code(det.detect({ text: "tea please" }))).toBe("PRX_DETECT_FAILED");
  });

  it("times out and aborts with their own codes", async () => {
    handler = (_b, _r, res) => setTimeout(() => answer("[]")(_b, _r, res), 300);
    const slow = createRemoteDetector({ ...LIMITS, url: base, model: "m", timeoutMs: 50 });
    expect(await code(slow.detect({ text: "x" }))).toBe("PRX_DETECT_TIMEOUT");
    const det = createRemoteDetector({ ...LIMITS, url: base, model: "m" });
    const ctl = new AbortController();
    const p = det.detect({ text: "x" }, ctl.signal);
    setTimeout(() => ctl.abort(), 20);
    expect(await code(p)).toBe("PRX_DETECT_ABORTED");
  });

  it("accepts a fenced answer", async () => {
    handler = answer('```json\n[{"original_text": "x", "privacy_type": "Key", "privacy_level": "PL4"}]\n```');
    const det = createRemoteDetector({ ...LIMITS, url: `${base}/v1`, model: "m" });
    expect(await det.detect({ text: "x" })).toHaveLength(1);
  });
});
