/**
 * Round-trip parity: every field the proxy restores in a response is a field it redacts in a request. An
 * agent appends the assistant turn it received (restored) to its history and sends it back; the upstream
 * must then see placeholders again, never a raw value — for JSON and streamed responses of every adapter,
 * assembled by the official SDKs.
 */
import Anthropic from "@anthropic-ai/sdk";
import fc from "fast-check";
import type { ServerResponse } from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anthropicStreamEvents } from "../helpers/anthropic-mock.js";
import { startProxyAndMock, stopProxyAndMock, type ProxyAndMock } from "../helpers/app.js";
import { namedSseWire } from "../helpers/fixtures.js";
import { secretsIn } from "../helpers/leak-check.js";
import { sendJson, sendSse, sseWire, type Recorded } from "../helpers/mock-upstream.js";
import { pieces } from "../helpers/openai-mock.js";
import {
  functionCallItem,
  messageItem,
  responseObject,
  responsesStreamEvents,
} from "../helpers/responses-mock.js";

const POOL = [
  "parity.one@example.org",
  "13912345678",
  "4539 1488 0343 6467",
  "second.person@example.net",
  "110101199003074514",
  "10.0.0.12",
];

/** Every canonical placeholder in a request body, in order of first appearance. */
function placeholdersIn(body: string): string[] {
  return [...new Set(body.match(/<[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*_\d+>/g) ?? [])];
}

/** A model that writes every placeholder it saw into every field the proxy restores. */
async function parrot(req: Recorded, res: ServerResponse): Promise<void> {
  const body = JSON.parse(req.body) as { stream?: boolean };
  const seen = placeholdersIn(req.body);
  const text = `Seen: ${seen.join(" ")}`;
  const args = JSON.stringify({ all: seen, first: seen[0] ?? "" });
  if (req.url.startsWith("/v1/chat/completions")) {
    const message = {
      role: "assistant",
      content: text,
      refusal: `No: ${seen.join(", ")}`,
      tool_calls: [{ id: "call_1", type: "function", function: { name: "save", arguments: args } }],
    };
    if (body.stream !== true) {
      sendJson(res, 200, {
        id: "c1",
        object: "chat.completion",
        created: 1,
        model: "gpt-test",
        choices: [{ index: 0, message, finish_reason: "tool_calls", logprobs: null }],
      });
      return;
    }
    const chunk = (delta: unknown, finish: string | null = null) => ({
      id: "c1",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-test",
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const events: unknown[] = [chunk({ role: "assistant", content: "" })];
    for (const p of pieces(message.content, 4)) events.push(chunk({ content: p }));
    for (const p of pieces(message.refusal, 4)) events.push(chunk({ refusal: p }));
    events.push(
      chunk({
        tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "save", arguments: "" } }],
      }),
    );
    for (const p of pieces(args, 5))
      events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] }));
    events.push(chunk({}, "tool_calls"));
    await sendSse(res, sseWire(events));
    return;
  }
  if (req.url.startsWith("/v1/responses")) {
    if (body.stream !== true) {
      sendJson(res, 200, responseObject([messageItem(text), functionCallItem("save", args)]));
      return;
    }
    await sendSse(
      res,
      namedSseWire(responsesStreamEvents({ text, call: { name: "save", arguments: args } })),
    );
    return;
  }
  const input = { all: seen, first: seen[0] ?? "" };
  if (body.stream !== true) {
    sendJson(res, 200, {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-test",
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
      content: [
        {
          type: "text",
          text,
          citations: [
            {
              type: "char_location",
              cited_text: seen.join(" "),
              document_index: 0,
              document_title: null,
              start_char_index: 0,
              end_char_index: 1,
            },
          ],
        },
        { type: "tool_use", id: "toolu_1", name: "save", input },
      ],
    });
    return;
  }
  await sendSse(res, namedSseWire(anthropicStreamEvents({ text, tool: { name: "save", input } })));
}

