/** The page's event-stream parser: the HTML standard's line rules, any chunking, and a bound on what it holds. */
import { describe, expect, it } from "vitest";
import { SseParser } from "../../../src/ui/sse-parser.js";

const STREAM =
  'retry: 2000\r\n: comment\r\n\r\nid: 7\r\nevent: traffic\r\ndata: {"a":1}\r\ndata: x\r\n\r\nevent: ready\ndata: {}\n\n';

describe("SseParser", () => {
  it("gives the same events for every split of the stream (CR and LF in different chunks too)", () => {
    const whole = new SseParser().push(STREAM);
    expect(whole).toEqual([
      { event: "traffic", data: '{"a":1}\nx', id: "7" },
      { event: "ready", data: "{}", id: "7" },
    ]);
    for (let cut = 0; cut <= STREAM.length; cut++) {
      const parser = new SseParser();
      expect([...parser.push(STREAM.slice(0, cut)), ...parser.push(STREAM.slice(cut))], String(cut)).toEqual(
        whole,
      );
    }
  });

  it("throws on a line that never ends past the cap, and on an event of many lines past it", () => {
    const line = new SseParser(100);
    expect(line.push("data: " + "a".repeat(50))).toEqual([]);
    expect(() => line.push("a".repeat(60))).toThrow(RangeError);
    const event = new SseParser(100);
    expect(() => {
      for (let i = 0; i < 20; i++) event.push("data: aaaaaaaaaa\n");
    }).toThrow(RangeError);
    // Within the cap, the same parser keeps going event after event.
    const many = new SseParser(100);
    for (let i = 0; i < 1000; i++) expect(many.push(`data: ${i}\n\n`)).toHaveLength(1);
  });
});
