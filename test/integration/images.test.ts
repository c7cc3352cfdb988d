/**
 * `POST /v1/images/generations` against a mock that "revises" the prompt it received (as DALL·E 3 does):
 * the prompt leaves redacted, `revised_prompt` comes back restored, images pass unchanged — as JSON and as
 * an image stream (`image_generation.partial_image` / `.completed`, split at random byte offsets).
 */
import type http from "node:http";
import fc from "fast-check";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY, CANARY_TEXT, CANARY_VALUES, leakedCanaries } from "../helpers/canaries.js";
import { startProxyAndMock, stopProxyAndMock, type LogSink, type TestApp } from "../helpers/app.js";
import { sendJson, sendSse, type MockUpstream, type Recorded } from "../helpers/mock-upstream.js";

const IMAGE = Buffer.from("not really a png, but bytes all the same").toString("base64");
let cuts: number[] = [];
let openGate: () => void = () => undefined;
let gate = Promise.resolve();

function sseEvent(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** Revises the prompt it got (keeping its placeholders) and answers with images, as JSON or a stream. */
async function imagesMock(req: Recorded, res: http.ServerResponse): Promise<void> {
  const body = JSON.parse(req.body) as { prompt: string; stream?: boolean };
  const revised = `A watercolour of: ${body.prompt}`;
  if (body.stream !== true) {
    sendJson(res, 200, { created: 1, data: [{ b64_json: IMAGE, revised_prompt: revised }] });
    return;
  }
  if (body.prompt.includes("hold the second image")) {
    // Sends the partial image, then waits for the test to have received it: only an unbuffered proxy passes.
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(sseEvent("image_generation.partial_image", { b64_json: IMAGE, partial_image_index: 0 }));
    await gate;
    res.end(sseEvent("image_generation.completed", { b64_json: IMAGE, revised_prompt: revised }));
    return;
  }
  const wire =
    sseEvent("image_generation.partial_image", { b64_json: IMAGE, partial_image_index: 0 }) +
    sseEvent("image_generation.completed", {
      b64_json: IMAGE,
      revised_prompt: revised,
      usage: { total_tokens: 9 },
    });
  await sendSse(res, wire, cuts);
}

let upstream: MockUpstream;
let app: TestApp;
let sink: LogSink;
let base: string;

beforeAll(async () => {
  ({ upstream, app, sink, base } = await startProxyAndMock(imagesMock, (url) => ({ upstream: url })));
});
afterAll(() => stopProxyAndMock({ app, upstream }));

const headers = {
  authorization: "Bearer sk-caller-images",
  "content-type": "application/json",
  "x-memprivacy-user-name": CANARY.name,
};

async function generate(body: unknown): Promise<Response> {
  return fetch(`${base}/v1/images/generations`, { method: "POST", headers, body: JSON.stringify(body) });
}

function lastPrompt(): string {
  return (JSON.parse(upstream.received.at(-1)?.body ?? "{}") as { prompt: string }).prompt;
}

describe("image generation", () => {
  it("redacts the prompt and restores revised_prompt; the image comes back unchanged", async () => {
    const res = await generate({ model: "dall-e-test", prompt: CANARY_TEXT, size: "1024x1024" });
    expect(res.status).toBe(200);
    expect(leakedCanaries(upstream.received.at(-1)?.body ?? "")).toEqual([]);
    expect(lastPrompt()).toContain("<Email_1>");
    const body = (await res.json()) as { data: { b64_json: string; revised_prompt: string }[] };
    expect(body.data[0]?.b64_json).toBe(IMAGE);
    expect(body.data[0]?.revised_prompt).toBe(`A watercolour of: ${CANARY_TEXT}`);
    for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
  });

  it("streams images as they come and restores revised_prompt, however the bytes are split", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 600 }), { maxLength: 6 }), async (at) => {
        cuts = at;
        const res = await generate({ model: "gpt-image-test", prompt: CANARY_TEXT, stream: true });
        expect(res.headers.get("content-type")).toContain("text/event-stream");
        const text = await res.text();
        const events = text
          .split("\n\n")
          .filter((e) => e.includes("data: "))
          .map((e) => JSON.parse(e.slice(e.indexOf("data: ") + 6)) as Record<string, unknown>);
        expect(events.map((e) => e.type)).toEqual([
          "image_generation.partial_image",
          "image_generation.completed",
        ]);
        expect(events.every((e) => e.b64_json === IMAGE)).toBe(true);
        expect(events[1]?.revised_prompt).toBe(`A watercolour of: ${CANARY_TEXT}`);
        expect(text).toContain("event: image_generation.completed");
        expect(leakedCanaries(upstream.received.at(-1)?.body ?? "")).toEqual([]);
      }),
      { seed: 11, numRuns: 15 },
    );
    cuts = [];
  });

  it("passes each image event on as it arrives (the stream is not buffered)", async () => {
    gate = new Promise((resolve) => (openGate = resolve));
    const res = await generate({ model: "gpt-image-test", prompt: "hold the second image", stream: true });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value ?? []).toString()).toContain("image_generation.partial_image");
    openGate();
    let rest = "";
    for (let r = await reader.read(); r.done !== true; r = await reader.read())
      rest += Buffer.from(r.value).toString();
    expect(rest).toContain("image_generation.completed");
  });

  it("refuses a body without a prompt with 400, forwarding nothing", async () => {
    const before = upstream.received.length;
    const res = await generate({ model: "dall-e-test", size: "1024x1024" });
    expect(res.status).toBe(400);
    expect(upstream.received.length).toBe(before);
  });

  it("works with the official openai client", async () => {
    const client = new OpenAI({
      apiKey: "sk-caller-images",
      baseURL: `${base}/v1`,
      maxRetries: 0,
      defaultHeaders: { "x-memprivacy-user-name": CANARY.name },
    });
    const res = await client.images.generate({
      model: "dall-e-test",
      prompt: `A portrait of ${CANARY.name}`,
    });
    expect(res.data?.[0]?.revised_prompt).toBe(`A watercolour of: A portrait of ${CANARY.name}`);
    expect(lastPrompt()).not.toContain(CANARY.name);
  });
});
