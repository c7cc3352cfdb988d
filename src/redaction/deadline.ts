/**
 * The deadline of one request's whole redaction (src/redaction/pipeline.ts): detection, occurrences, allocation,
 * substitution and the exchange index all run under the request's `detectTimeoutMs`, and their loops over spans
 * give the event loop back in slices of a few milliseconds. So a huge request (a page of ~90,000 phone numbers)
 * neither holds every other client waiting nor outlives its deadline: past it, the request fails closed with
 * PRX_DETECT_TIMEOUT (nothing forwarded), and a client that went away ends it with PRX_DETECT_ABORTED.
 */
import { performance } from "node:perf_hooks";
import { proxyError } from "../errors/catalogue.js";

/** Time and turns of the event loop, as the deadline sees them (tests drive it with a fake one). */
export interface DeadlineClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves on a later turn of the event loop (after pending I/O). */
  turn(): Promise<void>;
}

/** The real clock: `performance.now()`, and `setImmediate` for a turn. */
export const REAL_CLOCK: DeadlineClock = {
  now: () => performance.now(),
  turn: () => new Promise<void>((resolve) => setImmediate(resolve)),
};

/** Longest a slice of redaction work holds the event loop before it yields a turn. */
export const SLICE_MS = 8;
/** Loop iterations between two readings of the clock (reading it costs more than most iterations). */
const CHECK_EVERY = 256;

/** One request's deadline and slicing. */
export class Deadline {
  readonly #clock: DeadlineClock;
  readonly #expires: number;
  readonly #client: AbortSignal | undefined;
  #sliceStart: number;
  #count = 0;
  #turns = 0;

  /** Expires `timeoutMs` from now on `clock` (default the real one); `client` aborts it when the client goes. */
  constructor(timeoutMs: number, clock: DeadlineClock = REAL_CLOCK, client?: AbortSignal) {
    this.#clock = clock;
    this.#client = client;
    this.#sliceStart = clock.now();
    this.#expires = this.#sliceStart + timeoutMs;
  }

  /** Milliseconds left (0 once expired). */
  remainingMs(): number {
    return Math.max(0, this.#expires - this.#clock.now());
  }

  /** How many turns the request has yielded so far (for tests and benchmarks). */
  get turns(): number {
    return this.#turns;
  }

  /** Throws PRX_DETECT_ABORTED when the client went away, PRX_DETECT_TIMEOUT once the deadline passed. */
  check(): void {
    if (this.#client?.aborted === true) throw proxyError("PRX_DETECT_ABORTED");
    if (this.#clock.now() >= this.#expires) throw proxyError("PRX_DETECT_TIMEOUT");
  }

  /**
   * Called once per iteration of a long loop; cheap. True when the loop should `await pause()`: every
   * {@link CHECK_EVERY} calls it reads the clock, and the slice has run {@link SLICE_MS} or the deadline passed.
   */
  due(): boolean {
    if (++this.#count < CHECK_EVERY) return false;
    this.#count = 0;
    const now = this.#clock.now();
    return now - this.#sliceStart >= SLICE_MS || now >= this.#expires || this.#client?.aborted === true;
  }

  /** Checks, yields one turn of the event loop, and checks again (the deadline may pass meanwhile). */
  async pause(): Promise<void> {
    this.check();
    this.#turns++;
    await this.#clock.turn();
    this.#sliceStart = this.#clock.now();
    this.check();
  }
}
