/**
 * The error catalogue, walked: every code (each raised somewhere under src/: test/unit/errors) gives an
 * API-shaped body in both families (OpenAI and Anthropic) with the catalogue's own message. Then the framework's errors — every `FST_ERR_*` a request can cause,
 * and odd requests sent over a raw socket (a URL that does not decode, absolute-form and asterisk-form
 * targets, `//host` targets, unparseable request lines, body parse errors, a foreign Host) — come back as
 * catalogue errors, 4xx, with nothing of the URL, headers or body echoed.
 */
import { errorCodes } from "fastify";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERRORS, proxyError, type ErrorCode } from "../../src/errors/catalogue.js";
import { anthropicFamily } from "../../src/providers/anthropic/family.js";
import { API_FAMILIES } from "../../src/providers/families.js";
import { openAIFamily } from "../../src/providers/openai/family.js";
import { ScopeIndex } from "../../src/redaction/scope-index.js";
import { frameworkError, rawErrorResponse, toProxyError } from "../../src/server/errors.js";
import { testApp, type TestApp } from "../helpers/app.js";

const CODES = Object.keys(ERRORS) as ErrorCode[];
const ANTHROPIC_TYPES = new Set([
  "invalid_request_error",
  "authentication_error",
  "permission_error",
  "not_found_error",
  "request_too_large",
  "rate_limit_error",
  "api_error",
  "overloaded_error",
]);
/** A value that must never come back: it sits in the URL, a header and the body of every odd request. */
const SECRET = "canary.user@example.org";

describe("every catalogue code", () => {
  it.each(CODES)("%s is API-shaped in both families", (code) => {
    const spec = ERRORS[code];
    expect(code).toMatch(/^PRX_[A-Z]+(?:_[A-Z]+)*$/);
    expect(spec.status).toBeGreaterThanOrEqual(400);
    expect(spec.status).toBeLessThan(600);
    expect(spec.message.length).toBeGreaterThan(10);
    const err = proxyError(code);
    const openai = openAIFamily.errorBody(err) as { error: Record<string, unknown> };
    expect(Object.keys(openai)).toEqual(["error"]);
    expect(openai.error).toEqual({ message: spec.message, type: spec.type, code, param: null });
    const anthropic = anthropicFamily.errorBody(err) as { type: string; error: Record<string, unknown> };
    expect(anthropic.type).toBe("error");
    expect(anthropic.error.message).toBe(spec.message);
    expect(anthropic.error.code).toBe(code);
    expect(ANTHROPIC_TYPES.has(String(anthropic.error.type)), String(anthropic.error.type)).toBe(true);
    if (spec.status < 500) expect(anthropic.error.type).not.toBe("api_error");
  });
});

// That every code is raised somewhere under src/ is checked in test/unit/errors/catalogue.test.ts.

describe("every family's stream error events carry its error shape", () => {
  const streaming = API_FAMILIES.flatMap((family) =>
    family.endpoints.flatMap(({ path: route, adapter }) => {
      const mapper = adapter.createStreamMapper(new ScopeIndex([]));
      return mapper === undefined ? [] : [{ name: `${family.id} ${route}`, family, mapper }];
    }),
  );

  it("finds the streaming endpoints of both families", () => {
    expect(streaming.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        "openai /v1/chat/completions",
        "openai /v1/responses",
        "anthropic /v1/messages",
      ]),
    );
  });

  it.each(streaming.map((s) => [s.name, s] as const))("%s", (_name, { family, mapper }) => {
    for (const code of CODES) {
      const err = proxyError(code, { cause: new Error(SECRET), detail: SECRET });
      const event = mapper.error(err);
      expect(event.data).not.toContain(SECRET);
      const data = JSON.parse(event.data) as { error?: unknown; message?: unknown; code?: unknown };
      const body = family.errorBody(err) as { error: unknown };
      // The family's error object as it is; an endpoint with its own flat form (Responses) the same fields.
      if (data.error !== undefined) expect(data.error, code).toEqual(body.error);
      else expect({ message: data.message, code: data.code }, code).toEqual({ message: err.message, code });
    }
  });
});

