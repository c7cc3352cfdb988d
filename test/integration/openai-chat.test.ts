import { gzipSync } from "node:zlib";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY, CANARY_TEXT, CANARY_VALUES, leakedCanaries } from "../helpers/canaries.js";
import { startProxyAndMock, stopProxyAndMock, type LogSink, type TestApp } from "../helpers/app.js";
import type { MockUpstream } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";

let upstream: MockUpstream;
let app: TestApp;
let sink: LogSink;
let base: string;

beforeAll(async () => {
  ({ upstream, app, sink, base } = await startProxyAndMock(openAIEcho, (url) => ({ upstream: url })));
});
afterAll(() => stopProxyAndMock({ app, upstream }));

const headers = {
  authorization: "Bearer sk-caller-key-123",
  "x-memprivacy-user-name": CANARY.name,
  "content-type": "application/json",
};

/** A conversation with canaries in every field the proxy must redact. */
function conversation(stream: boolean): Record<string, unknown> {
  return {
    model: "gpt-test",
    stream,
    messages: [
      { role: "system", content: `Assistant for ${CANARY.name} (${CANARY.email}).` },
      {
        role: "user",
        name: "zhang",
        content: [
          { type: "text", text: CANARY_TEXT },
          { type: "image_url", image_url: { url: "https://example.com/x.png" } },
        ],
      },
      {
        role: "assistant",
        content: `Noted your phone ${CANARY.phone} and card ${CANARY.card}.`,
        tool_calls: [
          {
            id: "c0",
            type: "function",
            function: {
              name: "lookup",
              arguments: JSON.stringify({ email: CANARY.email, ip: CANARY.ip, nested: { id: CANARY.id } }),
            },
          },
        ],
      },
      {
        role: "tool",
        tool_call_id: "c0",
        content: JSON.stringify({ found: CANARY.email, password: `password is ${CANARY.password}` }),
      },
      { role: "user", content: CANARY_TEXT },
    ],
  };
}

async function post(body: unknown): Promise<Response> {
  return fetch(`${base}/v1/chat/completions`, { method: "POST", headers, body: JSON.stringify(body) });
}

