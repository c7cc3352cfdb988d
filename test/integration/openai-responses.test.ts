import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY, CANARY_TEXT, CANARY_VALUES, leakedCanaries } from "../helpers/canaries.js";
import { startProxyAndMock, stopProxyAndMock, type LogSink, type TestApp } from "../helpers/app.js";
import { fixture, namedSseWire } from "../helpers/fixtures.js";
import { sendSse, type MockUpstream } from "../helpers/mock-upstream.js";
import { responsesEcho, responsesStreamEvents } from "../helpers/responses-mock.js";

let upstream: MockUpstream;
let app: TestApp;
let sink: LogSink;
let base: string;

beforeAll(async () => {
  ({ upstream, app, sink, base } = await startProxyAndMock(responsesEcho, (url) => ({ upstream: url })));
});
afterAll(() => stopProxyAndMock({ app, upstream }));

const headers = {
  authorization: "Bearer sk-caller-key-123",
  "x-memprivacy-user-name": CANARY.name,
  "content-type": "application/json",
};

const ARGS = { note: CANARY_TEXT, quoted: `"${CANARY_TEXT}"` };

/** A request with canaries in every field the proxy must redact. */
function request(stream: boolean): Record<string, unknown> {
  return {
    model: "gpt-test",
    stream,
    instructions: `Assistant for ${CANARY.name} (${CANARY.email}).`,
    tools: [{ type: "function", name: "save_note", parameters: { type: "object" } }],
    input: [
      { role: "developer", content: `Reach ${CANARY.phone} if needed.` },
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: CANARY_TEXT },
          { type: "input_image", image_url: "https://example.com/x.png" },
        ],
      },
      {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: `Noted your card ${CANARY.card}.`, annotations: [] }],
      },
      {
        type: "function_call",
        call_id: "call_0",
        name: "lookup",
        arguments: JSON.stringify({ email: CANARY.email, ip: CANARY.ip, nested: { id: CANARY.id } }),
      },
      {
        type: "function_call_output",
        call_id: "call_0",
        output: JSON.stringify({ found: CANARY.email, password: `password is ${CANARY.password}` }),
      },
      { type: "function_call_output", call_id: "call_1", output: `Plain text from ${CANARY.name}` },
      { role: "user", content: CANARY_TEXT },
    ],
  };
}

async function post(body: unknown): Promise<Response> {
  return fetch(`${base}/v1/responses`, { method: "POST", headers, body: JSON.stringify(body) });
}

function sentSince(before: number): string {
  return upstream.received
    .slice(before)
    .map((r) => r.body)
    .join("\n");
}

function parseWire(wire: string): { event: string; data: Record<string, unknown> }[] {
  return wire
    .split("\n\n")
    .filter((b) => b.trim() !== "")
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1] ?? "",
      data: JSON.parse(
        block
          .split("\n")
          .filter((l) => l.startsWith("data: "))
          .map((l) => l.slice(6))
          .join("\n"),
      ) as Record<string, unknown>,
    }));
}

interface OutputItem {
  type: string;
  content?: { type: string; text: string }[];
  arguments?: string;
}

