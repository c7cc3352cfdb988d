/**
 * A third API family, made up here, registered the way src/app.ts registers every family: its paths reach
 * its own upstream (unversioned forms at its `/v1`), its errors come in its own shape from its plugin's
 * error handler, and the default family keeps every other path — nothing else in the server changes.
 */
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAIFamily } from "../../../src/providers/openai/family.js";
import type { ApiFamily } from "../../../src/providers/shared/family.js";
import type { ProxyContext, RequestFacts } from "../../../src/server/context.js";
import { createMetrics } from "../../../src/server/metrics.js";
import { registerApiFamily } from "../../../src/server/plugins/api-family.js";
import type { AppInstance } from "../../../src/server/types.js";
import { createUpstreamClient } from "../../../src/upstream/client.js";
import { testConfig } from "../../helpers/app.js";
import { sendJson, startMockUpstream, type MockUpstream } from "../../helpers/mock-upstream.js";

let widgets: MockUpstream;
let openai: MockUpstream;
const app = Fastify() as unknown as AppInstance;
const upstream = createUpstreamClient({
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 5_000,
  bodyTimeoutMs: 5_000,
});

const widgetFamily = (url: string): ApiFamily => ({
  id: "widgets",
  paths: ["/v1/widgets"],
  endpoints: [],
  baseUrl: () => url,
  injectsCredential: () => false,
  injectCredential: () => undefined,
  errorBody: (err) => ({ error: { kind: "widget_error", code: err.code } }),
});

beforeAll(async () => {
  widgets = await startMockUpstream();
  openai = await startMockUpstream();
  for (const m of [widgets, openai]) m.handle((req, res) => sendJson(res, 200, { url: req.url }));
  const config = testConfig({ upstream: openai.url });
  app.decorateRequest("facts", null as unknown as RequestFacts);
  app.addHook("onRequest", async (request) => {
    request.facts = {};
  });
  const ctx = {
    config,
    upstream,
    metrics: createMetrics(async () => 0),
    abortOnClose: () => new AbortController(),
  } as unknown as ProxyContext;
  await registerApiFamily(app, ctx, openAIFamily, { isDefault: true });
  await registerApiFamily(app, ctx, widgetFamily(widgets.url), { isDefault: false });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await upstream.close();
  await widgets.close();
  await openai.close();
});

describe("a third family", () => {
  it.each([
    ["/v1/widgets", "/v1/widgets"],
    ["/v1/widgets/w_1?x=1", "/v1/widgets/w_1?x=1"],
    ["/widgets/w_1", "/v1/widgets/w_1"],
  ])("GET %s reaches its upstream at %s", async (url, reached) => {
    const res = await app.inject({ method: "GET", url });
    expect(res.statusCode, res.body).toBe(200);
    expect(widgets.received.at(-1)?.url).toBe(reached);
  });

  it("answers errors on its paths in its shape, and the default family's elsewhere", async () => {
    const put = (url: string) =>
      app.inject({ method: "PUT", url, payload: "x", headers: { "content-type": "text/plain" } });
    const own = await put("/v1/widgets/w_1");
    expect(own.statusCode).toBe(403);
    expect(own.json()).toEqual({ error: { kind: "widget_error", code: "PRX_ROUTE_NOT_REDACTED" } });
    const other = await put("/v1/gadgets");
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: { code: "PRX_ROUTE_NOT_REDACTED", param: null } });
  });

  it("leaves every other path to the default family", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/widgetsX" });
    expect(res.statusCode).toBe(200);
    expect(openai.received.at(-1)?.url).toBe("/v1/widgetsX");
  });
});
