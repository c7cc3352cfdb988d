/**
 * Restoration of stateful conversations: a Responses request that continues `previous_response_id` (or a
 * `conversation`) is restored with the placeholders bound to that id — JSON or streamed — while the same
 * placeholders written in a new conversation stay placeholders.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxyAndMock, stopProxyAndMock, type ProxyAndMock } from "../helpers/app.js";
import { rememberingModel } from "../helpers/responses-mock.js";

const EMAIL = "bound.user@example.org";

describe("restoration bound to a continued conversation", () => {
  let proxy: ProxyAndMock;
  let client: OpenAI;
  beforeAll(async () => {
    proxy = await startProxyAndMock(rememberingModel, (url) => ({ upstream: url }));
    client = new OpenAI({ apiKey: "sk-bindings", baseURL: `${proxy.base}/v1`, maxRetries: 0 });
  });
  afterAll(async () => stopProxyAndMock(proxy));

  it("restores with previous_response_id what the first turn sent, and nothing in a new conversation", async () => {
    const first = await client.responses.create({ model: "gpt-test", input: `Mail ${EMAIL}` });
    expect(first.output_text).toBe(`I will write to ${EMAIL}.`);
    const continued = await client.responses.create({
      model: "gpt-test",
      input: "go on",
      previous_response_id: first.id,
    });
    expect(continued.output_text).toBe(`I will write to ${EMAIL}.`);
    const fresh = await client.responses.create({ model: "gpt-test", input: "go on" });
    expect(fresh.output_text).toBe("I will write to <Email_1>.");
    expect(proxy.upstream.allBytes()).not.toContain(EMAIL);
  });

  it("binds the id a streamed response issues, and a chain inherits what its ancestors sent", async () => {
    const stream = client.responses.stream({ model: "gpt-test", input: `Mail ${EMAIL}` });
    const first = await stream.finalResponse();
    expect(first.id).toBe("resp_stream");
    const second = await client.responses.create({
      model: "gpt-test",
      input: "next",
      previous_response_id: "resp_stream",
    });
    expect(second.output_text).toBe(`I will write to ${EMAIL}.`);
    // resp_json was issued to a request that continued resp_stream: it inherits its keys.
    const third = await client.responses.create({
      model: "gpt-test",
      input: "again",
      previous_response_id: second.id,
    });
    expect(third.output_text).toBe(`I will write to ${EMAIL}.`);
  });

  it("binds to a conversation id as well", async () => {
    await client.responses.create({ model: "gpt-test", input: `Mail ${EMAIL}`, conversation: "conv_42" });
    const later = await client.responses.create({
      model: "gpt-test",
      input: "and?",
      conversation: { id: "conv_42" },
    });
    expect(later.output_text).toBe(`I will write to ${EMAIL}.`);
    const other = await client.responses.create({
      model: "gpt-test",
      input: "and?",
      conversation: "conv_43",
    });
    expect(other.output_text).toBe("I will write to <Email_1>.");
  });

  it("keeps bindings apart per scope", async () => {
    const stranger = new OpenAI({ apiKey: "sk-someone-else", baseURL: `${proxy.base}/v1`, maxRetries: 0 });
    const out = await stranger.responses.create({
      model: "gpt-test",
      input: "hi",
      previous_response_id: "resp_json",
    });
    expect(out.output_text).toBe("I will write to <Email_1>.");
  });
});