describe("responses canary suite", () => {
  it("never forwards a canary and restores every value (not streamed)", async () => {
    const before = upstream.received.length;
    const res = await post(request(false));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-memprivacy-redacted")).toMatch(/^PL2=\d+,PL3=\d+,PL4=\d+$/);
    const body = (await res.json()) as { output: OutputItem[]; usage: { total_tokens: number } };
    const sent = sentSince(before);
    expect(leakedCanaries(sent)).toEqual([]);
    expect(sent).toContain("<Email_1>");
    expect(sent).toContain("https://example.com/x.png");
    expect(body.output[0]?.content?.[0]?.text).toBe(`You said: ${CANARY_TEXT}`);
    expect(JSON.parse(body.output[1]?.arguments ?? "")).toEqual(ARGS);
    expect(body.usage.total_tokens).toBe(123);
    for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
    expect(sink.text).not.toContain("sk-caller-key-123");
  });

  it("redacts a plain string input", async () => {
    const before = upstream.received.length;
    const res = await post({ model: "gpt-test", input: CANARY_TEXT });
    const body = (await res.json()) as { output: OutputItem[] };
    expect(leakedCanaries(sentSince(before))).toEqual([]);
    expect(body.output[0]?.content?.[0]?.text).toBe(`You said: ${CANARY_TEXT}`);
  });

  it("never forwards a canary and restores every value (streamed), deltas agreeing with .done events", async () => {
    const before = upstream.received.length;
    const res = await post(request(true));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const wire = await res.text();
    expect(leakedCanaries(sentSince(before))).toEqual([]);
    const events = parseWire(wire);
    for (const e of events) expect(e.event).toBe(e.data.type);
    // Sequence numbers stay unique and increasing even with inserted events.
    const seqs = events.map((e) => e.data.sequence_number as number);
    expect(seqs).toEqual(seqs.map((_s, i) => i));
    let text = "";
    let args = "";
    const done: Record<string, string> = {};
    let completed: { output: OutputItem[] } | undefined;
    for (const { data } of events) {
      if (data.type === "response.output_text.delta") text += data.delta as string;
      if (data.type === "response.function_call_arguments.delta") args += data.delta as string;
      if (data.type === "response.output_text.done") done.text = data.text as string;
      if (data.type === "response.function_call_arguments.done") done.args = data.arguments as string;
      if (data.type === "response.content_part.done") done.part = (data.part as { text: string }).text;
      if (data.type === "response.completed") completed = data.response as { output: OutputItem[] };
    }
    expect(text).toBe(`You said: ${CANARY_TEXT}`);
    expect(done.text).toBe(text);
    expect(done.part).toBe(text);
    expect(JSON.parse(args)).toEqual(ARGS);
    expect(done.args).toBe(args);
    expect(completed?.output[0]?.content?.[0]?.text).toBe(text);
    expect(completed?.output[1]?.arguments).toBe(args);
    expect(wire).not.toMatch(/<[A-Z][A-Za-z_]*_\d+>/);
    for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
  });

  it("redacts input_tokens requests and returns the count as it is", async () => {
    const client = new OpenAI({ apiKey: "sk-caller-key-123", baseURL: `${base}/v1`, maxRetries: 0 });
    const before = upstream.received.length;
    const count = await client.responses.inputTokens.count({
      model: "gpt-test",
      instructions: `For ${CANARY.name}`,
      input: CANARY_TEXT,
    });
    const rec = upstream.received[before];
    expect(rec?.url).toBe("/v1/responses/input_tokens");
    expect(leakedCanaries(rec?.body ?? "")).toEqual([]);
    expect(count.input_tokens).toBe(rec?.body.length);
  });

  it("restores an upstream error event mid-stream", async () => {
    upstream.handle(async (req, res) => {
      const said = (JSON.parse(req.body) as { input: string }).input;
      const events = responsesStreamEvents({ text: said }).filter(
        (e) => !/done|completed/.test(String(e.type)),
      );
      events.push(
        fixture("openai-responses", "events/error", {
          message: `Failed on ${said}`,
          sequence_number: events.length,
        }),
      );
      await sendSse(res, namedSseWire(events));
    });
    try {
      const res = await post({ model: "gpt-test", stream: true, input: `Mail ${CANARY.email}` });
      const events = parseWire(await res.text());
      const text = events
        .filter((e) => e.data.type === "response.output_text.delta")
        .map((e) => e.data.delta as string)
        .join("");
      expect(text).toBe(`Mail ${CANARY.email}`);
      expect(events.at(-1)?.data).toMatchObject({ type: "error", message: `Failed on Mail ${CANARY.email}` });
    } finally {
      upstream.handle(responsesEcho);
    }
  });

  it("works with the official openai client: responses.create with and without stream", async () => {
    const client = new OpenAI({
      apiKey: "sk-caller-key-123",
      baseURL: `${base}/v1`,
      defaultHeaders: { "x-memprivacy-user-name": CANARY.name },
      maxRetries: 0,
    });
    const tools: OpenAI.Responses.Tool[] = [
      { type: "function", name: "save_note", parameters: { type: "object" }, strict: false },
    ];
    const done = await client.responses.create({
      model: "gpt-test",
      instructions: `Assistant for ${CANARY.name}.`,
      input: [{ role: "user", content: CANARY_TEXT }],
      tools,
    });
    expect(done.output_text).toBe(`You said: ${CANARY_TEXT}`);
    const call = done.output.find((o) => o.type === "function_call");
    expect(call?.type === "function_call" ? JSON.parse(call.arguments) : undefined).toEqual(ARGS);

    const stream = await client.responses.create({
      model: "gpt-test",
      input: CANARY_TEXT,
      tools,
      stream: true,
    });
    let text = "";
    let args = "";
    let final: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.function_call_arguments.delta") args += event.delta;
      if (event.type === "response.completed") final = event.response;
    }
    expect(text).toBe(`You said: ${CANARY_TEXT}`);
    expect(JSON.parse(args)).toEqual(ARGS);
    const finalCall = final?.output.find((o) => o.type === "function_call");
    expect(finalCall?.type === "function_call" ? finalCall.arguments : "").toBe(args);

    // The SDK's accumulating helper agrees with the raw events.
    const helper = client.responses.stream({ model: "gpt-test", input: CANARY_TEXT, tools });
    const accumulated = await helper.finalResponse();
    expect(accumulated.output_text).toBe(`You said: ${CANARY_TEXT}`);
    expect(leakedCanaries(upstream.allBytes())).toEqual([]);
  });

  it("inserts the text held at a .done event as one extra delta, accepted by the official client", async () => {
    const client = new OpenAI({ apiKey: "sk-caller-key-123", baseURL: `${base}/v1`, maxRetries: 0 });
    // Teach the scope the value, then let the model answer with a mangled placeholder at the very end.
    await client.responses.create({ model: "gpt-test", input: `Mail ${CANARY.email}` });
    upstream.handle(async (_req, res) => {
      await sendSse(res, namedSseWire(responsesStreamEvents({ text: "Reply to <Email_1" })));
    });
    try {
      const raw = await post({ model: "gpt-test", stream: true, input: `again, ${CANARY.email}` });
      const events = parseWire(await raw.text());
      const doneAt = events.findIndex((e) => e.data.type === "response.output_text.done");
      // The tail that could still have become the exchange's placeholder goes out as it was.
      expect(events[doneAt - 1]?.data).toMatchObject({
        type: "response.output_text.delta",
        delta: "<Email_1",
      });
      const seqs = events.map((e) => e.data.sequence_number as number);
      expect(seqs).toEqual(seqs.map((_s, i) => i));
      const helper = client.responses.stream({ model: "gpt-test", input: `again, ${CANARY.email}` });
      let streamed = "";
      helper.on("response.output_text.delta", (e) => (streamed += e.delta));
      const final = await helper.finalResponse();
      expect(streamed).toBe("Reply to <Email_1");
      expect(final.output_text).toBe("Reply to <Email_1");
    } finally {
      upstream.handle(responsesEcho);
    }
  });
});
