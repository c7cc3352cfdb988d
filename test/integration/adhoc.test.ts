import { afterEach, describe, expect, it } from "vitest";
import { testApp, tempDir } from "../helpers/app.js";

const SEED =
  "Hello, my name is Zhang San, and my mobile number is 13800138000. Please remember it. " +
  "My verification code is 89757, do not share it.";
const VALUES = ["Zhang San", "13800138000", "89757"];

type App = Awaited<ReturnType<typeof testApp>>["app"];
const apps: App[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const c of cleanups.splice(0)) c();
});

async function start(overrides: Parameters<typeof testApp>[0] = {}) {
  const made = await testApp(overrides);
  apps.push(made.app);
  return made;
}

interface RedactBody {
  text: string;
  spans: {
    placeholder: string;
    type: string;
    level: string;
    start: number;
    end: number;
    original?: string;
  }[];
}

describe("POST /v1/redact and /v1/restore", () => {
  it("redacts the seed example to typed placeholders at PL2, PL2, PL4 and restores it exactly", async () => {
    const { app, sink } = await start();
    const res = await app.inject({
      method: "POST",
      url: "/v1/redact",
      headers: { authorization: "Bearer sk-test-1" },
      payload: { text: SEED, user_name: "Zhang San" },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<RedactBody>();
    expect(body.spans.map((s) => s.level)).toEqual(["PL2", "PL2", "PL4"]);
    expect(body.spans.map((s) => s.placeholder)).toEqual([
      "<Real_Name_1>",
      "<Phone_Number_1>",
      "<Verification_Code_1>",
    ]);
    for (const v of VALUES) expect(body.text).not.toContain(v);
    expect(body.spans.every((s) => s.original === undefined)).toBe(true);
    expect(SEED.slice(body.spans[1]?.start, body.spans[1]?.end)).toBe("13800138000");

    const back = await app.inject({
      method: "POST",
      url: "/v1/restore",
      headers: { authorization: "Bearer sk-test-1" },
      payload: { text: body.text },
    });
    expect(back.json<{ text: string }>().text).toBe(SEED);
    for (const v of VALUES) expect(sink.text).not.toContain(v);
    expect(sink.text).not.toContain("sk-test-1");
  });

  it("echoes originals only when asked", async () => {
    const { app } = await start();
    const res = await app.inject({
      method: "POST",
      url: "/v1/redact",
      payload: { text: SEED, user_name: "Zhang San", include_originals: true },
    });
    expect(res.json<RedactBody>().spans.map((s) => s.original)).toEqual(VALUES);
  });

  it("honours levels and modes per request", async () => {
    const { app } = await start();
    const pl4 = await app.inject({
      method: "POST",
      url: "/v1/redact",
      payload: { text: SEED, levels: "PL4", user_name: "Zhang San" },
    });
    expect(pl4.json<RedactBody>().spans.map((s) => s.level)).toEqual(["PL4"]);
    const generic = await app.inject({
      method: "POST",
      url: "/v1/redact",
      payload: { text: SEED, mode: "generic", user_name: "Zhang San" },
    });
    expect(generic.json<RedactBody>().spans.map((s) => s.placeholder)).toEqual([
      "<Private_1>",
      "<Private_2>",
      "<Private_3>",
    ]);
    const complete = await app.inject({
      method: "POST",
      url: "/v1/redact",
      payload: { text: SEED, mode: "complete", user_name: "Zhang San" },
    });
    const body = complete.json<RedactBody>();
    expect(body.text.match(/\[REDACTED\]/g)).toHaveLength(3);
    const back = await app.inject({ method: "POST", url: "/v1/restore", payload: { text: body.text } });
    expect(back.json<{ text: string }>().text).toBe(body.text);
  });

  it("keeps scopes apart: another credential or session cannot restore a placeholder", async () => {
    const { app } = await start();
    const red = await app.inject({
      method: "POST",
      url: "/v1/redact",
      headers: { authorization: "Bearer alice" },
      payload: { text: SEED, user_name: "Zhang San" },
    });
    const text = red.json<RedactBody>().text;
    for (const headers of [
      { authorization: "Bearer bob" },
      { authorization: "Bearer alice", "x-memprivacy-session": "s2" },
      {},
    ]) {
      const back = await app.inject({ method: "POST", url: "/v1/restore", headers, payload: { text } });
      expect(back.json<{ text: string }>().text).toBe(text);
    }
  });

  it("gives the same value the same placeholder across restarts (SQLite vault)", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const first = await testApp({ ephemeral: false, dataDir: dir });
    const a = await first.app.inject({
      method: "POST",
      url: "/v1/redact",
      payload: { text: "call 13900139000" },
    });
    await first.app.close();
    const second = await testApp({ ephemeral: false, dataDir: dir });
    apps.push(second.app);
    await second.app.inject({ method: "POST", url: "/v1/redact", payload: { text: "mail x@y.org" } });
    const b = await second.app.inject({
      method: "POST",
      url: "/v1/redact",
      payload: { text: "again 13900139000" },
    });
    expect(a.json<RedactBody>().text).toBe("call <Phone_Number_1>");
    expect(b.json<RedactBody>().text).toBe("again <Phone_Number_1>");
  });

  it.each([
    ["malformed JSON", "application/json", "{nope", 400, "PRX_REQ_INVALID_JSON"],
    ["wrong content type", "text/plain", "hello", 415, "PRX_REQ_UNSUPPORTED_MEDIA_TYPE"],
    ["missing text", "application/json", "{}", 400, "PRX_REQ_INVALID_BODY"],
    ["deep nesting", "application/json", "[".repeat(5000) + "]".repeat(5000), 400, "PRX_REQ_TOO_DEEP"],
    [
      "prototype poisoning",
      "application/json",
      '{"text":"a","__proto__":{"x":1}}',
      400,
      "PRX_REQ_INVALID_JSON",
    ],
    [
      "escaped prototype poisoning",
      "application/json",
      '{"text":"a","\\u005f_proto__":{"x":1}}',
      400,
      "PRX_REQ_INVALID_JSON",
    ],
    [
      "escaped constructor",
      "application/json",
      '{"text":"a","c":{"\\u0063onstructor":{"prototype":{}}}}',
      400,
      "PRX_REQ_INVALID_JSON",
    ],
  ])("answers %s with an OpenAI-shaped error", async (_name, type, payload, status, code) => {
    const { app, sink } = await start();
    const res = await app.inject({
      method: "POST",
      url: "/v1/redact",
      headers: { "content-type": type },
      payload,
    });
    expect(res.statusCode).toBe(status);
    const body = res.json<{ error: { message: string; type: string; code: string } }>();
    expect(body.error.code).toBe(code);
    expect(body.error.type).toBe("invalid_request_error");
    expect(sink.text).not.toContain("hello");
    const ok = await app.inject({ method: "GET", url: "/healthz" });
    expect(ok.statusCode).toBe(200);
  });

  it("answers 413 for a body over the limit", async () => {
    const { app } = await start({ bodyLimit: 2048 });
    const res = await app.inject({ method: "POST", url: "/v1/redact", payload: { text: "x".repeat(4096) } });
    expect(res.statusCode).toBe(413);
    expect(res.json<{ error: { code: string } }>().error.code).toBe("PRX_REQ_TOO_LARGE");
  });

  it("says which detector is active in /readyz", async () => {
    const { app } = await start();
    const res = await app.inject({ method: "GET", url: "/readyz" });
    expect(res.json<{ detector: { kind: string } }>().detector.kind).toBe("rules");
  });

  it("requires the proxy token when one is configured (health stays open)", async () => {
    const { app } = await start({ proxyToken: "t0ken-t0ken-t0ken-1" });
    expect((await app.inject({ method: "POST", url: "/v1/redact", payload: { text: "a" } })).statusCode).toBe(
      401,
    );
    const ok = await app.inject({
      method: "POST",
      url: "/v1/redact",
      headers: { "x-memprivacy-token": "t0ken-t0ken-t0ken-1" },
      payload: { text: "a" },
    });
    expect(ok.statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });

  it("refuses a foreign Host on a loopback listener (DNS rebinding) unless allowed", async () => {
    const { app } = await start();
    const evil = await app.inject({
      method: "POST",
      url: "/v1/restore",
      headers: { host: "attacker.example:8787" },
      payload: { text: "x" },
    });
    expect(evil.statusCode).toBe(421);
    expect(evil.json<{ error: { code: string } }>().error.code).toBe("PRX_REQ_BAD_HOST");
    for (const host of ["127.0.0.1:8787", "localhost", "[::1]:8787"]) {
      const ok = await app.inject({
        method: "POST",
        url: "/v1/restore",
        headers: { host },
        payload: { text: "x" },
      });
      expect(ok.statusCode).toBe(200);
    }
    const allowed = await start({ allowedHosts: "memprivacy" });
    const sidecar = await allowed.app.inject({
      method: "POST",
      url: "/v1/restore",
      headers: { host: "memprivacy:8787" },
      payload: { text: "x" },
    });
    expect(sidecar.statusCode).toBe(200);
  });
});
