import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileSelection,
  scanJson,
  spliceJsonStrings,
  type JsonNode,
} from "../../src/providers/shared/json-scan.js";

/** Keys from a small set, so the selection below meets them often. */
const key = fc.constantFrom("a", "b", "c", "d");
const scalar = fc.oneof(
  fc.string(),
  fc.constantFrom("<Email_1>", 'q"uote', "back\\slash", "\u2028", "\u0001", "é\ud83d\ude00"),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  ),
}));

const SELECTION = { a: true, b: [{ a: true, c: { a: true } }], c: { b: true, d: [true] } } as const;
const SELECTOR = compileSelection(SELECTION);

function kindOf(v: unknown): JsonNode["kind"] {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v as JsonNode["kind"];
}

/** Every selected node agrees with JSON.parse: kind, the literal's own text, and a scalar's value. */
function checkNode(text: string, node: JsonNode, parsed: unknown, selection: unknown): void {
  expect(node.kind).toBe(kindOf(parsed));
  expect(JSON.parse(text.slice(node.start, node.end))).toEqual(parsed);
  if (node.kind !== "object" && node.kind !== "array") expect(node.value).toEqual(parsed);
  if (selection === true) return;
  if (Array.isArray(selection)) {
    if (node.kind !== "array") return;
    const items = node.items ?? [];
    expect(items.length).toBe((parsed as unknown[]).length);
    items.forEach((n, i) => checkNode(text, n, (parsed as unknown[])[i], selection[0]));
    return;
  }
  if (node.kind !== "object") return;
  const record = parsed as Record<string, unknown>;
  for (const [k, sub] of Object.entries(selection as Record<string, unknown>)) {
    const member = node.members?.get(k);
    expect(member === undefined).toBe(!Object.hasOwn(record, k));
    if (member !== undefined) checkNode(text, member, record[k], sub);
  }
}

/** One edit of a JSON text: a character deleted, or one of JSON's own characters inserted. */
const mutation = fc.tuple(
  fc.nat(),
  fc.option(fc.constantFrom(...'{}[]",:\\ 0123456789eE.+-tfnul\u0001\n'.split("")), { nil: undefined }),
);
function mutate(text: string, edits: readonly [number, string | undefined][]): string {
  let t = text;
  for (const [at, c] of edits) {
    const i = at % (t.length + 1);
    t = c === undefined ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + c + t.slice(i);
  }
  return t;
}

describe("the JSON scan agrees with JSON.parse", () => {
  it("reads every selected value of any JSON text, compact or indented", () => {
    fc.assert(
      fc.property(value, fc.constantFrom(0, 2), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        const node = scanJson(text, SELECTOR);
        expect(node).toBeDefined();
        checkNode(text, node as JsonNode, JSON.parse(text), SELECTION);
      }),
      { seed: 13, numRuns: 2000 },
    );
  });

  it("gives up on every text JSON.parse refuses, and is right whenever it answers", () => {
    fc.assert(
      fc.property(value, fc.array(mutation, { minLength: 1, maxLength: 3 }), (v, edits) => {
        const text = mutate(JSON.stringify(v), edits);
        let parsed: unknown;
        let valid = true;
        try {
          parsed = JSON.parse(text);
        } catch {
          valid = false;
        }
        const node = scanJson(text, SELECTOR);
        if (!valid) expect(node).toBeUndefined();
        else if (node !== undefined) checkNode(text, node, parsed, SELECTION);
      }),
      { seed: 14, numRuns: 4000 },
    );
  });

  it("a spliced string parses back to the value put in, the rest unchanged", () => {
    fc.assert(
      fc.property(fc.dictionary(key, scalar, { maxKeys: 4 }), fc.string(), (record, replacement) => {
        const text = JSON.stringify(record);
        const node = scanJson(text, SELECTOR);
        const a = node?.members?.get("a");
        if (a?.kind !== "string") return;
        const out = JSON.parse(spliceJsonStrings(text, [[a.start, a.end, replacement]])) as unknown;
        expect(out).toEqual({ ...record, a: replacement });
      }),
      { seed: 15, numRuns: 1000 },
    );
  });
});
