/**
 * Scope derivation over every combination of the two credential headers — each absent, empty, equal to the
 * other, or different — and the session header (absent, empty, set, malformed).
 */
import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { credentialIdOf, scopeFor, scopeFromHeaders, SESSION_HEADER } from "../../../src/scope/scope.js";

type State = "absent" | "empty" | "A" | "B";
const STATES: readonly State[] = ["absent", "empty", "A", "B"];
const VALUE = { A: "Bearer sk-user-a-0001", B: "Bearer sk-user-b-0002" } as const;

function headersOf(auth: State, key: State, session?: string): IncomingHttpHeaders {
  const h: IncomingHttpHeaders = {};
  if (auth !== "absent") h.authorization = auth === "empty" ? "" : VALUE[auth];
  if (key !== "absent") h["x-api-key"] = key === "empty" ? "" : VALUE[key];
  if (session !== undefined) h[SESSION_HEADER] = session;
  return h;
}

/** The credentials a combination really carries: empty headers count as absent, equal values once. */
function carried(auth: State, key: State): string[] {
  const values = [auth, key].filter((s): s is "A" | "B" => s === "A" || s === "B").map((s) => VALUE[s]);
  return [...new Set(values)];
}

const COMBINATIONS = STATES.flatMap((auth) => STATES.map((key) => [auth, key] as const));

describe("scope from Authorization × x-api-key", () => {
  it.each(COMBINATIONS)("Authorization %s, x-api-key %s", (auth, key) => {
    const scope = scopeFromHeaders(headersOf(auth, key));
    const values = carried(auth, key);
    if (values.length === 0) {
      // Anonymous only when there is no credential at all.
      expect(scope).toBe(scopeFor(""));
      expect(credentialIdOf(headersOf(auth, key))).toBe("anonymous");
    } else if (values.length === 1) {
      // One credential (or the same one twice): the digest earlier versions used, wherever it was sent.
      expect(scope).toBe(scopeFor(values[0] as string));
    } else {
      expect(scope).not.toBe(scopeFor(VALUE.A));
      expect(scope).not.toBe(scopeFor(VALUE.B));
      expect(scope).not.toBe(scopeFor(""));
    }
    expect(scope).not.toContain("sk-user");
  });

  it("gives every distinct set of carried credentials its own scope, and equal sets the same one", () => {
    const byCarried = new Map<string, string>();
    for (const [auth, key] of COMBINATIONS) {
      const scope = scopeFromHeaders(headersOf(auth, key)) as string;
      const id = `${auth === "A" || auth === "B" ? `auth=${auth}` : ""};${key === "A" || key === "B" ? `key=${key}` : ""}`;
      // Same credential in either header, or in both, is one caller: normalise those to one id.
      const values = carried(auth, key);
      const normal = values.length < 2 ? values.join("") : id;
      const seen = byCarried.get(normal);
      if (seen === undefined) byCarried.set(normal, scope);
      else expect(scope, normal).toBe(seen);
    }
    const scopes = [...byCarried.values()];
    expect(new Set(scopes).size).toBe(scopes.length);
  });

  it("keeps apart two callers sharing an Authorization (a gateway token, `Bearer `) but not x-api-key", () => {
    for (const shared of ["Bearer gateway-token-0001", "Bearer ", "Bearer"]) {
      const one = scopeFromHeaders({ authorization: shared, "x-api-key": "sk-ant-one" });
      const two = scopeFromHeaders({ authorization: shared, "x-api-key": "sk-ant-two" });
      expect(one, shared).not.toBe(two);
    }
  });

  it("treats an empty or bare-scheme Authorization as absent, so a personal x-api-key still counts", () => {
    const alone = scopeFromHeaders({ "x-api-key": "sk-ant-personal" });
    for (const empty of ["", " ", "Bearer", "Bearer   ", "Basic "]) {
      expect(scopeFromHeaders({ authorization: empty, "x-api-key": "sk-ant-personal" }), empty).toBe(alone);
    }
    expect(alone).not.toBe(scopeFor(""));
  });

  it("does not mistake the order or the header of two credentials for another set", () => {
    const ab = scopeFromHeaders({ authorization: VALUE.A, "x-api-key": VALUE.B });
    const ba = scopeFromHeaders({ authorization: VALUE.B, "x-api-key": VALUE.A });
    expect(ab).not.toBe(ba);
  });
});

describe("the session header", () => {
  it.each(COMBINATIONS)("Authorization %s, x-api-key %s: a session narrows the scope", (auth, key) => {
    const base = scopeFromHeaders(headersOf(auth, key)) as string;
    const one = scopeFromHeaders(headersOf(auth, key, "session-1"));
    const two = scopeFromHeaders(headersOf(auth, key, "session-2"));
    expect(one).not.toBe(base);
    expect(one).not.toBe(two);
    expect(one?.startsWith(base.slice(0, base.indexOf("|")))).toBe(true);
    // An empty session header is no session.
    expect(scopeFromHeaders(headersOf(auth, key, ""))).toBe(base);
  });

  it("refuses a malformed session id (undefined: the route answers 400)", () => {
    for (const bad of [" ", "a b", "x".repeat(129), "ä", "tab\there"]) {
      expect(scopeFromHeaders({ [SESSION_HEADER]: bad }), bad).toBeUndefined();
    }
  });
});
