/**
 * Detection, the first step of the pipeline (src/redaction/pipeline.ts): every text of a request through its
 * detector — all of them, the light one (rules) for echoed text, or none — under one deadline for the whole
 * request (src/redaction/deadline.ts; the rest of the pipeline runs under the same one). Texts the detectors'
 * caches already hold are answered without it; a failure, a timeout or the client going away fails the request
 * (nothing is forwarded).
 */
import type { DetectInput, Detector, Span } from "../detection/span.js";
import { isProxyError, proxyError } from "../errors/catalogue.js";
import type { Deadline } from "./deadline.js";
import type { RedactRequest } from "./request.js";

/** Longest delay a Node timer takes (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Runs a request's texts through the detectors under one deadline. */
export class RequestDetection {
  readonly #detector: Detector;
  readonly #light: Detector | undefined;

  /** `light` serves `detect: "light"` texts (they get none without it). */
  constructor(detector: Detector, light: Detector | undefined) {
    this.#detector = detector;
    this.#light = light;
  }

  /**
   * The spans of every text of `request`, in order (none for texts that get no detection). A detector that
   * ignores its signal still cannot hold the request past the deadline (the race), and a failure anywhere
   * fails the whole request. Detection ends at what is left of `deadline`.
   */
  async detectAll(
    request: Pick<RedactRequest, "items" | "userName" | "signal">,
    deadline: Deadline,
  ): Promise<Span[][]> {
    const jobs: { index: number; input: DetectInput; using: Detector }[] = [];
    request.items.forEach((item, index) => {
      const using =
        item.detect === "light" ? this.#light : item.detect === false ? undefined : this.#detector;
      if (using !== undefined && item.text.length > 0) {
        jobs.push({ index, input: { text: item.text, userName: request.userName, role: item.role }, using });
      }
    });
    const results: Span[][] = request.items.map(() => []);
    if (jobs.length === 0) return results;
    const client = request.signal;
    const clientGone = (): boolean => client?.aborted === true;
    if (clientGone()) throw proxyError("PRX_DETECT_ABORTED");
    // Texts seen before (an agent resends its whole history every turn) are answered at once; only the
    // rest pay for the deadline and the abort plumbing below.
    let pending = 0;
    for (let i = 0; i < jobs.length; i++) {
      const job = jobs[i] as (typeof jobs)[number];
      const hit = job.using.peek?.(job.input);
      if (hit === undefined) jobs[pending++] = job;
      else results[job.index] = hit;
    }
    jobs.length = pending;
    if (jobs.length === 0) return results;
    // One controller and one timer per request: AbortSignal.timeout/any per text cost more than detection
    // itself on cache hits.
    const controller = new AbortController();
    let fail: (err: unknown) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => (fail = reject));
    stopped.catch(() => undefined);
    const timer = setTimeout(
      () => {
        fail(proxyError("PRX_DETECT_TIMEOUT"));
        controller.abort();
      },
      Math.min(deadline.remainingMs(), MAX_TIMER_MS),
    );
    const onClientAbort = (): void => {
      fail(proxyError("PRX_DETECT_ABORTED"));
      controller.abort();
    };
    client?.addEventListener("abort", onClientAbort, { once: true });
    try {
      const all = Promise.all(jobs.map((job) => job.using.detect(job.input, controller.signal)));
      const spans = await Promise.race([all, stopped]);
      jobs.forEach((job, i) => (results[job.index] = spans[i] ?? []));
      return results;
    } catch (err) {
      // Stop detectors still working for this request (one of them failed).
      if (!controller.signal.aborted) controller.abort();
      if (isProxyError(err)) throw err;
      if (clientGone()) throw proxyError("PRX_DETECT_ABORTED");
      throw proxyError("PRX_DETECT_FAILED", { cause: err });
    } finally {
      clearTimeout(timer);
      client?.removeEventListener("abort", onClientAbort);
    }
  }
}
