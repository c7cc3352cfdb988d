/** The proxy token check: header or (with an injected key) Bearer, in constant time. */
import { describe, expect, it } from "vitest";
import { hasProxyToken, safeEqual } from "../../../src/server/auth.js";

const TOKEN = "proxy-token-0001-0001";

describe("hasProxyToken", () => {
  it("accepts x-memprivacy-token always, and Bearer only when an upstream key is injected", () => {
    expect(hasProxyToken({ "x-memprivacy-token": TOKEN }, TOKEN, false)).toBe(true);
    expect(hasProxyToken({ authorization: `Bearer ${TOKEN}` }, TOKEN, false)).toBe(false);
    for (const auth of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER  ${TOKEN}`])
      expect(hasProxyToken({ authorization: auth }, TOKEN, true), auth).toBe(true);
  });

  it("refuses a wrong, partial, longer or missing token", () => {
    for (const headers of [
      {},
      { "x-memprivacy-token": "" },
      { "x-memprivacy-token": TOKEN.slice(1) },
      { "x-memprivacy-token": `${TOKEN}x` },
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
      { "x-api-key": TOKEN },
    ]) {
      expect(hasProxyToken(headers, TOKEN, true), JSON.stringify(headers)).toBe(false);
    }
  });

  it("compares secrets of any length", () => {
    expect(safeEqual("a", "a")).toBe(true);
    expect(safeEqual("a", "ab")).toBe(false);
  });
});
