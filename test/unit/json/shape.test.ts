import { describe, expect, it } from "vitest";
import { checkJsonShape, parseJsonBody } from "../../../src/json/shape.js";

function codeOf(run: () => unknown): string {
  try {
    run();
    return "ok";
  } catch (err) {
    return (err as { code?: string }).code ?? "other";
  }
}

describe("checkJsonShape", () => {
  it("bounds nesting depth, counting brackets outside strings only", () => {
    const limits = { maxDepth: 3, maxElements: 100 };
    expect(codeOf(() => checkJsonShape("[[[1]]]", limits))).toBe("ok");
    expect(codeOf(() => checkJsonShape("[[[[1]]]]", limits))).toBe("PRX_REQ_TOO_DEEP");
    expect(codeOf(() => checkJsonShape('["[[[[", {"a": "\\"[[[["}]', limits))).toBe("ok");
  });

  it("bounds the count of values", () => {
    const limits = { maxDepth: 10, maxElements: 2 };
    expect(codeOf(() => checkJsonShape("[1,2,3]", limits))).toBe("ok");
    expect(codeOf(() => checkJsonShape("[1,2,3,4]", limits))).toBe("PRX_REQ_TOO_DEEP");
    expect(codeOf(() => checkJsonShape('["a,b,c,d"]', limits))).toBe("ok");
  });
});

describe("parseJsonBody", () => {
  it("parses JSON and refuses empty text, bad JSON and prototype keys, escaped or not", () => {
    expect(parseJsonBody('{"a":[1,"x"]}')).toEqual({ a: [1, "x"] });
    expect(codeOf(() => parseJsonBody("  "))).toBe("PRX_REQ_INVALID_JSON");
    expect(codeOf(() => parseJsonBody("{"))).toBe("PRX_REQ_INVALID_JSON");
    expect(codeOf(() => parseJsonBody('{"__proto__":{"x":1}}'))).toBe("PRX_REQ_INVALID_JSON");
    expect(codeOf(() => parseJsonBody('{"\\u005f_proto__":{"x":1}}'))).toBe("PRX_REQ_INVALID_JSON");
    expect(codeOf(() => parseJsonBody('{"constructor":{"prototype":{}}}'))).toBe("PRX_REQ_INVALID_JSON");
    expect(parseJsonBody('{"constructor":"fine"}')).toEqual({ constructor: "fine" });
  });
});
