/** Injected keys go only on requests the boundary admitted; the proxy token never goes upstream. */
import { describe, expect, it } from "vitest";
import { anthropicFamily } from "../../../src/providers/anthropic/family.js";
import { API_FAMILIES } from "../../../src/providers/families.js";
import { openAIFamily } from "../../../src/providers/openai/family.js";
import { checkBoundary } from "../../../src/server/boundary.js";
import { upstreamRequestHeaders } from "../../../src/server/forwarding.js";
import type { AppReply, AppRequest } from "../../../src/server/types.js";
import { testConfig } from "../../helpers/app.js";

const TOKEN = "proxy-token-unit-0001";
const config = testConfig({
  upstreamApiKey: "sk-injected-openai",
  anthropicApiKey: "sk-injected-ant",
  proxyToken: TOKEN,
});

function fakeRequest(headers: Record<string, string>): AppRequest {
  const raw = { rawHeaders: Object.entries(headers).flat() };
  return { headers, raw, method: "POST", protocol: "http" } as unknown as AppRequest;
}
/** What the redacting routes ask for: an uncompressed answer they can restore. */
const JSON_ROUTE = { identity: true } as const;
const reply = { header: () => reply, code: () => reply, send: () => reply } as unknown as AppReply;

describe("upstreamRequestHeaders", () => {
  it("adds no injected key to a request that did not pass the boundary", () => {
    const request = fakeRequest({ host: "127.0.0.1:8787", authorization: "Bearer sk-caller" });
    expect(upstreamRequestHeaders(request, config, openAIFamily, JSON_ROUTE).authorization).toBe(
      "Bearer sk-caller",
    );
    expect(upstreamRequestHeaders(request, config, anthropicFamily, JSON_ROUTE)["x-api-key"]).toBeUndefined();
  });

  it("adds the family's injected key once the boundary admitted the request", () => {
    const request = fakeRequest({ host: "127.0.0.1:8787", authorization: `Bearer ${TOKEN}` });
    expect(checkBoundary(config, request, reply)).toBe(false);
    const openai = upstreamRequestHeaders(request, config, openAIFamily, JSON_ROUTE);
    expect(openai.authorization).toBe("Bearer sk-injected-openai");
    const anthropic = upstreamRequestHeaders(request, config, anthropicFamily, JSON_ROUTE);
    expect(anthropic["x-api-key"]).toBe("sk-injected-ant");
    expect(anthropic.authorization).toBeUndefined();
    expect(JSON.stringify([openai, anthropic])).not.toContain(TOKEN);
  });

  it("never forwards the proxy token, with or without an injected key", () => {
    const bare = testConfig({ proxyToken: TOKEN });
    const request = fakeRequest({
      host: "localhost",
      authorization: `Bearer ${TOKEN}`,
      "x-memprivacy-token": TOKEN,
    });
    expect(checkBoundary(bare, request, reply)).toBe(false);
    for (const family of API_FAMILIES) {
      const headers = upstreamRequestHeaders(request, bare, family, JSON_ROUTE);
      expect(JSON.stringify(headers), family.id).not.toContain(TOKEN);
      expect(headers["accept-encoding"]).toBe("identity");
    }
  });

  it("keeps the caller's coding and adds the body headers only where asked (the passthrough)", () => {
    const request = fakeRequest({
      host: "127.0.0.1:8787",
      "accept-encoding": "gzip",
      "content-type": "application/octet-stream",
      "content-length": "3",
    });
    const json = upstreamRequestHeaders(request, config, openAIFamily, JSON_ROUTE);
    expect(json["accept-encoding"]).toBe("identity");
    expect(json["content-type"]).toBeUndefined();
    const raw = upstreamRequestHeaders(request, config, openAIFamily, {
      identity: false,
      extra: ["content-type", "content-length"],
    });
    expect(raw).toMatchObject({
      "accept-encoding": "gzip",
      "content-type": "application/octet-stream",
      "content-length": "3",
    });
  });
});
