/** Header hygiene: the request allow-list, the proxy token never forwarded, browser-state headers never returned. */
import { describe, expect, it } from "vitest";
import {
  BODY_HEADERS,
  clientHeaders,
  UPSTREAM_REQUEST_HEADERS,
  upstreamHeaders,
} from "../../../src/upstream/headers.js";

const TOKEN = "proxy-token-0001-0001";

describe("upstreamHeaders", () => {
  it("keeps every allow-listed header and nothing else", () => {
    const allowed = Object.values(UPSTREAM_REQUEST_HEADERS).flat();
    const incoming: Record<string, string> = {
      cookie: "a=1",
      "x-custom": "v",
      "x-stainless-os": "Linux",
      "x-forwarded-for": "10.0.0.1",
      "x-memprivacy-token": TOKEN,
      "x-memprivacy-session": "s",
      host: "127.0.0.1:8787",
      origin: "http://127.0.0.1:8787",
      "content-type": "application/json",
      "content-length": "10",
      "transfer-encoding": "chunked",
      "proxy-authorization": "Basic x",
    };
    for (const name of allowed) incoming[name] = `value of ${name}`;
    const out = upstreamHeaders(incoming);
    expect(Object.keys(out).sort()).toEqual([...allowed].sort());
  });

  it("adds the body's headers only when asked, and never a header named in Connection", () => {
    const incoming = {
      "content-type": "multipart/form-data; boundary=x",
      "content-length": "12",
      "openai-beta": "b",
      connection: "openai-beta",
    };
    expect(upstreamHeaders(incoming)).toEqual({});
    expect(upstreamHeaders(incoming, { extra: BODY_HEADERS })).toEqual({
      "content-type": "multipart/form-data; boundary=x",
      "content-length": "12",
    });
  });

  it("drops a credential header that carries the proxy token, in any spelling of Bearer", () => {
    for (const auth of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `Bearer  ${TOKEN}`, TOKEN]) {
      const out = upstreamHeaders({ authorization: auth, "x-api-key": "sk-user" }, { proxyToken: TOKEN });
      expect(out, auth).toEqual({ "x-api-key": "sk-user" });
    }
    const key = upstreamHeaders(
      { authorization: "Bearer sk-user", "x-api-key": TOKEN },
      { proxyToken: TOKEN },
    );
    expect(key).toEqual({ authorization: "Bearer sk-user" });
    // Another credential that merely contains the token is the caller's own.
    const other = upstreamHeaders({ authorization: `Bearer ${TOKEN}x` }, { proxyToken: TOKEN });
    expect(other).toEqual({ authorization: `Bearer ${TOKEN}x` });
  });
});

describe("clientHeaders", () => {
  it("never returns cookies, CORS or other browser-state headers, nor hop-by-hop ones", () => {
    const out = clientHeaders(
      {
        "content-type": "application/json",
        "x-request-id": "req_1",
        "openai-processing-ms": "12",
        "set-cookie": ["a=1", "b=2"],
        "Access-Control-Allow-Origin": "*",
        "access-control-allow-credentials": "true",
        "strict-transport-security": "max-age=1",
        "alt-svc": 'h3=":443"',
        "clear-site-data": '"*"',
        "transfer-encoding": "chunked",
        "x-memprivacy-redacted": "PL2=9",
        "content-length": "10",
      },
      ["content-length"],
    );
    expect(out).toEqual({
      "content-type": "application/json",
      "x-request-id": "req_1",
      "openai-processing-ms": "12",
    });
  });
});
