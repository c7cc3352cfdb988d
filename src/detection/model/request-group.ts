/**
 * One request's model work as a group: every text of a request is detected with the caller's signal, so
 * the signal groups them. The group holds one abort controller (one text failing or the client leaving stops
 * every chunk of the request), the prompt tokens sent to the model so far (the per-request work bound) and
 * the deadline, scaled by that work: `timeoutMs` per 1,000 tokens, within `timeoutMaxMs`.
 */
import { setMaxListeners } from "node:events";
import { proxyError } from "../../errors/catalogue.js";
import { abortReason } from "./pool.js";

/** One request's shared state. */
export interface RequestGroup {
  /** Identity for fair scheduling. */
  readonly owner: object;
  readonly controller: AbortController;
  /** Prompt tokens of the chunks sent to the model so far. */
  readonly tokens: number;
}

/** Opens, scales and closes request groups. */
export interface RequestGroups {
  /** Joins (or opens) the group of the caller's signal; a call without a signal is a group of its own. */
  join(caller: AbortSignal | undefined): RequestGroup;
  /** Adds prompt tokens to the group's work and stretches its deadline accordingly. */
  addWork(group: RequestGroup, tokens: number): void;
  /** Leaves the group; the last text to leave closes it. */
  leave(group: RequestGroup): void;
}

interface OpenGroup extends RequestGroup {
  tokens: number;
  readonly startedAt: number;
  active: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  dispose: () => void;
}

/** Request groups with the deadline `timeoutMs` per 1,000 tokens of model work, capped at `timeoutMaxMs`. */
export function createRequestGroups(timeoutMs: number, timeoutMaxMs: number): RequestGroups {
  const cap = Math.max(timeoutMs, timeoutMaxMs);
  const groups = new WeakMap<AbortSignal, OpenGroup>();

  function arm(group: OpenGroup): void {
    const budget = Math.min(cap, timeoutMs * Math.max(1, group.tokens / 1000));
    clearTimeout(group.timer);
    const left = Math.max(0, group.startedAt + budget - Date.now());
    group.timer = setTimeout(
      () => group.controller.abort(proxyError("PRX_DETECT_TIMEOUT", { detail: `${Math.round(budget)} ms` })),
      left,
    );
  }

  return {
    join(caller) {
      const existing = caller === undefined ? undefined : groups.get(caller);
      if (existing !== undefined) {
        existing.active++;
        return existing;
      }
      const controller = new AbortController();
      // Every chunk of every text of the request waits on this one signal.
      setMaxListeners(0, controller.signal);
      const onAbort = (): void => controller.abort(proxyError("PRX_DETECT_ABORTED"));
      if (caller?.aborted === true) onAbort();
      else caller?.addEventListener("abort", onAbort, { once: true });
      const group: OpenGroup = {
        owner: {},
        controller,
        startedAt: Date.now(),
        tokens: 0,
        active: 1,
        timer: undefined,
        dispose: () => {
          clearTimeout(group.timer);
          caller?.removeEventListener("abort", onAbort);
          if (caller !== undefined && groups.get(caller) === group) groups.delete(caller);
        },
      };
      if (caller !== undefined) groups.set(caller, group);
      arm(group);
      return group;
    },
    addWork(group, tokens) {
      const open = group as OpenGroup;
      open.tokens += tokens;
      if (tokens > 0) arm(open);
    },
    leave(group) {
      const open = group as OpenGroup;
      if (--open.active === 0) open.dispose();
    },
  };
}

/** A promise that rejects with the signal's reason when it aborts (and never settles otherwise). */
export function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(abortReason(signal));
    else signal.addEventListener("abort", () => reject(abortReason(signal)), { once: true });
  });
}
