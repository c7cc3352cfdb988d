import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY, CANARY_TEXT, CANARY_VALUES, leakedCanaries } from "../helpers/canaries.js";
import { startProxyAndMock, stopProxyAndMock, type LogSink, type TestApp } from "../helpers/app.js";
import { anthropicEcho, anthropicStreamEvents } from "../helpers/anthropic-mock.js";
import { fixture, namedSseWire } from "../helpers/fixtures.js";
import { sendSse, type MockUpstream } from "../helpers/mock-upstream.js";

let upstream: MockUpstream;
let app: TestApp;
let sink: LogSink;
let base: string;

beforeAll(async () => {
  ({ upstream, app, sink, base } = await startProxyAndMock(anthropicEcho, (url) => ({
    upstream: "http://127.0.0.1:9",
    anthropicUpstream: url,
  })));
});
afterAll(() => stopProxyAndMock({ app, upstream }));

const headers = {
  "x-api-key": "sk-ant-caller-key-123",
  "anthropic-version": "2023-06-01",
  "x-memprivacy-user-name": CANARY.name,
  "content-type": "application/json",
};

const IMAGE_DATA =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/** A conversation with canaries in every field the proxy must redact. */
function conversation(stream: boolean, systemBlocks: boolean): Record<string, unknown> {
  const system = `Assistant for ${CANARY.name} (${CANARY.email}).`;
  return {
    model: "claude-test",
    max_tokens: 256,
    stream,
    system: systemBlocks ? [{ type: "text", text: system, cache_control: { type: "ephemeral" } }] : system,
    tools: [
      { name: "save_note", input_schema: { type: "object", properties: { note: { type: "string" } } } },
    ],
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: CANARY_TEXT },
          { type: "image", source: { type: "base64", media_type: "image/png", data: IMAGE_DATA } },
          {
            type: "document",
            source: { type: "text", media_type: "text/plain", data: `Phone ${CANARY.phone}` },
          },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: `Noted your phone ${CANARY.phone} and card ${CANARY.card}.` },
          {
            type: "tool_use",
            id: "toolu_1",
            name: "lookup",
            input: { email: CANARY.email, ip: CANARY.ip, nested: { id: CANARY.id, list: [CANARY.phone, 7] } },
          },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "toolu_1",
            content: JSON.stringify({ found: CANARY.email, password: `password is ${CANARY.password}` }),
          },
          {
            type: "tool_result",
            tool_use_id: "toolu_2",
            content: [{ type: "text", text: `Owner ${CANARY.name}, card ${CANARY.card}` }],
          },
        ],
      },
      { role: "assistant", content: `Thanks ${CANARY.name}.` },
      { role: "user", content: CANARY_TEXT },
    ],
  };
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
}

function sentSince(before: number): string {
  return upstream.received
    .slice(before)
    .map((r) => r.body)
    .join("\n");
}

