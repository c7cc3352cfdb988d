/**
 * Shared inputs of the protocol stream property tests: a scope index, model deltas built from placeholder
 * pieces, awkward characters and JSON-significant ones, and a splitter for JSON text at code points.
 */
import fc from "fast-check";
import { indexOf } from "./index-of.js";

/** The scope the streams are restored against (one value with a quote, to exercise JSON escaping). */
export const streamIndex = indexOf({
  "<Phone_Number_1>": "13800138000",
  "<Real_Name_1>": "张三",
  "<Email_2>": 'q"uote@x.io',
});

const fragment = fc.constantFrom(
  "<Phone_Number_1>",
  "<Real_Name_1>",
  "[email 2]",
  "<Phone",
  "_Number_1>",
  "你好",
  "😀",
  "é",
  "a",
  " ",
  "<",
  "_1",
  "\n",
  '"',
);

/** Deltas as the model sends them: each a few fragments (never a broken character). */
export const streamDeltas = fc.array(
  fc.array(fragment, { minLength: 1, maxLength: 4 }).map((f) => f.join("")),
  { minLength: 1, maxLength: 8 },
);

/** Splits text into non-empty parts at code-point offsets (taken modulo length + 1). */
export function splitAtCodePoints(text: string, cuts: readonly number[]): string[] {
  const points = [...text];
  const at = [...new Set(cuts.map((c) => c % (points.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of [...at, points.length]) {
    out.push(points.slice(from, p).join(""));
    from = p;
  }
  return out.filter((p) => p.length > 0);
}