describe("round-trip parity", () => {
  let proxy: ProxyAndMock;
  let openai: OpenAI;
  let anthropic: Anthropic;
  beforeAll(async () => {
    proxy = await startProxyAndMock(parrot, (url) => ({ upstream: url, anthropicUpstream: url }));
    openai = new OpenAI({ apiKey: "sk-parity", baseURL: `${proxy.base}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: "sk-ant-parity", baseURL: proxy.base, maxRetries: 0 });
  });
  afterAll(async () => stopProxyAndMock(proxy));

  const values = fc.subarray(POOL, { minLength: 1 });
  const params = { numRuns: 6, seed: 20261201 };

  /** Sends turn 1, then turn 2 built from the restored turn 1; checks what the upstream saw of turn 2. */
  async function checkRoundTrip(
    chosen: string[],
    turn: (text: string) => Promise<{ restored: string; next: () => Promise<unknown> }>,
  ): Promise<void> {
    const text = `Contact ${chosen.join(" and ")} today.`;
    const first = await turn(text);
    // Not vacuous: the client did get its values back in the restored turn.
    expect(secretsIn(first.restored, chosen).sort()).toEqual([...chosen].sort());
    const before = proxy.upstream.received.length;
    await first.next();
    const second = proxy.upstream.received.slice(before);
    expect(second.length).toBe(1);
    expect(secretsIn(second.map((r) => r.body).join("\n"), chosen)).toEqual([]);
  }

  for (const stream of [false, true]) {
    it(`chat completions (${stream ? "stream" : "JSON"}): content, refusal and tool arguments go back masked`, async () => {
      await fc.assert(
        fc.asyncProperty(values, async (chosen) =>
          checkRoundTrip(chosen, async (text) => {
            const user = { role: "user" as const, content: text };
            const req = { model: "gpt-test", messages: [user] };
            const message = stream
              ? (await openai.chat.completions.stream(req).finalChatCompletion()).choices[0]?.message
              : (await openai.chat.completions.create(req)).choices[0]?.message;
            if (message === undefined) throw new Error("no message");
            return {
              restored: JSON.stringify(message),
              next: () =>
                openai.chat.completions.create({
                  model: "gpt-test",
                  messages: [
                    user,
                    {
                      role: "assistant",
                      content: message.content,
                      refusal: message.refusal,
                      tool_calls: message.tool_calls ?? [],
                    },
                    { role: "tool", tool_call_id: "call_1", content: "saved" },
                    { role: "user", content: "thanks" },
                  ],
                }),
            };
          }),
        ),
        params,
      );
    });

    it(`responses (${stream ? "stream" : "JSON"}): output items go back masked`, async () => {
      await fc.assert(
        fc.asyncProperty(values, async (chosen) =>
          checkRoundTrip(chosen, async (text) => {
            const input = [{ role: "user" as const, content: text }];
            const response = stream
              ? await openai.responses.stream({ model: "gpt-test", input }).finalResponse()
              : await openai.responses.create({ model: "gpt-test", input });
            return {
              restored: JSON.stringify(response.output),
              next: () =>
                openai.responses.create({
                  model: "gpt-test",
                  input: [
                    ...input,
                    ...(response.output as OpenAI.Responses.ResponseInputItem[]),
                    { type: "function_call_output", call_id: "call_1", output: "saved" },
                    { role: "user", content: "thanks" },
                  ],
                }),
            };
          }),
        ),
        params,
      );
    });

    it(`anthropic messages (${stream ? "stream" : "JSON"}): text, citations and tool_use.input go back masked`, async () => {
      await fc.assert(
        fc.asyncProperty(values, async (chosen) =>
          checkRoundTrip(chosen, async (text) => {
            const user = { role: "user" as const, content: text };
            const req = { model: "claude-test", max_tokens: 64, messages: [user] };
            const message = stream
              ? await anthropic.messages.stream(req).finalMessage()
              : await anthropic.messages.create(req);
            return {
              restored: JSON.stringify(message.content),
              next: () =>
                anthropic.messages.create({
                  model: "claude-test",
                  max_tokens: 64,
                  messages: [
                    user,
                    { role: "assistant", content: message.content as Anthropic.ContentBlockParam[] },
                    {
                      role: "user",
                      content: [
                        { type: "tool_result", tool_use_id: "toolu_1", content: "saved" },
                        { type: "text", text: "thanks" },
                      ],
                    },
                  ],
                }),
            };
          }),
        ),
        params,
      );
    });
  }
});
