import { describe, expect, it } from "vitest";
import {
  EventTemplate,
  StreamStep,
  parseEventData,
  spliceEvent,
  type Hole,
} from "../../../../src/providers/shared/stream-step.js";

const holes: Hole[] = [
  { field: "delta", kind: "text", read: (d) => d.delta },
  { field: "sequence_number", kind: "number", read: (d) => d.sequence_number },
  { field: "obfuscation", kind: "string", read: (d) => d.obfuscation, optional: true },
];
const event = (delta: string, seq: number, obfuscation = "ab"): { event: string; data: string } => ({
  event: "response.output_text.delta",
  data: JSON.stringify({
    type: "response.output_text.delta",
    sequence_number: seq,
    item_id: "msg_1",
    output_index: 0,
    content_index: 0,
    delta,
    obfuscation,
  }),
});

describe("parseEventData", () => {
  it("gives a JSON object, and undefined for anything else", () => {
    expect(parseEventData({ data: '{"a":1}' })).toEqual({ a: 1 });
    expect(parseEventData({ data: "[DONE]" })).toBeUndefined();
    expect(parseEventData({ data: "[1]" })).toBeUndefined();
    expect(parseEventData({ data: "null" })).toBeUndefined();
  });
});

describe("EventTemplate", () => {
  const template = EventTemplate.learn(event("Hello", 3), holes, "state");

  it("matches an event of the same shape and decodes its text hole", () => {
    expect(template?.state).toBe("state");
    const m = template?.match(event('say "\\u003cEmail_1>"\n', 17, "xyz"));
    expect(m?.text).toBe('say "\\u003cEmail_1>"\n');
    expect(m?.number?.value).toBe(17);
    const escaped = { ...event("x", 4), data: event("x", 4).data.replace('"x"', '"\\u003cEmail_1\\u003e"') };
    expect(template?.match(escaped)?.text).toBe("<Email_1>");
  });

  it("refuses another shape, event name, or hole contents that would not be valid JSON", () => {
    const other = { ...event("a", 1), data: event("a", 1).data.replace('"msg_1"', '"msg_2"') };
    expect(template?.match(other)).toBeUndefined();
    expect(template?.match({ ...event("a", 1), event: "response.refusal.delta" })).toBeUndefined();
    const bad = (raw: string) => ({
      ...event("a", 1),
      data: event("a", 1).data.replace('"delta":"a"', `"delta":"${raw}"`),
    });
    expect(template?.match(bad("tab\there"))).toBeUndefined();
    expect(template?.match(bad("\\x41"))).toBeUndefined();
    expect(template?.match(bad("\\u12"))).toBeUndefined();
    // a quote inside the hole ends the string: the rest no longer has the template's shape
    expect(template?.match(bad('a","extra":"'))).toBeUndefined();
    const seq = (raw: string) => ({
      ...event("a", 1),
      data: event("a", 1).data.replace('"sequence_number":1', `"sequence_number":${raw}`),
    });
    expect(template?.match(seq("01"))).toBeUndefined();
    expect(template?.match(seq("-1"))).toBeUndefined();
    expect(template?.match(seq("1.5"))).toBeUndefined();
    expect(template?.match({ ...event("a", 1), id: "7" })).toBeUndefined();
  });

  it("is not learned when a hole is missing, repeated or written loosely", () => {
    expect(EventTemplate.learn({ data: '{"delta":"a"}' }, holes, 0)).toBeUndefined();
    expect(
      EventTemplate.learn({ data: '{"delta":"a","x":{"delta":"b"},"sequence_number":1}' }, holes, 0),
    ).toBeUndefined();
    expect(EventTemplate.learn({ data: '{"delta": "a","sequence_number":1}' }, holes, 0)).toBeUndefined();
    expect(EventTemplate.learn({ data: '{"delta":"a","sequence_number":1}' }, holes, 0)).toBeDefined();
    // the one compact `"delta":"…"` is not the field the hole reads: never templated
    const elsewhere = '{"x":{"delta":"a"},"delta": "b","sequence_number":1}';
    expect(EventTemplate.learn({ data: elsewhere }, holes, 0)).toBeUndefined();
  });

  it("splices a restored text and a new number in, and leaves an unchanged event as it is", () => {
    const e = event("hi <Email_1>", 5);
    const m = template?.match(e);
    if (m === undefined) throw new Error("no match");
    expect(spliceEvent(e, m, m.text)).toBe(e);
    expect(spliceEvent(e, m, m.text, 5)).toBe(e);
    const out = spliceEvent(e, m, 'hi "q"@x.io', 9);
    expect(JSON.parse(out.data)).toEqual({ ...JSON.parse(e.data), delta: 'hi "q"@x.io', sequence_number: 9 });
    expect(out.data).toBe(
      JSON.stringify({ ...JSON.parse(e.data), delta: 'hi "q"@x.io', sequence_number: 9 }),
    );
    expect(out.event).toBe(e.event);
  });
});

describe("StreamStep", () => {
  const via = (_m: unknown, _s: string) => ({ data: "mapped" });

  it("keeps learning while its templates map events", () => {
    const step = new StreamStep<string>(true);
    for (let i = 0; i < 50; i++) {
      const e = event(`w${i}`, i);
      if (step.begin(e, via)?.data !== undefined) step.learn(e, holes, "s");
    }
    expect(step.held).toBe(1);
  });

  it("stops learning, and drops what it holds, when every event differs outside its holes", () => {
    const step = new StreamStep<string>(true);
    let learned = 0;
    for (let i = 0; i < 50; i++) {
      // a per-event field outside the holes (like per-chunk logprobs): no template ever matches
      const e = { ...event(`w${i}`, i), data: event(`w${i}`, i).data.replace('"msg_1"', `"msg_${i}"`) };
      expect(step.begin(e, via)?.data).toBeDefined();
      step.learn(e, holes, "s");
      learned = Math.max(learned, step.held);
    }
    expect(learned).toBeGreaterThan(0);
    expect(step.held).toBe(0);
  });
});
