/** Model-free: answer parsing, span location (hallucinations dropped), prompt layout and the pool. */
import { describe, expect, it } from "vitest";
import { isProxyError } from "../../../../src/errors/catalogue.js";
import { DEFAULT_INSTRUCTIONS, hashInstructions } from "../../../../src/detection/model/instructions.js";
import {
  findingsToSpans,
  ModelOutputError,
  parseModelOutput,
} from "../../../../src/detection/model/output.js";
import { createPool } from "../../../../src/detection/model/pool.js";
import {
  buildPromptPrefix,
  buildPromptSuffix,
  buildUserText,
} from "../../../../src/detection/model/prompt.js";

describe("parseModelOutput", () => {
  it("accepts [] and a valid array", () => {
    expect(parseModelOutput("[]")).toEqual([]);
    expect(
      parseModelOutput(
        '[{"original_text": "138 0013 8000", "privacy_type": "Phone Number", "privacy_level": "PL2"}]',
      ),
    ).toEqual([{ originalText: "138 0013 8000", privacyType: "Phone Number", privacyLevel: "PL2" }]);
  });

  it.each([
    ["not json", "[{"],
    ["object", '{"a": 1}'],
    ["PL1", '[{"original_text": "x", "privacy_type": "Hobby", "privacy_level": "PL1"}]'],
    ["missing field", '[{"original_text": "x", "privacy_level": "PL2"}]'],
    ["non-object", '["x"]'],
  ])("rejects %s", (_, text) => {
    expect(() => parseModelOutput(text)).toThrow(ModelOutputError);
  });

  it("never puts model output in the error message", () => {
    try {
      parseModelOutput('[{"original_text": "hunter2", "privacy_type": "Password", "privacy_level": "PL9"}]');
    } catch (err) {
      expect(String(err)).not.toContain("hunter2");
    }
  });
});

describe("findingsToSpans", () => {
  const text = "Call Anna at 555-0100. Anna's card: 4111 1111 1111 1111.";
  it("returns one span per occurrence, sorted, with exact offsets", () => {
    const spans = findingsToSpans(
      text,
      [
        { originalText: "Anna", privacyType: "Real Name", privacyLevel: "PL2" },
        { originalText: "4111 1111 1111 1111", privacyType: "Financial Account", privacyLevel: "PL3" },
      ],
      "model:x",
    );
    expect(spans.map((s) => [s.start, s.text, s.type, s.level, s.source])).toEqual([
      [5, "Anna", "Real Name", "PL2", "model:x"],
      [23, "Anna", "Real Name", "PL2", "model:x"],
      [36, "4111 1111 1111 1111", "Financial Account", "PL3", "model:x"],
    ]);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  });

  it("drops hallucinated, blank and untyped findings; keeps free-form types; trims as a fallback", () => {
    const spans = findingsToSpans(
      text,
      [
        { originalText: "Bob", privacyType: "Real Name", privacyLevel: "PL2" },
        { originalText: "   ", privacyType: "Real Name", privacyLevel: "PL2" },
        { originalText: "555-0100", privacyType: " ", privacyLevel: "PL2" },
        { originalText: " 555-0100 ", privacyType: "Internal Extension", privacyLevel: "PL4" },
      ],
      "model:x",
    );
    expect(spans).toEqual([
      { start: 13, end: 21, text: "555-0100", type: "Internal Extension", level: "PL4", source: "model:x" },
    ]);
  });

  it("collapses duplicate findings", () => {
    const f = { originalText: "Anna", privacyType: "Real Name", privacyLevel: "PL2" } as const;
    expect(findingsToSpans(text, [f, f], "m")).toHaveLength(2);
  });
});

describe("prompt", () => {
  it("follows the contract: instruction block, real name, indented JSON turn, Qwen3 non-thinking", () => {
    const full = buildPromptPrefix("INSTR") + buildPromptSuffix('Zhang "Wei" 你好', "Zhang Wei", "user");
    expect(full).toBe(
      "<|im_start|>user\nINSTR\n\n**User's Real Name:** Zhang Wei\n\n**Current Input Dialogue:**\n" +
        '{\n  "role": "user",\n  "content": "Zhang \\"Wei\\" 你好"\n}' +
        "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n",
    );
    expect(buildUserText("INSTR", "x")).toContain("INSTR\n\n**User's Real Name:** Unknown\n\n");
  });

  it("has a default instruction text with every level, the output format and an example", () => {
    for (const s of [
      "PL2",
      "PL3",
      "PL4",
      "PL1",
      "original_text",
      "privacy_type",
      "privacy_level",
      "[]",
      "Example",
    ]) {
      expect(DEFAULT_INSTRUCTIONS).toContain(s);
    }
    expect(hashInstructions("a")).not.toBe(hashInstructions("b"));
  });
});

describe("pool", () => {
  it("hands items out exclusively, queues FIFO, refuses beyond maxQueue and honours abort", async () => {
    const pool = createPool(["s0"], 1);
    const a = await pool.acquire();
    const waiting = pool.acquire();
    const refused = await pool.acquire().catch((e: unknown) => e);
    expect(isProxyError(refused, "PRX_DETECT_OVERLOADED")).toBe(true);
    pool.release(a);
    expect(await waiting).toBe("s0");
    const ctl = new AbortController();
    const aborted = pool.acquire(ctl.signal);
    ctl.abort(new Error("gone"));
    await expect(aborted).rejects.toThrow("gone");
    expect(pool.waiting).toBe(0);
  });
});
