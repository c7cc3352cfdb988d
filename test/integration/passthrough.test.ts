import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp } from "../helpers/app.js";
import { sendJson, startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";

let upstream: MockUpstream;
let app: Awaited<ReturnType<typeof testApp>>["app"];

beforeAll(async () => {
  upstream = await startMockUpstream();
  upstream.handle((req, res) => sendJson(res, 200, { url: req.url, body: req.body }));
  ({ app } = await testApp({
    upstream: upstream.url,
    anthropicUpstream: upstream.url,
    upstreamApiKey: "sk-injected-openai",
    anthropicApiKey: "sk-ant-injected",
  }));
});
afterAll(async () => {
  await app.close();
  await upstream.close();
});

describe("passthrough", () => {
  it("forwards other routes unchanged, body included, with the OpenAI key injected", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/files?purpose=batch",
      headers: {
        "content-type": "application/octet-stream",
        authorization: "Bearer caller",
        "x-memprivacy-session": "s",
      },
      payload: Buffer.from("raw bytes \u00e9"),
    });
    expect(res.json()).toEqual({ url: "/v1/files?purpose=batch", body: "raw bytes \u00e9" });
    const rec = upstream.received.at(-1);
    expect(rec?.headers.authorization).toBe("Bearer sk-injected-openai");
    expect(rec?.headers["x-memprivacy-session"]).toBeUndefined();
  });

  it("injects the Anthropic key as x-api-key on Anthropic paths", async () => {
    await app.inject({
      method: "GET",
      url: "/v1/messages/batches",
      headers: { "x-api-key": "caller", authorization: "Bearer caller" },
    });
    const rec = upstream.received.at(-1);
    expect(rec?.headers["x-api-key"]).toBe("sk-ant-injected");
    expect(rec?.headers.authorization).toBeUndefined();
  });
});