describe("framework errors map to the catalogue", () => {
  const fastifyCodes = Object.keys(errorCodes) as (keyof typeof errorCodes)[];

  it.each(fastifyCodes)("%s", (name) => {
    const Ctor = errorCodes[name] as unknown as new (...args: string[]) => Error & { statusCode?: number };
    const err = new Ctor(`/v1/x?email=${SECRET}`, SECRET, SECRET);
    const perr = toProxyError(err);
    expect(perr.code in ERRORS).toBe(true);
    expect(perr.message).not.toContain(SECRET);
    // A client-side framework error stays a client error; never a 500 for bad input.
    const status = err.statusCode ?? 500;
    if (status < 500) expect(perr.status, name).toBeLessThan(500);
    expect(frameworkError(err).message).not.toContain(SECRET);
  });

  it("names the target for the errors raised before routing", () => {
    expect(frameworkError(new errorCodes.FST_ERR_BAD_URL(`/x%zz?e=${SECRET}`)).code).toBe(
      "PRX_REQ_BAD_TARGET",
    );
    expect(frameworkError(new errorCodes.FST_ERR_MAX_PARAM_LENGTH("/x")).code).toBe("PRX_REQ_BAD_TARGET");
  });

  it("answers unparseable HTTP with a complete catalogue response", () => {
    const text = rawErrorResponse(Object.assign(new Error(SECRET), { code: "HPE_INVALID_METHOD" }));
    expect(text.startsWith("HTTP/1.1 400 Bad Request\r\n")).toBe(true);
    expect(text).toContain("connection: close");
    expect(text).not.toContain(SECRET);
    const body = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { error: { code: string } };
    expect(body.error.code).toBe("PRX_REQ_BAD_TARGET");
    expect(rawErrorResponse(Object.assign(new Error("x"), { code: "HPE_HEADER_OVERFLOW" }))).toMatch(
      /^HTTP\/1\.1 431 /,
    );
  });
});

describe("odd requests over a raw socket", () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    ({ app } = await testApp({ upstream: "http://127.0.0.1:9", anthropicUpstream: "http://127.0.0.1:9" }));
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    port = Number(new URL(base).port);
  });
  afterAll(async () => {
    await app.close();
  });

  /** Sends raw bytes, returns the whole answer (the connection is closed by either side). */
  function raw(request: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
      let out = "";
      socket.on("data", (d: Buffer) => (out += d.toString("utf8")));
      socket.on("close", () => resolve(out));
      socket.on("error", () => resolve(out));
      socket.setTimeout(3000, () => socket.destroy());
    });
  }

  const host = (): string => `Host: 127.0.0.1:${port}\r\nX-Leak: ${SECRET}\r\nConnection: close\r\n`;
  const cases: { name: string; request: () => string; status: number; code: string; anthropic?: boolean }[] =
    [
      {
        name: "a URL that does not decode, with a query",
        request: () => `GET /v1/chat/completions%zz?email=${SECRET} HTTP/1.1\r\n${host()}\r\n`,
        status: 400,
        code: "PRX_REQ_BAD_TARGET",
      },
      {
        name: "the same under an Anthropic path",
        request: () => `POST /v1/messages/%zz?email=${SECRET} HTTP/1.1\r\n${host()}Content-Length: 0\r\n\r\n`,
        status: 400,
        code: "PRX_REQ_BAD_TARGET",
        anthropic: true,
      },
      {
        name: "an absolute-form target",
        request: () => `GET http://evil.example/v1/models?e=${SECRET} HTTP/1.1\r\n${host()}\r\n`,
        status: 400,
        code: "PRX_REQ_BAD_TARGET",
      },
      {
        name: "OPTIONS *",
        request: () => `OPTIONS * HTTP/1.1\r\n${host()}\r\n`,
        status: 400,
        code: "PRX_REQ_BAD_TARGET",
      },
      {
        name: "a //host target",
        request: () => `GET //evil.example/${SECRET} HTTP/1.1\r\n${host()}\r\n`,
        status: 400,
        code: "PRX_REQ_BAD_TARGET",
      },
      {
        name: "an unparseable request line",
        request: () => `GET /${SECRET} HTTP/9.9 nonsense\r\n${host()}\r\n`,
        status: 400,
        code: "PRX_REQ_BAD_TARGET",
      },
      {
        name: "a body that is not JSON",
        request: () => {
          const body = `{"email":"${SECRET}"`;
          return `POST /v1/chat/completions HTTP/1.1\r\n${host()}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
        },
        status: 400,
        code: "PRX_REQ_INVALID_JSON",
      },
      {
        name: "a body of an unsupported type on an Anthropic route",
        request: () =>
          `POST /v1/messages HTTP/1.1\r\n${host()}Content-Type: text/x-${"a".repeat(5)}\r\nContent-Length: ${SECRET.length}\r\n\r\n${SECRET}`,
        status: 415,
        code: "PRX_REQ_UNSUPPORTED_MEDIA_TYPE",
        anthropic: true,
      },
      {
        name: "a foreign Host",
        request: () => `GET /?e=${SECRET} HTTP/1.1\r\nHost: ${SECRET}\r\nConnection: close\r\n\r\n`,
        status: 421,
        code: "PRX_REQ_BAD_HOST",
      },
    ];

  it.each(cases)("$name → $status $code, nothing echoed", async ({ request, status, code, anthropic }) => {
    const answer = await raw(request());
    const [head = "", body = ""] = answer.split("\r\n\r\n", 2);
    expect(head.split("\r\n")[0], answer.slice(0, 200)).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(answer).not.toContain(SECRET);
    expect(answer).not.toContain("evil.example");
    const json = JSON.parse(body) as { type?: string; error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message).toBe(ERRORS[code as ErrorCode].message);
    if (anthropic === true) expect(json.type).toBe("error");
    else expect(json.type).toBeUndefined();
  });
});
