/**
 * Structured outputs stay valid JSON after restoration: values holding `\`, `"`, a newline or U+2028 come
 * back inside the model's JSON text JSON-escaped, so the official `openai` SDK's `chat.completions.parse` /
 * `responses.parse` and the Vercel AI SDK's `generateObject` succeed — streamed and not.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { generateObject, streamObject } from "ai";
import type { ServerResponse } from "node:http";
import OpenAI from "openai";
import { zodResponseFormat, zodTextFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startProxyAndMock, stopProxyAndMock, type ProxyAndMock } from "../helpers/app.js";
import { namedSseWire } from "../helpers/fixtures.js";
import { sendJson, sendSse, sseWire, type Recorded } from "../helpers/mock-upstream.js";
import { pieces } from "../helpers/openai-mock.js";
import { messageItem, responseObject, responsesStreamEvents } from "../helpers/responses-mock.js";

/** Values that break JSON when spliced in raw; masked through the deny list so any text can hold them. */
const VALUES = ["abc\\def123", 'say "hi" now', "line one\nline two", "para\u2028graph"];
const Schema = z.object({ values: z.array(z.string()) });

/** A model that answers with JSON text listing the placeholders it saw (as JSON strings). */
async function jsonModel(req: Recorded, res: ServerResponse): Promise<void> {
  const body = JSON.parse(req.body) as { stream?: boolean };
  const seen = [...new Set(req.body.match(/<[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*_\d+>/g) ?? [])];
  const text = JSON.stringify({ values: seen });
  if (req.url.startsWith("/v1/chat/completions")) {
    const base = { id: "c1", created: 1, model: "gpt-test" };
    if (body.stream !== true) {
      sendJson(res, 200, {
        ...base,
        object: "chat.completion",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: text, refusal: null },
            logprobs: null,
            finish_reason: "stop",
          },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
      return;
    }
    const chunk = (delta: unknown, finish: string | null = null) => ({
      ...base,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    await sendSse(
      res,
      sseWire([
        chunk({ role: "assistant", content: "" }),
        ...pieces(text, 4).map((p) => chunk({ content: p })),
        chunk({}, "stop"),
        {
          ...base,
          object: "chat.completion.chunk",
          choices: [],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        },
      ]),
    );
    return;
  }
  if (body.stream !== true) {
    sendJson(res, 200, responseObject([messageItem(text)]));
    return;
  }
  await sendSse(res, namedSseWire(responsesStreamEvents({ text, textPiece: 4 })));
}

describe("structured outputs with values that need JSON escaping", () => {
  let proxy: ProxyAndMock;
  let client: OpenAI;
  const prompt = `Remember: ${VALUES.map((v) => `[${v}]`).join(" ")}`;
  beforeAll(async () => {
    proxy = await startProxyAndMock(jsonModel, (url) => ({ upstream: url, deny: VALUES }));
    client = new OpenAI({ apiKey: "sk-structured", baseURL: `${proxy.base}/v1`, maxRetries: 0 });
  });
  afterAll(async () => stopProxyAndMock(proxy));

  const upstreamSawNoValue = (): void => {
    for (const v of VALUES) expect(proxy.upstream.allBytes()).not.toContain(JSON.stringify(v).slice(1, -1));
  };

  it("chat.completions.parse", async () => {
    const completion = await client.chat.completions.parse({
      model: "gpt-test",
      messages: [{ role: "user", content: prompt }],
      response_format: zodResponseFormat(Schema, "out"),
    });
    expect(completion.choices[0]?.message.parsed?.values).toEqual(VALUES);
    upstreamSawNoValue();
  });

  it("chat.completions.stream with a response format", async () => {
    const stream = client.chat.completions.stream({
      model: "gpt-test",
      messages: [{ role: "user", content: prompt }],
      response_format: zodResponseFormat(Schema, "out"),
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.parsed?.values).toEqual(VALUES);
  });

  it("responses.parse, and its stream", async () => {
    const parsed = await client.responses.parse({
      model: "gpt-test",
      input: prompt,
      text: { format: zodTextFormat(Schema, "out") },
    });
    expect(parsed.output_parsed?.values).toEqual(VALUES);
    const stream = client.responses.stream({
      model: "gpt-test",
      input: prompt,
      text: { format: zodTextFormat(Schema, "out") },
    });
    const final = await stream.finalResponse();
    expect(Schema.parse(JSON.parse(final.output_text)).values).toEqual(VALUES);
    upstreamSawNoValue();
  });

  it("Vercel AI SDK generateObject and streamObject (Chat Completions and Responses)", async () => {
    const provider = createOpenAI({ apiKey: "sk-structured", baseURL: `${proxy.base}/v1` });
    for (const model of [provider.chat("gpt-test"), provider.responses("gpt-test")]) {
      const { object } = await generateObject({ model, schema: Schema, prompt, maxRetries: 0 });
      expect(object.values).toEqual(VALUES);
      // streamObject delivers its object once its partial stream has been read.
      const streamed = streamObject({ model, schema: Schema, prompt, maxRetries: 0 });
      for await (const partial of streamed.partialObjectStream) expect(partial).toBeTypeOf("object");
      expect((await streamed.object).values).toEqual(VALUES);
    }
    upstreamSawNoValue();
  });
});
