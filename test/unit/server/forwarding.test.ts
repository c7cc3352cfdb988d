/** Injected keys go only on requests the boundary admitted; the proxy token never goes upstream. */
import { describe, expect, it } from "vitest";
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
const reply = { header: () => reply, code: () => reply, send: () => reply } as unknown as AppReply;

describe("upstreamRequestHeaders", () => {
  it("adds no injected key to a request that did not pass the boundary", () => {
    const request = fakeRequest({ host: "127.0.0.1:8787", authorization: "Bearer sk-caller" });
    expect(upstreamRequestHeaders(request, config, "openai").authorization).toBe("Bearer sk-caller");
    expect(upstreamRequestHeaders(request, config, "anthropic")["x-api-key"]).toBeUndefined();
  });

  it("adds the family's injected key once the boundary admitted the request", () => {
    const request = fakeRequest({ host: "127.0.0.1:8787", authorization: `Bearer ${TOKEN}` });
    expect(checkBoundary(config, request, reply)).toBe(false);
    const openai = upstreamRequestHeaders(request, config, "openai");
    expect(openai.authorization).toBe("Bearer sk-injected-openai");
    const anthropic = upstreamRequestHeaders(request, config, "anthropic");
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
    for (const flavour of ["openai", "anthropic"] as const) {
      const headers = upstreamRequestHeaders(request, bare, flavour);
      expect(JSON.stringify(headers), flavour).not.toContain(TOKEN);
      expect(headers["accept-encoding"]).toBe("identity");
    }
  });
});
