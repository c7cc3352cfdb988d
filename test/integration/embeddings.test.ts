import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY, CANARY_TEXT, CANARY_VALUES, leakedCanaries } from "../helpers/canaries.js";
import { startProxyAndMock, stopProxyAndMock, type LogSink, type TestApp } from "../helpers/app.js";
import { embeddingsAndCompletionsEcho, vectorOf } from "../helpers/embeddings-mock.js";
import type { MockUpstream } from "../helpers/mock-upstream.js";

let upstream: MockUpstream;
let app: TestApp;
let sink: LogSink;
let base: string;

beforeAll(async () => {
  ({ upstream, app, sink, base } = await startProxyAndMock(embeddingsAndCompletionsEcho, (url) => ({
    upstream: url,
  })));
});
afterAll(() => stopProxyAndMock({ app, upstream }));

const headers = {
  authorization: "Bearer sk-caller-key-123",
  "x-memprivacy-user-name": CANARY.name,
  "content-type": "application/json",
};

async function post(path: string, body: unknown, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { ...headers, ...extra },
    body: JSON.stringify(body),
  });
}

function lastSent(): Record<string, unknown> {
  return JSON.parse(upstream.received.at(-1)?.body ?? "{}") as Record<string, unknown>;
}

describe("embeddings", () => {
  it("redacts a string input and passes the vectors back unchanged", async () => {
    const res = await post("/v1/embeddings", { model: "text-embedding-test", input: CANARY_TEXT });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { embedding: number[] }[] };
    const sent = lastSent();
    expect(leakedCanaries(JSON.stringify(sent))).toEqual([]);
    expect(sent.input).toContain("<Email_1>");
    expect(body.data[0]?.embedding).toEqual(vectorOf(sent.input));
    for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
  });

  it("redacts each string of an array and leaves token-id arrays untouched", async () => {
    const tokens = [[1, 2, 3], 17];
    const res = await post("/v1/embeddings", {
      model: "text-embedding-test",
      input: [`Mail ${CANARY.email}`, `Call ${CANARY.phone}`, "", tokens[0]],
    });
    expect(res.status).toBe(200);
    const sent = lastSent();
    expect(leakedCanaries(JSON.stringify(sent))).toEqual([]);
    expect(sent.input).toEqual([
      "Mail <Email_1>",
      expect.stringMatching(/^Call <[A-Za-z_]+_\d+>$/),
      "",
      [1, 2, 3],
    ]);
    const flat = await post("/v1/embeddings", { model: "text-embedding-test", input: [5, 6, 7] });
    expect(flat.status).toBe(200);
    expect(lastSent().input).toEqual([5, 6, 7]);
  });

  it("gives the same value the same typed placeholder across requests, and separate scopes their own", async () => {
    await post("/v1/embeddings", { input: `first ${CANARY.email}` });
    const a = lastSent().input;
    await post("/v1/embeddings", { input: [`second ${CANARY.email}`, `third ${CANARY.email}`] });
    const b = lastSent().input;
    expect(a).toBe("first <Email_1>");
    expect(b).toEqual(["second <Email_1>", "third <Email_1>"]);
    // Another caller: its own scope, its own numbering, still the type.
    await post(
      "/v1/embeddings",
      { input: `other mail@other.example and ${CANARY.email}` },
      {
        authorization: "Bearer sk-other-caller",
      },
    );
    expect(lastSent().input).toMatch(/^other <Email_\d+> and <Email_\d+>$/);
  });

  it("works with the official openai client (base64 vectors)", async () => {
    const client = new OpenAI({ apiKey: "sk-caller-key-123", baseURL: `${base}/v1`, maxRetries: 0 });
    const res = await client.embeddings.create({
      model: "text-embedding-test",
      input: [CANARY_TEXT, "plain"],
    });
    expect(res.data).toHaveLength(2);
    const sent = lastSent() as { input: string[] };
    expect(leakedCanaries(JSON.stringify(sent))).toEqual([]);
    const expected = vectorOf(sent.input[0]);
    res.data[0]?.embedding.forEach((x, i) => expect(x).toBeCloseTo(expected[i] ?? NaN, 5));
  });
});

