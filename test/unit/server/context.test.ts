/**
 * The request helpers every route shares: the scope of a request, the user's name, which placeholders a
 * response may be restored with, and the counts a redaction leaves on the request and reply.
 */
import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import type { RedactionOutcome } from "../../../src/redaction/pipeline.js";
import { createRuntime } from "../../../src/runtime.js";
import { createProxyContext, REDACTED_HEADER, type ProxyContext } from "../../../src/server/context.js";
import { createLogger } from "../../../src/server/logger.js";
import { createMetrics } from "../../../src/server/metrics.js";
import { TrafficLog } from "../../../src/server/traffic.js";
import type { AppRequest } from "../../../src/server/types.js";
import { scopeFor } from "../../../src/scope/scope.js";
import { createUpstreamClient } from "../../../src/upstream/client.js";
import type { ConfigInput } from "../../../src/config/schema.js";
import { testConfig } from "../../helpers/app.js";

async function contextOf(overrides: Partial<ConfigInput> = {}): Promise<ProxyContext> {
  const config = testConfig({ detectWorkers: 0, ...overrides });
  const runtime = createRuntime(config);
  const { redactor } = await runtime.detection();
  return createProxyContext({
    config,
    redactor,
    policy: runtime.policy,
    bindings: runtime.bindings,
    metrics: createMetrics(() => Promise.resolve(0)),
    logger: createLogger("silent"),
    upstream: createUpstreamClient({ connectTimeoutMs: 1000, headersTimeoutMs: 1000, bodyTimeoutMs: 1000 }),
    traffic: new TrafficLog(),
  });
}

const request = (headers: IncomingHttpHeaders): AppRequest =>
  ({ headers, facts: {} }) as unknown as AppRequest;

function codeOf(run: () => unknown): string {
  try {
    run();
    return "ok";
  } catch (err) {
    return (err as { code?: string }).code ?? "other";
  }
}

describe("ProxyContext", () => {
  it("scopes a request by its credential and session; a malformed session header is a 400", async () => {
    const ctx = await contextOf();
    expect(ctx.scopeOf(request({ authorization: "Bearer sk-a" }))).toBe(scopeFor("Bearer sk-a"));
    expect(ctx.scopeOf(request({ authorization: "Bearer sk-a", "x-memprivacy-session": "s1" }))).toBe(
      scopeFor("Bearer sk-a", "s1"),
    );
    expect(codeOf(() => ctx.scopeOf(request({ "x-memprivacy-session": "two words" })))).toBe(
      "PRX_REQ_BAD_HEADER",
    );
  });

  it("reads the user's name from the header (percent-encoded UTF-8), else from the configuration", async () => {
    const ctx = await contextOf({ userName: "Configured Name" });
    expect(ctx.userNameOf(request({}))).toBe("Configured Name");
    expect(ctx.userNameOf(request({ "x-memprivacy-user-name": "" }))).toBe("Configured Name");
    expect(ctx.userNameOf(request({ "x-memprivacy-user-name": "Zhang%20San%20%E5%BC%A0" }))).toBe(
      "Zhang San 张",
    );
    expect(codeOf(() => ctx.userNameOf(request({ "x-memprivacy-user-name": "%E5%BC" })))).toBe(
      "PRX_REQ_BAD_HEADER",
    );
  });

  it("restores with the exchange unless the configuration widens it", async () => {
    const session = request({ "x-memprivacy-session": "s1" });
    const plain = request({});
    const exchange = await contextOf();
    expect([exchange.restoreScopeOf(session), exchange.restoreScopeOf(plain)]).toEqual([
      "exchange",
      "exchange",
    ]);
    const bySession = await contextOf({ restoreScope: "session" });
    expect([bySession.restoreScopeOf(session), bySession.restoreScopeOf(plain)]).toEqual([
      "scope",
      "exchange",
    ]);
    const byScope = await contextOf({ restoreScope: "scope" });
    expect([byScope.restoreScopeOf(session), byScope.restoreScopeOf(plain)]).toEqual(["scope", "scope"]);
  });

  it("notes a redaction's counts on the request and in the reply header, never its values", async () => {
    const ctx = await contextOf();
    const outcome = await ctx.redactor.redact({
      items: [{ text: "call 13800138000 or 13900139000", role: "user" }],
      scope: "named:ctx",
      policy: ctx.policy,
      maskKnown: false,
    });
    const req = request({});
    const headers: Record<string, string> = {};
    const reply = { header: (k: string, v: string) => (headers[k] = v) };
    ctx.noteRedaction(req, outcome satisfies RedactionOutcome, reply as never);
    expect(req.facts.spans).toEqual({ PL2: 2, PL3: 0, PL4: 0 });
    expect(headers).toEqual({ [REDACTED_HEADER]: "PL2=2,PL3=0,PL4=0" });
  });

  it("counts every span in the metrics, by level and type (a free-form type as other)", async () => {
    const ctx = await contextOf();
    const span = (type: string, level: "PL2" | "PL3" | "PL4", text: string) =>
      ({ start: 0, end: text.length, text, type, level, source: "test" }) as const;
    const phones = Array.from({ length: 5 }, (_, i) => span("Phone Number", "PL2", `1380013800${i}`));
    const outcome = {
      counts: { PL2: 6, PL3: 1, PL4: 2 },
      spans: [
        [...phones, span("Password", "PL4", "hunter2"), span("Medical Health", "PL3", "asthma")],
        [span("Password", "PL4", "s3cret"), span("my pet's name", "PL2", "Rex")],
      ],
    };
    ctx.noteRedaction(request({}), outcome as unknown as RedactionOutcome);
    const values = (await ctx.metrics.spans.get()).values.map((v) => [
      v.labels.level,
      v.labels.type,
      v.value,
    ]);
    expect(values.sort()).toEqual(
      [
        ["PL2", "Phone Number", 5],
        ["PL2", "other", 1],
        ["PL3", "Medical Health", 1],
        ["PL4", "Password", 2],
      ].sort(),
    );
  });
});
