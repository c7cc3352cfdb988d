/** Chunking of long texts for the model: coverage, boundaries, protected values, overlap, edit stability. */
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { makeSpan } from "../../../../src/detection/span.js";
import { isGraphemeBoundary, mapChunkSpans, splitIntoChunks } from "../../../../src/detection/model/chunk.js";
import type { Chunk, TextRange } from "../../../../src/detection/model/chunk.js";

fc.configureGlobal({ seed: 16_016, numRuns: 150 });

function paragraphs(count: number, seed = 1): string[] {
  const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
  let x = seed;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: count }, (_, p) => {
    const n = 30 + (next() % 60);
    const ws = Array.from({ length: n }, () => words[next() % words.length]);
    return `Paragraph ${p}: ${ws.join(" ")}.`;
  });
}

function checkCover(text: string, chunks: readonly Chunk[]): void {
  expect(chunks[0]?.start).toBe(0);
  expect(chunks.at(-1)?.end).toBe(text.length);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i] as Chunk;
    expect(c.start).toBeLessThanOrEqual(c.ownStart);
    expect(c.ownStart).toBeLessThan(c.end);
    if (i > 0) expect(c.ownStart).toBe(chunks[i - 1]?.end);
  }
}

describe("splitIntoChunks", () => {
  it("keeps a text that fits as one chunk", () => {
    expect(splitIntoChunks("short text", { maxChars: 100 })).toEqual([{ start: 0, end: 10, ownStart: 0 }]);
  });

  it("cuts a long text between paragraphs, within the window, without overlap there", () => {
    const text = paragraphs(120).join("\n\n");
    const chunks = splitIntoChunks(text, { maxChars: 4000 });
    checkCover(text, chunks);
    expect(chunks.length).toBeGreaterThan(text.length / 4000);
    for (const c of chunks) {
      expect(c.end - c.start).toBeLessThanOrEqual(4000);
      expect(c.start).toBe(c.ownStart);
      if (c.end < text.length) expect(text.slice(c.end - 2, c.end)).toBe("\n\n");
    }
  });

  it("re-cuts only around an edited paragraph: the other chunks stay byte-identical", () => {
    const ps = paragraphs(140, 7);
    const text = ps.join("\n\n");
    const before = splitIntoChunks(text, { maxChars: 4000 }).map((c) => text.slice(c.start, c.end));
    for (let edited = 3; edited < 140; edited += 8) {
      const changed = [...ps];
      changed[edited] =
        `${changed[edited] ?? ""} Call me at +49 170 1234567, my IBAN is DE89370400440532013000.`;
      const text2 = changed.join("\n\n");
      const after = splitIntoChunks(text2, { maxChars: 4000 }).map((c) => text2.slice(c.start, c.end));
      const old = new Set(before);
      const fresh = after.filter((c) => !old.has(c));
      expect(fresh.length).toBeGreaterThanOrEqual(1);
      expect(fresh.length).toBeLessThanOrEqual(2);
      expect(fresh.some((c) => c.includes("DE89370400440532013000"))).toBe(true);
    }
  });

  it("falls back to lines, then sentences with overlap, for text without paragraphs", () => {
    const sentences = paragraphs(60, 3).join(" ");
    const chunks = splitIntoChunks(sentences, { maxChars: 1000, overlapChars: 100 });
    checkCover(sentences, chunks);
    for (const c of chunks.slice(1)) {
      expect(c.ownStart - c.start).toBeGreaterThan(0);
      expect(c.ownStart - c.start).toBeLessThanOrEqual(100);
      // The overlap starts at a word boundary.
      expect(sentences[c.start - 1]).toBe(" ");
    }
    for (const c of chunks.slice(0, -1)) expect(/[.\s]/.test(sentences[c.end - 1] ?? "")).toBe(true);
  });

  it("never cuts inside a protected value, even one longer than the window", () => {
    const text = `${"word ".repeat(300)}${"x".repeat(900)} ${"word ".repeat(300)}`;
    const value: TextRange = { start: 1500, end: 2400 };
    const chunks = splitIntoChunks(text, { maxChars: 500, protect: [value] });
    checkCover(text, chunks);
    for (const c of chunks) {
      expect(c.ownStart <= value.start || c.ownStart >= value.end).toBe(true);
      expect(c.start <= value.start || c.start >= value.end).toBe(true);
    }
    expect(chunks.some((c) => c.start <= value.start && c.end >= value.end)).toBe(true);
  });

  it("cuts Chinese between characters and never inside an emoji sequence", () => {
    const zh = "我的名字是张伟，我住在北京市朝阳区。".repeat(80);
    const chunksZh = splitIntoChunks(zh, { maxChars: 300 });
    checkCover(zh, chunksZh);
    const emoji = "👩‍👩‍👧‍👦".repeat(400);
    const chunksEmoji = splitIntoChunks(emoji, { maxChars: 300 });
    checkCover(emoji, chunksEmoji);
    for (const c of chunksEmoji) expect(isGraphemeBoundary(emoji, c.ownStart)).toBe(true);
  });

  fcTest.prop([
    fc.array(
      fc.oneof(
        fc.constantFrom("\n\n", "\n", ". ", " ", "，", "。", "\r\n", "é", "e\u0301", "🇩🇪", "👍🏽"),
        fc.string({ minLength: 1, maxLength: 12 }),
      ),
      { maxLength: 400 },
    ),
    fc.integer({ min: 64, max: 400 }),
    fc.array(fc.tuple(fc.nat(3000), fc.integer({ min: 1, max: 40 })), { maxLength: 8 }),
  ])("covers any text, cuts at grapheme boundaries outside protected ranges", (parts, maxChars, ranges) => {
    const text = parts.join("");
    const protect = ranges
      .map(([s, n]) => ({ start: Math.min(s, text.length), end: Math.min(s + n, text.length) }))
      .filter((r) => r.end > r.start);
    const chunks = splitIntoChunks(text, { maxChars, protect });
    if (text.length === 0) return;
    checkCover(text, chunks);
    for (const c of chunks) {
      for (const at of [c.start, c.ownStart]) {
        expect(isGraphemeBoundary(text, at)).toBe(true);
        for (const r of protect) expect(at <= r.start || at >= r.end).toBe(true);
      }
    }
  });
});

