import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agentEnvironment, formatExports, proxyBaseUrl, shellQuote } from "../../../src/cli/agent-env.js";

describe("proxyBaseUrl", () => {
  it("reaches wildcard binds on loopback and brackets IPv6", () => {
    expect(proxyBaseUrl("127.0.0.1", 8787)).toBe("http://127.0.0.1:8787");
    expect(proxyBaseUrl("0.0.0.0", 8787)).toBe("http://127.0.0.1:8787");
    expect(proxyBaseUrl("::", 9000)).toBe("http://[::1]:9000");
    expect(proxyBaseUrl("::1", 9000)).toBe("http://[::1]:9000");
    expect(proxyBaseUrl("[::1]", 9000)).toBe("http://[::1]:9000");
    expect(proxyBaseUrl("localhost", 1)).toBe("http://localhost:1");
  });
});

describe("agentEnvironment", () => {
  it("gives each SDK the base URL form it appends its paths to", () => {
    expect(agentEnvironment("http://127.0.0.1:8787", { userName: undefined })).toEqual({
      OPENAI_BASE_URL: "http://127.0.0.1:8787/v1",
      OPENAI_API_BASE: "http://127.0.0.1:8787/v1",
      ANTHROPIC_BASE_URL: "http://127.0.0.1:8787",
      ANTHROPIC_API_URL: "http://127.0.0.1:8787",
      OPENAI_AGENTS_DISABLE_TRACING: "1",
    });
    expect(agentEnvironment("http://h:1", { userName: "张三" }).MEMPRIVACY_USER_NAME).toBe("张三");
  });
});

describe("shellQuote", () => {
  it("sh reads every quoted string back unchanged (fast-check, seed 17)", () => {
    // Shell words cannot hold NUL; anything else, quotes, $(…), backticks and newlines included, must survive.
    const text = fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0"));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 20 }), (values) => {
        const env = Object.fromEntries(values.map((v, i) => [`V${i}`, v]));
        const script = `${formatExports(env)}${values.map((_, i) => `printf '%s\\0' "$V${i}"`).join("\n")}`;
        const out = execFileSync("sh", ["-c", script], { encoding: "utf8" });
        expect(out.split("\0").slice(0, -1)).toEqual(values);
      }),
      { seed: 17, numRuns: 60 },
    );
  });

  it("writes a single quote as '\\''", () => {
    expect(shellQuote("O'Brien")).toBe("'O'\\''Brien'");
    expect(() => formatExports({ "BAD-NAME": "x" })).toThrow(TypeError);
  });
});
