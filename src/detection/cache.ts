/**
 * Per-text detection cache (DESIGN §7): agents resend the whole history every turn, so each text is
 * analysed once. Keyed by a hash of (detector id, user name, role, text) — the key holds no raw text.
 * Bounded LRU; concurrent requests for the same text share one in-flight detection.
 */
import { hash } from "node:crypto";
import type { DetectInput, Detector, DetectorInfo, Span } from "./span.js";

export interface CachedDetector extends Detector {
  peek(input: DetectInput): Span[] | undefined;
  cacheStats(): { size: number; hits: number; misses: number };
}

function keyFor(id: string, input: DetectInput): string {
  // One-shot hash of one string: less than half the cost of an incremental Hash object on short texts.
  // Unambiguous: the id and the role come from fixed vocabularies without NUL, the name is length-prefixed,
  // and the text comes last.
  return hash(
    "sha256",
    `${id}\0${(input.userName ?? "").length}:${input.userName ?? ""}\0${input.role ?? ""}\0${input.text}`,
    "base64url",
  );
}

/** Wraps a detector with an LRU of `maxEntries` results (0 disables caching, not sharing). */
export function createCachedDetector(inner: Detector, maxEntries: number): CachedDetector {
  const done = new Map<string, readonly Span[]>();
  const inFlight = new Map<string, Promise<Span[]>>();
  let hits = 0;
  let misses = 0;

  return {
    info(): DetectorInfo {
      return inner.info();
    },
    peek(input) {
      const key = keyFor(inner.info().id, input);
      const cached = done.get(key);
      if (cached === undefined) return undefined;
      hits++;
      done.delete(key);
      done.set(key, cached);
      return [...cached];
    },
    async detect(input, signal) {
      const key = keyFor(inner.info().id, input);
      const cached = done.get(key);
      if (cached !== undefined) {
        hits++;
        done.delete(key);
        done.set(key, cached);
        return [...cached];
      }
      const shared = inFlight.get(key);
      if (shared !== undefined && signal === undefined) {
        hits++;
        return [...(await shared)];
      }
      misses++;
      const pending = inner.detect(input, signal);
      inFlight.set(key, pending);
      try {
        const spans = await pending;
        if (maxEntries > 0) {
          done.set(key, spans);
          if (done.size > maxEntries) {
            const oldest = done.keys().next();
            if (oldest.done !== true) done.delete(oldest.value);
          }
        }
        return [...spans];
      } finally {
        if (inFlight.get(key) === pending) inFlight.delete(key);
      }
    },
    async close() {
      done.clear();
      await inner.close();
    },
    cacheStats() {
      return { size: done.size, hits, misses };
    },
  };
}