describe("chat completions canary suite", () => {
  it("never forwards a canary and restores every value (not streamed)", async () => {
    const before = upstream.received.length;
    const res = await post(conversation(false));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-memprivacy-redacted")).toMatch(/^PL2=\d+,PL3=\d+,PL4=\d+$/);
    const body = (await res.json()) as {
      choices: { message: { content: string; tool_calls: { function: { arguments: string } }[] } }[];
      usage: unknown;
    };
    const sent = upstream.received
      .slice(before)
      .map((r) => r.body)
      .join("\n");
    expect(leakedCanaries(sent)).toEqual([]);
    expect(sent).toContain("<Email_1>");
    expect(sent).toContain("https://example.com/x.png");
    const message = body.choices[0]?.message;
    expect(message?.content).toBe(`You said: ${CANARY_TEXT}`);
    const args = JSON.parse(message?.tool_calls[0]?.function.arguments ?? "{}") as {
      note: string;
      quoted: string;
    };
    expect(args.note).toBe(CANARY_TEXT);
    expect(body.usage).toEqual({ prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 });
    for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
    expect(sink.text).not.toContain("sk-caller-key-123");
  });

  it("never forwards a canary and restores every value (streamed)", async () => {
    const before = upstream.received.length;
    const res = await post(conversation(true));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const wire = await res.text();
    const sent = upstream.received
      .slice(before)
      .map((r) => r.body)
      .join("\n");
    expect(leakedCanaries(sent)).toEqual([]);
    let content = "";
    let args = "";
    for (const block of wire.split("\n\n")) {
      const data = block.replace(/^data: /, "");
      if (data === "" || data === "[DONE]") continue;
      const chunk = JSON.parse(data) as {
        choices: { delta: { content?: string; tool_calls?: { function?: { arguments?: string } }[] } }[];
      };
      for (const c of chunk.choices) {
        content += c.delta.content ?? "";
        for (const t of c.delta.tool_calls ?? []) args += t.function?.arguments ?? "";
      }
    }
    expect(content).toBe(`You said: ${CANARY_TEXT}`);
    expect((JSON.parse(args) as { note: string }).note).toBe(CANARY_TEXT);
    expect(wire.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(wire).not.toMatch(/<[A-Z][A-Za-z_]*_\d+>/);
    for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
  });

  it("forwards the caller's Authorization and strips proxy headers", async () => {
    const before = upstream.received.length;
    await post(conversation(false));
    const rec = upstream.received[before];
    expect(rec?.headers.authorization).toBe("Bearer sk-caller-key-123");
    expect(rec?.headers["x-memprivacy-user-name"]).toBeUndefined();
  });

  it("works with the official openai client, streamed and not, with tools", async () => {
    const client = new OpenAI({
      apiKey: "sk-caller-key-123",
      baseURL: `${base}/v1`,
      defaultHeaders: { "x-memprivacy-user-name": CANARY.name },
    });
    const tools = [
      {
        type: "function" as const,
        function: {
          name: "save_note",
          parameters: { type: "object", properties: { note: { type: "string" } } },
        },
      },
    ];
    const done = await client.chat.completions.create({
      model: "gpt-test",
      messages: [{ role: "user", content: CANARY_TEXT }],
      tools,
    });
    expect(done.choices[0]?.message.content).toBe(`You said: ${CANARY_TEXT}`);
    const call = done.choices[0]?.message.tool_calls?.[0];
    expect(
      call?.type === "function" ? (JSON.parse(call.function.arguments) as { note: string }).note : "",
    ).toBe(CANARY_TEXT);
    const stream = await client.chat.completions.create({
      model: "gpt-test",
      messages: [{ role: "user", content: CANARY_TEXT }],
      tools,
      stream: true,
    });
    let text = "";
    let args = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? "";
    }
    expect(text).toBe(`You said: ${CANARY_TEXT}`);
    expect((JSON.parse(args) as { note: string }).note).toBe(CANARY_TEXT);
    expect(leakedCanaries(upstream.allBytes())).toEqual([]);
  });

  it("passes other routes through unchanged", async () => {
    upstream.handle((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "x-upstream": "yes" });
      res.end(JSON.stringify({ object: "list", path: req.url, method: req.method }));
    });
    try {
      const res = await fetch(`${base}/v1/models?limit=2`, { headers });
      expect(res.headers.get("x-upstream")).toBe("yes");
      expect(await res.json()).toEqual({ object: "list", path: "/v1/models?limit=2", method: "GET" });
    } finally {
      upstream.handle(openAIEcho);
    }
  });

  it("exposes metrics with counts and fixed labels, never a value", async () => {
    await post(conversation(false));
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/memprivacy_spans_total\{level="PL2",type="Email"\} \d+/);
    expect(text).toMatch(/memprivacy_requests_total\{route="\/v1\/chat\/completions",status="2xx"\} \d+/);
    expect(text).toContain("memprivacy_vault_entries");
    expect(leakedCanaries(text)).toEqual([]);
    expect(text).not.toContain("sk-caller-key-123");
  });

  it("restores a response the upstream compressed despite accept-encoding: identity", async () => {
    upstream.handle((req, res) => {
      const sent = JSON.parse(req.body) as { messages: { content: string }[] };
      const body = gzipSync(
        JSON.stringify({
          choices: [{ index: 0, message: { role: "assistant", content: sent.messages[0]?.content } }],
        }),
      );
      res.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "content-length": body.length,
      });
      res.end(body);
    });
    try {
      const res = await post({ model: "m", messages: [{ role: "user", content: CANARY_TEXT }] });
      expect(res.headers.get("content-encoding")).toBeNull();
      const body = (await res.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]?.message.content).toBe(CANARY_TEXT);
    } finally {
      upstream.handle(openAIEcho);
    }
  });
});