describe("mapChunkSpans", () => {
  it("maps chunk offsets to the whole text and keeps a value seen by two overlapping chunks once", () => {
    const text = `${"filler words here. ".repeat(30)}Call Priya Raman on +44 20 7946 0958 today. ${"more filler. ".repeat(30)}`;
    const chunks = splitIntoChunks(text, { maxChars: 400, overlapChars: 120 });
    expect(chunks.length).toBeGreaterThan(2);
    const name = "Priya Raman";
    const at = text.indexOf(name);
    // What a model would answer per chunk: the name wherever the chunk's text holds it.
    const perChunk = chunks.map((c) => {
      const piece = text.slice(c.start, c.end);
      const i = piece.indexOf(name);
      return i === -1 ? [] : [makeSpan(piece, i, i + name.length, "Real Name", "PL2", "model:test")];
    });
    expect(perChunk.filter((s) => s.length > 0).length).toBeGreaterThanOrEqual(1);
    const spans = mapChunkSpans(text, chunks, perChunk);
    expect(spans).toEqual([
      { start: at, end: at + name.length, text: name, type: "Real Name", level: "PL2", source: "model:test" },
    ]);
  });

  it("merges the same value from two overlapping chunks", () => {
    const text = "0123456789 Priya Raman 0123456789";
    const chunks = [
      { start: 0, end: 23 },
      { start: 11, end: 33 },
    ];
    const perChunk = [
      [makeSpan(text.slice(0, 23), 11, 22, "Real Name", "PL2", "m")],
      [
        makeSpan(text.slice(11), 0, 11, "Real Name", "PL2", "m"),
        makeSpan(text.slice(11), 12, 22, "X", "PL3", "m"),
      ],
    ];
    expect(mapChunkSpans(text, chunks, perChunk).map((s) => [s.start, s.end, s.text])).toEqual([
      [11, 22, "Priya Raman"],
      [23, 33, "0123456789"],
    ]);
  });

  it("drops a span that does not lie inside its chunk", () => {
    const text = "abcdef";
    expect(mapChunkSpans(text, [{ start: 2, end: 4 }], [[makeSpan("cdxyz", 1, 5, "X", "PL4", "m")]])).toEqual(
      [],
    );
  });
});
