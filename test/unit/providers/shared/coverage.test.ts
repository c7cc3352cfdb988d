import { describe, expect, it } from "vitest";
import {
  collectCoverage,
  describeCoverage,
  ENUM_SHAPE,
  opaque,
  type NodeSpec,
} from "../../../../src/providers/shared/coverage.js";
import { applySlots } from "../../../../src/providers/shared/slots.js";

const BLOCK_BASE: NodeSpec = { fields: { type: opaque("enum", ENUM_SHAPE), id: opaque("id") } };
const SPEC: NodeSpec = {
  context: { role: "user" },
  fields: {
    model: opaque("model name"),
    blocks: {
      items: {
        ...BLOCK_BASE,
        variants: {
          tool: { fields: { ...BLOCK_BASE.fields, input: { context: { data: true } } } },
          call: { fields: { ...BLOCK_BASE.fields, args: { jsonText: true } } },
          image: { fields: { ...BLOCK_BASE.fields, url: { media: true } } },
        },
      },
    },
  },
};
const texts = (body: unknown) => collectCoverage(body, SPEC).map((s) => s.text);

describe("collectCoverage (default-deny)", () => {
  it("yields every string except opaque fields, unknown fields and block types included", () => {
    const body = {
      model: "m",
      note: "top",
      blocks: [
        { type: "text", id: "b1", text: "hello", extra: { deep: ["x"] } },
        { type: "future_block", id: "b2", payload: "p" },
      ],
    };
    expect(texts(body)).toEqual(["top", "hello", "x", "p"]);
  });

  it("redacts an opaque enum that is not shaped like one", () => {
    expect(texts({ blocks: [{ type: "alice@example.org", text: "t" }] })).toEqual(["alice@example.org", "t"]);
  });

  it("yields values, numbers and keys of tool data, and renames keys in place", () => {
    const input = { "a@b.org": { phone: 13800138000, ok: true }, z: "v" };
    const body = { blocks: [{ type: "tool", id: "t", input }] };
    const slots = collectCoverage(body, SPEC);
    expect(slots.map((s) => [s.text, s.kind])).toEqual([
      ["13800138000", "number"],
      ["phone", "key"],
      ["ok", "key"],
      ["a@b.org", "key"],
      ["v", "string"],
      ["z", "key"],
    ]);
    applySlots(
      slots,
      slots.map((s) =>
        s.text === "a@b.org" ? "<Email_1>" : s.text === "13800138000" ? "<Phone_Number_1>" : s.text,
      ),
    );
    expect(body.blocks[0]?.input).toEqual({ "<Email_1>": { phone: "<Phone_Number_1>", ok: true }, z: "v" });
    expect(Object.keys(body.blocks[0]?.input ?? {}).sort()).toEqual(["<Email_1>", "z"]);
  });

  it("walks JSON text as tool data and re-serialises it only when something changed", () => {
    const raw = '{"who": "\\u5f20\\u4e09", "n": 7}';
    const body = { blocks: [{ type: "call", args: raw }] };
    const slots = collectCoverage(body, SPEC);
    expect(slots.map((s) => s.text)).toEqual(["张三", "who", "7", "n"]);
    applySlots(
      slots,
      slots.map((s) => s.text),
    );
    expect(body.blocks[0]?.args).toBe(raw);
    applySlots(slots, ["<Real_Name_1>", "who", "7", "n"]);
    expect(JSON.parse(body.blocks[0]?.args ?? "")).toEqual({ who: "<Real_Name_1>", n: 7 });
  });

  it("leaves inline media alone and redacts other URLs", () => {
    expect(texts({ blocks: [{ type: "image", url: "data:image/png;base64,AAAA" }] })).toEqual([]);
    expect(texts({ blocks: [{ type: "image", url: "https://x.org/a@b.org" }] })).toEqual([
      "https://x.org/a@b.org",
    ]);
  });

  it("documents the declared paths", () => {
    const rows = describeCoverage(SPEC);
    expect(rows).toContainEqual({ path: "model", rule: "opaque: model name" });
    expect(rows).toContainEqual({
      path: "blocks[]{type=call}.args",
      rule: "JSON tool data: strings, numbers and keys",
    });
    // a variant lists only what differs from its base
    expect(rows.filter((r) => r.path.endsWith(".id"))).toEqual([{ path: "blocks[].id", rule: "opaque: id" }]);
  });
});
