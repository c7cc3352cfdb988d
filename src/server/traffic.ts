/**
 * The live traffic record: the last requests through the proxy as value-free facts (time, route, status,
 * span counts per level, latencies, streamed or not) in a bounded ring, with subscribers for the live page.
 * Nothing here can hold a value, a body or a credential: only numbers, the route template and a method.
 */
export interface TrafficEntry {
  readonly id: number;
  readonly time: string;
  readonly method: string;
  /** Route template (e.g. `/v1/chat/completions`), never the raw URL. */
  readonly route: string;
  readonly status: number;
  readonly upstreamStatus?: number | undefined;
  readonly spans: { readonly PL2: number; readonly PL3: number; readonly PL4: number };
  readonly redactionMs?: number | undefined;
  readonly upstreamMs?: number | undefined;
  readonly totalMs: number;
  readonly streamed: boolean;
}

export type TrafficListener = (entry: TrafficEntry) => void;

/** A bounded ring of recent requests with live subscribers. */
export class TrafficLog {
  readonly #capacity: number;
  readonly #entries: TrafficEntry[] = [];
  readonly #listeners = new Set<TrafficListener>();
  #next = 1;

  constructor(capacity = 200) {
    this.#capacity = capacity;
  }

  /** Records one request and notifies subscribers. */
  record(entry: Omit<TrafficEntry, "id">): TrafficEntry {
    // Every field named, not `{ ...entry, id }` (a spread measured ~2 µs in a microbenchmark against ~0.1 µs
    // for the literal), so every entry has one shape; the mapped type makes a field added to TrafficEntry and
    // not copied here fail to compile.
    const full: { [K in keyof Required<TrafficEntry>]: TrafficEntry[K] } = {
      id: this.#next++,
      time: entry.time,
      method: entry.method,
      route: entry.route,
      status: entry.status,
      upstreamStatus: entry.upstreamStatus,
      spans: entry.spans,
      redactionMs: entry.redactionMs,
      upstreamMs: entry.upstreamMs,
      totalMs: entry.totalMs,
      streamed: entry.streamed,
    };
    this.#entries.push(full);
    if (this.#entries.length > this.#capacity) this.#entries.shift();
    for (const listener of this.#listeners) {
      try {
        listener(full);
      } catch {
        // a failing subscriber must not break request handling
      }
    }
    return full;
  }

  /** The most recent entries, oldest first. */
  recent(limit = this.#capacity): TrafficEntry[] {
    return this.#entries.slice(-limit);
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: TrafficListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get subscribers(): number {
    return this.#listeners.size;
  }
}