describe("legacy completions", () => {
  it("redacts prompt and suffix and restores choices[].text (not streamed)", async () => {
    const res = await post("/v1/completions", {
      model: "gpt-test-instruct",
      prompt: [CANARY_TEXT, `Mail ${CANARY.email}`],
      suffix: `Signed ${CANARY.name}`,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { text: string; index: number }[] };
    expect(leakedCanaries(upstream.received.at(-1)?.body ?? "")).toEqual([]);
    expect(body.choices.map((c) => c.text)).toEqual([
      `You said: ${CANARY_TEXT}`,
      `You said: Mail ${CANARY.email}`,
    ]);
  });

  it("restores streamed text deltas per choice", async () => {
    const res = await post("/v1/completions", {
      model: "gpt-test-instruct",
      prompt: CANARY_TEXT,
      stream: true,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const wire = await res.text();
    expect(leakedCanaries(upstream.received.at(-1)?.body ?? "")).toEqual([]);
    let text = "";
    for (const block of wire.split("\n\n")) {
      const data = block.replace(/^data: /, "");
      if (data === "" || data === "[DONE]") continue;
      for (const c of (JSON.parse(data) as { choices: { text: string }[] }).choices) text += c.text;
    }
    expect(text).toBe(`You said: ${CANARY_TEXT}`);
    expect(wire.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(wire).not.toMatch(/<[A-Z][A-Za-z_]*_\d+>/);
  });

  it("works with the official openai client, streamed and not", async () => {
    const client = new OpenAI({ apiKey: "sk-caller-key-123", baseURL: `${base}/v1`, maxRetries: 0 });
    const done = await client.completions.create({ model: "gpt-test-instruct", prompt: CANARY_TEXT });
    expect(done.choices[0]?.text).toBe(`You said: ${CANARY_TEXT}`);
    const stream = await client.completions.create({
      model: "gpt-test-instruct",
      prompt: CANARY_TEXT,
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text).toBe(`You said: ${CANARY_TEXT}`);
    expect(leakedCanaries(upstream.allBytes())).toEqual([]);
  });
});

describe("moderations", () => {
  it("redacts a string, each string of an array, and text parts; verdicts come back unchanged", async () => {
    for (const input of [
      CANARY_TEXT,
      [CANARY_TEXT, "plain", `Mail ${CANARY.email}`],
      [
        { type: "text", text: CANARY_TEXT },
        { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
      ],
    ]) {
      const res = await post("/v1/moderations", { model: "omni-moderation-test", input });
      expect(res.status).toBe(200);
      const sent = lastSent();
      expect(leakedCanaries(JSON.stringify(sent))).toEqual([]);
      expect(JSON.stringify(sent.input)).toContain("<Email_1>");
      const body = (await res.json()) as { results: { flagged: boolean }[] };
      expect(body.results).toHaveLength(Array.isArray(input) ? input.length : 1);
      if (Array.isArray(input) && typeof input[1] === "object") {
        expect((sent.input as unknown[])[1]).toEqual(input[1]);
      }
    }
    for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
  });

  it("refuses an input of the wrong shape with 400, forwarding nothing", async () => {
    const before = upstream.received.length;
    const res = await post("/v1/moderations", { input: 42 });
    expect(res.status).toBe(400);
    expect(upstream.received.length).toBe(before);
  });

  it("works with the official openai client", async () => {
    const client = new OpenAI({ apiKey: "sk-caller-key-123", baseURL: `${base}/v1`, maxRetries: 0 });
    const res = await client.moderations.create({
      model: "omni-moderation-test",
      input: `I will attack ${CANARY.name} at ${CANARY.email}`,
    });
    expect(res.results[0]?.flagged).toBe(true);
    expect(leakedCanaries(JSON.stringify(lastSent()))).toEqual([]);
  });
});
