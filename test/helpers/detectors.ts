/**
 * Test detectors (test-only; the product always runs real detectors): one that reports fixed values with
 * a type and level wherever they occur, one that throws, one that hangs until aborted.
 */
import type { Detector, Span } from "../../src/detection/span.js";
import type { PrivacyLevel } from "../../src/taxonomy/levels.js";

export interface Scripted {
  readonly value: string;
  readonly type: string;
  readonly level: PrivacyLevel;
}

/** Reports every occurrence of each scripted value. Counts calls. */
export function scriptedDetector(values: readonly Scripted[]): Detector & { calls: number } {
  const d = {
    calls: 0,
    info: () => ({ kind: "scripted", id: "scripted@1", ready: true }),
    async detect(input: { text: string }): Promise<Span[]> {
      d.calls++;
      const out: Span[] = [];
      for (const v of values) {
        for (let i = input.text.indexOf(v.value); i !== -1; i = input.text.indexOf(v.value, i + 1)) {
          out.push({
            start: i,
            end: i + v.value.length,
            text: v.value,
            type: v.type,
            level: v.level,
            source: "test",
          });
        }
      }
      return out;
    },
    async close() {},
  };
  return d;
}

/** Always fails, with an error message that holds a secret (it must never reach a client or a log). */
export function failingDetector(secret: string): Detector {
  return {
    info: () => ({ kind: "failing", id: "failing@1", ready: true }),
    detect: () => Promise.reject(new Error(`boom ${secret}`)),
    async close() {},
  };
}

/** Never answers (ignores its signal): the pipeline's own timeout must still fire. */
export function hangingDetector(): Detector {
  return {
    info: () => ({ kind: "hanging", id: "hanging@1", ready: true }),
    detect: () => new Promise<Span[]>(() => undefined),
    async close() {},
  };
}
