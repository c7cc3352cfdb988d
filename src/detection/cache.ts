/**
 * Per-text detection cache (see docs/architecture.md): agents resend the whole history every turn, so each
 * text is analysed once. Keyed by a hash of (detector id, user name, role, text) — the key holds no raw
 * text. Bounded LRU; concurrent requests for the same text share one in-flight detection. The model detector
 * keys the chunks of long texts the same way ({@link createChunkCache}), so an edited long text re-detects
 * only the chunks that changed.
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

/** A bounded LRU of span lists under hashed keys (no raw text is kept in a key). */
export interface ChunkCache {
  /** The key of a chunk: a hash of the detector id, user name, role and the chunk's text. */
  keyOf(id: string, input: DetectInput): string;
  /** The cached spans (offsets into the chunk), refreshing their recency; undefined on a miss. */
  get(key: string): readonly Span[] | undefined;
  set(key: string, spans: readonly Span[]): void;
  stats(): { size: number; hits: number; misses: number };
}

/** Creates a chunk cache of at most `maxEntries` entries (0 keeps nothing). */
export function createChunkCache(maxEntries: number): ChunkCache {
  const done = new Map<string, readonly Span[]>();
  let hits = 0;
  let misses = 0;
  return {
    keyOf: keyFor,
    get(key) {
      const cached = done.get(key);
      if (cached === undefined) {
        misses++;
        return undefined;
      }
      hits++;
      done.delete(key);
      done.set(key, cached);
      return cached;
    },
    set(key, spans) {
      if (maxEntries <= 0) return;
      done.delete(key);
      done.set(key, spans);
      if (done.size > maxEntries) {
        const oldest = done.keys().next();
        if (oldest.done !== true) done.delete(oldest.value);
      }
    },
    stats: () => ({ size: done.size, hits, misses }),
  };
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
