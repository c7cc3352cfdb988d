// One hostile message cannot freeze the proxy: large texts are detected on worker threads, so /healthz
// answers while it runs, and the detect deadline is real — the request fails closed (503 PRX_DETECT_TIMEOUT,
// nothing forwarded) and the proxy keeps serving.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxyAndMock, stopProxyAndMock, type ProxyAndMock } from "../helpers/app.js";
import { openAIEcho } from "../helpers/openai-mock.js";

let running: ProxyAndMock;
const headers = { authorization: "Bearer sk-hostile", "content-type": "application/json" };
const chat = (content: string): Promise<Response> =>
  fetch(`${running.base}/v1/chat/completions`, {
    method: "POST",
    headers,
    body: JSON.stringify({ model: "m", messages: [{ role: "user", content }] }),
  });

beforeAll(async () => {
  running = await startProxyAndMock(openAIEcho, (upstream) => ({
    upstream,
    detectTimeoutMs: 300,
    detectWorkers: 1,
  }));
});
afterAll(async () => {
  await stopProxyAndMock(running);
});

describe("hostile input", () => {
  it("answers /healthz while a hostile message is detected, then refuses the message at its deadline", async () => {
    const before = running.upstream.received.length;
    // Seconds of rule work: a page of Chinese cue words (3M characters).
    let chatDone = false;
    const pending = chat("密码是".repeat(1_000_000)).then((res) => {
      chatDone = true;
      return res;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const health = await fetch(`${running.base}/healthz`);
    expect(health.status).toBe(200);
    expect(chatDone).toBe(false);
    const res = await pending;
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("PRX_DETECT_TIMEOUT");
    expect(running.upstream.received.length).toBe(before);
    // The proxy keeps serving.
    const ok = await chat("mail jane@example.com about the invoice");
    expect(ok.status).toBe(200);
    expect(running.upstream.received.at(-1)?.body).not.toContain("jane@example.com");
  });
});
