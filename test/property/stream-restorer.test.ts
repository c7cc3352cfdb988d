import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { restoreText } from "../../src/redaction/restore.js";
import { StreamRestorer } from "../../src/redaction/stream-restorer.js";
import { indexOf } from "../helpers/index-of.js";

const index = indexOf({
  "<Phone_Number_1>": "13800138000",
  "<Email_12>": "a@b.co",
  "<Third_Party_Info_3>": "Li Si",
  "<Real_Name_1>": "张三",
});

const pieces = fc.constantFrom(
  "<Phone_Number_1>",
  "<Email_12>",
  "[third party info 3]",
  "Real_Name_1",
  "<Email_1",
  "Phone",
  "<",
  "[",
  " ",
  "_",
  "1",
  "12",
  ">",
  "hello",
  "你好",
  "\n",
);

describe("stream restoration is independent of chunking", () => {
  it("any split of any text restores like the whole text", () => {
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (parts, cuts) => {
          const text = parts.join("");
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let at = 0;
          for (const p of points) {
            chunks.push(text.slice(at, p));
            at = p;
          }
          chunks.push(text.slice(at));
          const r = new StreamRestorer(index);
          const streamed = chunks.map((c) => r.push(c)).join("") + r.flush();
          expect(streamed).toBe(restoreText(text, index).text);
        },
      ),
      { seed: 42, numRuns: 2000 },
    );
  });
});
