/** Header hygiene: the request allow-list, the proxy token never forwarded, browser-state headers never returned. */
import { describe, expect, it } from "vitest";
import {
  BODY_HEADERS,
  clientHeaders,
  dropProxyToken,
  forwardableHeaders,
  UPSTREAM_REQUEST_HEADERS,
  upstreamHeaders,
} from "../../../src/upstream/headers.js";

const TOKEN = "proxy-token-0001-0001";

/** Hop-by-hop headers (RFC 9110 §7.6.1, and the proxy-only ones of §11.7): never forwarded either way. */
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

/** Every hop-by-hop header, in mixed case, with one end-to-end header named in `Connection`. */
function withHopByHop(extra: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { ...extra };
  for (const name of HOP_BY_HOP) out[name.toUpperCase()] = `value of ${name}`;
  out.connection = "keep-alive, X-Named-Hop, close";
  out["x-named-hop"] = "named in Connection";
  return out;
}

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

describe("hop-by-hop and proxy-only headers", () => {
  it.each([
    [
      "upstreamHeaders",
      (h: Record<string, string | string[]>) => upstreamHeaders(h, { extra: ["x-named-hop"] }),
    ],
    ["forwardableHeaders", (h: Record<string, string | string[]>) => forwardableHeaders(h)],
    ["clientHeaders", (h: Record<string, string | string[]>) => clientHeaders(h)],
  ])("%s drops every hop-by-hop header and each one Connection names", (_name, filter) => {
    const out = filter(withHopByHop({ accept: "application/json" }));
    expect(out).toEqual({ accept: "application/json" });
  });

  it("treats Connection given as a list of field lines like one comma-separated line", () => {
    const out = forwardableHeaders({
      connection: ["x-one", "x-two"],
      "x-one": "1",
      "x-two": "2",
      "x-three": "3",
    });
    expect(out).toEqual({ "x-three": "3" });
  });
});

describe("forwardableHeaders", () => {
  it("lower-cases names, drops the proxy's own x-memprivacy-* headers and those omitted in any case", () => {
    const out = forwardableHeaders(
      {
        "Content-Type": "application/octet-stream",
        "X-MemPrivacy-Token": TOKEN,
        "x-memprivacy-session": "s",
        Authorization: "Bearer sk-user",
        Host: "127.0.0.1:8787",
        "x-custom": ["a", "b"],
        "x-absent": undefined,
      },
      ["HOST"],
    );
    expect(out).toEqual({
      "content-type": "application/octet-stream",
      authorization: "Bearer sk-user",
      "x-custom": ["a", "b"],
    });
  });
});

describe("dropProxyToken", () => {
  it("drops a credential header given twice when either line holds the proxy token", () => {
    const headers = { authorization: ["Bearer sk-user", `Bearer ${TOKEN}`], "x-api-key": [TOKEN] };
    dropProxyToken(headers, TOKEN);
    expect(headers).toEqual({});
  });

  it("drops an x-api-key holding the token in the Bearer form too: the token never leaves the proxy", () => {
    const headers = { "x-api-key": `Bearer ${TOKEN}` };
    dropProxyToken(headers, TOKEN);
    expect(headers).toEqual({});
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
