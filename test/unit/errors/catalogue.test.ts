/**
 * The catalogue holds only codes the proxy can raise: each one is named by some module under src/ besides the
 * catalogue itself (a dead code would document an answer no client can get). How each renders in both API
 * families is walked in test/security/error-catalogue.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ERRORS, isProxyError, proxyError, type ErrorCode } from "../../../src/errors/catalogue.js";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../src");
const CATALOGUE = path.join(SRC, "errors", "catalogue.ts");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.ts$/.test(e.name) && p !== CATALOGUE ? [p] : [];
  });
}

const NAMED = new Set(
  sources(SRC).flatMap((f) => readFileSync(f, "utf8").match(/\bPRX_[A-Z]+(?:_[A-Z]+)*\b/g) ?? []),
);
const CODES = Object.keys(ERRORS) as ErrorCode[];

describe("error catalogue", () => {
  it("sees the codes the proxy raises (the scan can fail)", () => {
    expect(NAMED.has("PRX_REQ_INVALID_JSON")).toBe(true);
    expect(NAMED.has("PRX_NOT_A_CODE")).toBe(false);
  });

  it.each(CODES)("%s is raised somewhere under src/", (code) => {
    expect(NAMED.has(code)).toBe(true);
  });

  it.each(CODES)("%s builds a coded error with the catalogue's status and message", (code) => {
    const err = proxyError(code, { detail: "for the log only" });
    expect(isProxyError(err)).toBe(true);
    expect(err.code).toBe(code);
    expect(err.status).toBe(ERRORS[code].status);
    expect(err.message).toBe(ERRORS[code].message);
    expect(err.message).not.toContain("for the log only");
  });
});
