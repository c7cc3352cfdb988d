/** Origin classification: no page, the proxy's own page, a listed origin, or refused; and the target form. */
import { describe, expect, it } from "vitest";
import { classifyOrigin, isOriginFormTarget, normaliseOrigin } from "../../../src/server/boundary.js";

const HOST = "127.0.0.1:8787";

function verdict(headers: Record<string, string>, allowed: string[] = []) {
  return classifyOrigin({ host: HOST, ...headers }, "http", allowed);
}

describe("classifyOrigin", () => {
  it("admits a request from no page at all (SDKs, curl)", () => {
    expect(verdict({})).toBe("no-page");
    expect(verdict({ "sec-fetch-site": "none" })).toBe("no-page");
  });

  it("admits the proxy's own page: Origin equal to http://<Host>", () => {
    expect(verdict({ origin: "http://127.0.0.1:8787", "sec-fetch-site": "same-origin" })).toBe("same-origin");
    expect(verdict({ origin: "HTTP://127.0.0.1:8787" })).toBe("same-origin");
    expect(classifyOrigin({ host: "localhost", origin: "http://localhost:80" }, "http", [])).toBe(
      "same-origin",
    );
  });

  it("refuses every other Origin, `null` included, and any cross-site request", () => {
    for (const origin of [
      "http://evil.test",
      "http://127.0.0.1:8788",
      "https://127.0.0.1:8787",
      "http://localhost:8787",
      "null",
      "http://127.0.0.1:8787/path",
      "http://user@127.0.0.1:8787",
      "",
    ]) {
      expect(verdict({ origin }), origin).toBe("refused");
    }
    // A <script src> or <img> GET sends no Origin, but does say cross-site.
    expect(verdict({ "sec-fetch-site": "cross-site" })).toBe("refused");
    expect(verdict({ origin: "http://127.0.0.1:8787", "sec-fetch-site": "cross-site" })).toBe("refused");
    // A page on another port of the same host is same-site, but not same-origin: with or without Origin.
    expect(verdict({ origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-site" })).toBe("refused");
    expect(verdict({ "sec-fetch-site": "same-site" })).toBe("refused");
    expect(verdict({ "sec-fetch-site": "something-new" })).toBe("refused");
  });

  it("admits a listed origin even though its requests are cross-site", () => {
    const allowed = ["https://app.example:8443"];
    expect(verdict({ origin: "https://app.example:8443", "sec-fetch-site": "cross-site" }, allowed)).toBe(
      "listed",
    );
    expect(verdict({ origin: "https://app.example", "sec-fetch-site": "cross-site" }, allowed)).toBe(
      "refused",
    );
    expect(verdict({ origin: "https://app.example:443" }, ["https://app.example"])).toBe("listed");
  });

  it("refuses a page whose Host is not the proxy's own (the Host check runs first; here: no Host)", () => {
    expect(classifyOrigin({ origin: "http://127.0.0.1:8787" }, "http", [])).toBe("refused");
  });
});

describe("normaliseOrigin", () => {
  it("gives the serialised origin, or undefined for anything that is not one", () => {
    expect(normaliseOrigin("http://LOCALHOST:80")).toBe("http://localhost");
    expect(normaliseOrigin("https://a.example:8443")).toBe("https://a.example:8443");
    for (const bad of ["null", "file://", "http://a.example/", "ftp://a.example", "http://a b"])
      expect(normaliseOrigin(bad), bad).toBeUndefined();
  });
});

describe("isOriginFormTarget", () => {
  it("accepts /path?query only", () => {
    expect(isOriginFormTarget("/v1/models?limit=1")).toBe(true);
    expect(isOriginFormTarget("/")).toBe(true);
    for (const bad of [undefined, "*", "http://evil.example/v1/models", "//evil.example/x", "/a#b", ""])
      expect(isOriginFormTarget(bad), String(bad)).toBe(false);
  });
});