interface WireEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseWire(wire: string): WireEvent[] {
  return wire
    .split("\n\n")
    .filter((b) => b.trim() !== "")
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n");
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** Text and tool input JSON per content block, as a client assembles them from the deltas. */
function assemble(events: WireEvent[]): Map<number, string> {
  const blocks = new Map<number, string>();
  for (const { data } of events) {
    if (data.type !== "content_block_delta") continue;
    const i = data.index as number;
    const delta = data.delta as { type: string; text?: string; partial_json?: string };
    blocks.set(i, (blocks.get(i) ?? "") + (delta.text ?? delta.partial_json ?? ""));
  }
  return blocks;
}

describe("anthropic messages canary suite", () => {
  it.each([false, true])(
    "never forwards a canary and restores every value (not streamed, system blocks %s)",
    async (blocks) => {
      const before = upstream.received.length;
      const res = await post("/v1/messages", conversation(false, blocks));
      expect(res.status).toBe(200);
      expect(res.headers.get("x-memprivacy-redacted")).toMatch(/^PL2=\d+,PL3=\d+,PL4=\d+$/);
      const body = (await res.json()) as {
        content: ({ type: "text"; text: string } | { type: "tool_use"; input: Record<string, unknown> })[];
        usage: { input_tokens: number };
      };
      const sent = sentSince(before);
      expect(leakedCanaries(sent)).toEqual([]);
      expect(sent).toContain("<Email_1>");
      expect(sent).toContain(IMAGE_DATA);
      const forwarded = JSON.parse(sent) as { system: unknown; tools: unknown };
      expect(forwarded.tools).toEqual(conversation(false, blocks).tools);
      expect(body.content[0]).toEqual({ type: "text", text: `You said: ${CANARY_TEXT}` });
      const tool = body.content[1];
      expect(tool?.type === "tool_use" ? tool.input : undefined).toEqual({
        note: CANARY_TEXT,
        quoted: `"${CANARY_TEXT}"`,
        list: [CANARY_TEXT, 42],
      });
      expect(body.usage.input_tokens).toBe(2095);
      for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
      expect(sink.text).not.toContain("sk-ant-caller-key-123");
    },
  );

  it("never forwards a canary and restores every value (streamed)", async () => {
    const before = upstream.received.length;
    const res = await post("/v1/messages", conversation(true, true));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const wire = await res.text();
    expect(leakedCanaries(sentSince(before))).toEqual([]);
    const events = parseWire(wire);
    // Every event keeps its name (the official clients ignore unnamed events) and matches its data type.
    for (const e of events) expect(e.event).toBe(e.data.type);
    const blocks = assemble(events);
    expect(blocks.get(0)).toBe(`You said: ${CANARY_TEXT}`);
    expect(JSON.parse(blocks.get(1) ?? "")).toEqual({
      note: CANARY_TEXT,
      quoted: `"${CANARY_TEXT}"`,
      list: [CANARY_TEXT, 42],
    });
    // Flushed text arrives before its block stops; the stream ends as the API's does.
    const order = events.map((e) => e.data.type);
    expect(order[0]).toBe("message_start");
    expect(order.at(-1)).toBe("message_stop");
    for (const [i] of blocks) {
      const stop = events.findIndex((e) => e.data.type === "content_block_stop" && e.data.index === i);
      const lastDelta = events.findLastIndex(
        (e) => e.data.type === "content_block_delta" && e.data.index === i,
      );
      expect(lastDelta).toBeLessThan(stop);
    }
    expect(wire).not.toMatch(/<[A-Z][A-Za-z_]*_\d+>/);
    for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
  });

  it("forwards x-api-key and anthropic-version to the Anthropic upstream and strips proxy headers", async () => {
    const before = upstream.received.length;
    await post("/v1/messages", conversation(false, false));
    const rec = upstream.received[before];
    expect(rec?.url).toBe("/v1/messages");
    expect(rec?.headers["x-api-key"]).toBe("sk-ant-caller-key-123");
    expect(rec?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(rec?.headers["x-memprivacy-user-name"]).toBeUndefined();
  });

  it("redacts count_tokens and returns the count as it is", async () => {
    const before = upstream.received.length;
    const { stream: _stream, ...body } = conversation(false, true);
    const res = await post("/v1/messages/count_tokens", body);
    expect(res.status).toBe(200);
    const count = (await res.json()) as { input_tokens: number };
    const rec = upstream.received[before];
    expect(rec?.url).toBe("/v1/messages/count_tokens");
    expect(leakedCanaries(rec?.body ?? "")).toEqual([]);
    expect(count.input_tokens).toBe(rec?.body.length);
  });

  it("answers an invalid body with an Anthropic-shaped error and forwards nothing", async () => {
    const before = upstream.received.length;
    const res = await post("/v1/messages", { model: "claude-test", messages: "nope" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { type: string; error: { type: string } };
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("invalid_request_error");
    expect(upstream.received.length).toBe(before);
  });

  it("restores an upstream error event mid-stream after flushing held text", async () => {
    upstream.handle(async (req, res) => {
      const said = (JSON.parse(req.body) as { messages: { content: string }[] }).messages[0]?.content ?? "";
      const events = anthropicStreamEvents({ text: said }).filter(
        (e) => e.type !== "content_block_stop" && e.type !== "message_delta" && e.type !== "message_stop",
      );
      events.push(fixture("anthropic", "events/error", { message: `Overloaded while reading ${said}` }));
      await sendSse(res, namedSseWire(events));
    });
    try {
      const res = await post("/v1/messages", {
        model: "claude-test",
        max_tokens: 16,
        stream: true,
        messages: [{ role: "user", content: `Mail ${CANARY.email}` }],
      });
      const events = parseWire(await res.text());
      expect(assemble(events).get(0)).toBe(`Mail ${CANARY.email}`);
      const last = events.at(-1);
      expect(last?.event).toBe("error");
      expect(last?.data).toEqual({
        type: "error",
        error: { type: "overloaded_error", message: `Overloaded while reading Mail ${CANARY.email}` },
      });
    } finally {
      upstream.handle(anthropicEcho);
    }
  });

  it("ends a stream that breaks with one Anthropic-shaped error event", async () => {
    upstream.handle((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      // Broken once the first events are on the wire (an event, not a clock).
      res.write(namedSseWire(anthropicStreamEvents({ text: "partial <Email_1" }).slice(0, 5)), () =>
        res.destroy(),
      );
    });
    try {
      const res = await post("/v1/messages", {
        model: "claude-test",
        max_tokens: 16,
        stream: true,
        messages: [{ role: "user", content: `Mail ${CANARY.email}` }],
      });
      const events = parseWire(await res.text());
      const last = events.at(-1);
      expect(last?.event).toBe("error");
      expect(last?.data.type).toBe("error");
      expect((last?.data.error as { type: string }).type).toBe("api_error");
    } finally {
      upstream.handle(anthropicEcho);
    }
  });

  it("works with the official @anthropic-ai/sdk: messages.create and messages.stream with a tool", async () => {
    const client = new Anthropic({
      apiKey: "sk-ant-caller-key-123",
      baseURL: base,
      defaultHeaders: { "x-memprivacy-user-name": CANARY.name },
      maxRetries: 0,
    });
    const tools: Anthropic.Tool[] = [
      { name: "save_note", input_schema: { type: "object", properties: { note: { type: "string" } } } },
    ];
    const done = await client.messages.create({
      model: "claude-test",
      max_tokens: 256,
      system: `Assistant for ${CANARY.name}.`,
      tools,
      messages: [{ role: "user", content: CANARY_TEXT }],
    });
    const text = done.content.find((b) => b.type === "text");
    expect(text?.type === "text" ? text.text : "").toBe(`You said: ${CANARY_TEXT}`);
    const use = done.content.find((b) => b.type === "tool_use");
    expect(use?.type === "tool_use" ? (use.input as { note: string }).note : "").toBe(CANARY_TEXT);

    const stream = client.messages.stream({
      model: "claude-test",
      max_tokens: 256,
      tools,
      messages: [{ role: "user", content: [{ type: "text", text: CANARY_TEXT }] }],
    });
    let streamed = "";
    stream.on("text", (delta) => (streamed += delta));
    const final = await stream.finalMessage();
    expect(streamed).toBe(`You said: ${CANARY_TEXT}`);
    const finalUse = final.content.find((b) => b.type === "tool_use");
    expect(finalUse?.type === "tool_use" ? finalUse.input : undefined).toEqual({
      note: CANARY_TEXT,
      quoted: `"${CANARY_TEXT}"`,
      list: [CANARY_TEXT, 42],
    });
    expect(final.stop_reason).toBe("tool_use");

    const count = await client.messages.countTokens({
      model: "claude-test",
      messages: [{ role: "user", content: CANARY_TEXT }],
    });
    expect(count.input_tokens).toBeGreaterThan(0);
    expect(leakedCanaries(upstream.allBytes())).toEqual([]);
  });

  it("sends text held at content_block_stop as one extra delta before the stop, accepted by the official client", async () => {
    const client = new Anthropic({ apiKey: "sk-ant-caller-key-123", baseURL: base, maxRetries: 0 });
    // Teach the scope the value, then let the model answer with a mangled placeholder at the very end.
    await client.messages.create({
      model: "claude-test",
      max_tokens: 16,
      messages: [{ role: "user", content: `Mail ${CANARY.email}` }],
    });
    upstream.handle(async (_req, res) => {
      await sendSse(res, namedSseWire(anthropicStreamEvents({ text: "Reply to <Email_1" })));
    });
    try {
      const raw = await post("/v1/messages", {
        model: "claude-test",
        max_tokens: 16,
        stream: true,
        messages: [{ role: "user", content: `again, ${CANARY.email}` }],
      });
      const events = parseWire(await raw.text());
      const stopAt = events.findIndex((e) => e.data.type === "content_block_stop");
      // The tail that could still have become the exchange's placeholder goes out as it was.
      expect(events[stopAt - 1]?.data).toEqual({
        type: "content_block_delta",
        index: 0,
        delta: { type: "text_delta", text: "<Email_1" },
      });
      const stream = client.messages.stream({
        model: "claude-test",
        max_tokens: 16,
        messages: [{ role: "user", content: `again, ${CANARY.email}` }],
      });
      let streamed = "";
      stream.on("text", (delta) => (streamed += delta));
      const final = await stream.finalMessage();
      expect(streamed).toBe("Reply to <Email_1");
      expect(final.content[0]?.type === "text" ? final.content[0].text : "").toBe("Reply to <Email_1");
    } finally {
      upstream.handle(anthropicEcho);
    }
  });
});
