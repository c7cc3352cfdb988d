/**
 * The API families as data: which family a path belongs to (both forms, no look-alikes), and the invariants
 * the server's routing relies on — each endpoint belongs to the family that lists it, no two families claim
 * one path, every family injects its credential only when configured.
 */
import { describe, expect, it } from "vitest";
import { API_FAMILIES, DEFAULT_FAMILY, familyOf } from "../../../src/providers/families.js";
import { claimsPath, unversionedPath } from "../../../src/providers/shared/family.js";
import type { HeaderMap } from "../../../src/upstream/headers.js";
import { testConfig } from "../../helpers/app.js";

describe("familyOf", () => {
  it.each([
    ["/v1/messages", "anthropic"],
    ["/v1/messages?beta=true", "anthropic"],
    ["/messages/batches/msgbatch_1/results", "anthropic"],
    ["/v1/messages#x", "anthropic"],
    ["/v1/messagesX", "openai"],
    ["/v1/message", "openai"],
    ["/v2/messages", "openai"],
    ["/x/v1/messages", "openai"],
    ["/v1/chat/completions", "openai"],
    ["/", "openai"],
  ])("%s → %s", (url, id) => {
    expect(familyOf(url).id).toBe(id);
  });
});

describe("the family list", () => {
  it("has unique ids, one default that claims no path, and the others claim paths", () => {
    expect(new Set(API_FAMILIES.map((f) => f.id)).size).toBe(API_FAMILIES.length);
    expect(API_FAMILIES).toContain(DEFAULT_FAMILY);
    expect(DEFAULT_FAMILY.paths).toEqual([]);
    for (const f of API_FAMILIES) if (f !== DEFAULT_FAMILY) expect(f.paths.length, f.id).toBeGreaterThan(0);
  });

  it("routes every endpoint, in both forms, to the family that lists it, and each path to one family", () => {
    const seen = new Set<string>();
    for (const family of API_FAMILIES) {
      for (const { path } of family.endpoints) {
        expect(path).toMatch(/^\/v1\//);
        for (const form of [path, unversionedPath(path)]) {
          expect(familyOf(form), `${family.id} ${form}`).toBe(family);
          expect(seen.has(form), form).toBe(false);
          seen.add(form);
        }
      }
      for (const other of API_FAMILIES.filter((f) => f !== family)) {
        for (const p of family.paths) expect(claimsPath(other, p), `${other.id} ${p}`).toBe(false);
      }
    }
  });

  it("injects a credential only when one is configured, and then only its own", () => {
    const bare = testConfig();
    const keyed = testConfig({ upstreamApiKey: "sk-openai-1", anthropicApiKey: "sk-ant-1" });
    for (const family of API_FAMILIES) {
      expect(family.injectsCredential(bare), family.id).toBe(false);
      expect(family.injectsCredential(keyed), family.id).toBe(true);
      const untouched: HeaderMap = { authorization: "Bearer caller" };
      family.injectCredential(untouched, bare);
      expect(untouched, family.id).toEqual({ authorization: "Bearer caller" });
      const injected: HeaderMap = { authorization: "Bearer caller", "x-api-key": "caller" };
      family.injectCredential(injected, keyed);
      const values = Object.values(injected).join(" ");
      expect(values, family.id).toMatch(/sk-(openai|ant)-1/);
      // Never both keys, and never the caller's credential beside the injected one in the same header.
      expect(values.includes("sk-openai-1") && values.includes("sk-ant-1"), family.id).toBe(false);
    }
    expect(familyOf("/v1/models").baseUrl(keyed)).toBe(keyed.upstream);
    expect(familyOf("/v1/messages").baseUrl(keyed)).toBe(keyed.anthropicUpstream);
  });
});
