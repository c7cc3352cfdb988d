/**
 * Runs several detectors on the same text and returns all their spans (overlaps are resolved later by
 * mergeSpans). Fails as a whole if any detector fails: partial detection would forward unmasked values.
 */
import type { Detector, DetectorInfo } from "./span.js";

/** Combines detectors; `info().id` joins the parts' ids so caches separate by composition. */
export function createCompositeDetector(parts: readonly Detector[]): Detector {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  return {
    info(): DetectorInfo {
      const infos = parts.map((p) => p.info());
      const main = infos[infos.length - 1];
      return {
        kind: infos.map((i) => i.kind).join("+"),
        id: infos.map((i) => i.id).join("+"),
        ready: infos.every((i) => i.ready),
        ...(main?.details === undefined ? {} : { details: main.details }),
      };
    },
    async detect(input, signal) {
      const results = await Promise.all(parts.map((p) => p.detect(input, signal)));
      return results.flat();
    },
    async close() {
      await Promise.all(parts.map((p) => p.close()));
    },
  };
}
