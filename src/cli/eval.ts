/** `memprivacy eval FILE [--json]`: scores the configured detector (rules, model or remote) on MemPrivacy-Bench. */
import { MODEL_ROLES } from "../config/schema.js";
import type { Config } from "../config/schema.js";
import { runEvalCommand } from "../eval/run.js";
import { withRuntime } from "./with-runtime.js";

/** Runs the evaluation with the detector the configuration selects. */
export function runEval(
  config: Config,
  positionals: readonly string[],
  options: Record<string, string | boolean>,
): Promise<number> {
  const argv = [...positionals, ...(options.json === true ? ["--json"] : [])];
  // Scoring stores nothing: the runtime's vault is in memory, and closing it closes the detector it built.
  // The benchmark scores the model on every turn, whatever roles the proxy sends it in daily use. No detection
  // cache: the rules run every timed pass over the same turns, and a cache would answer all but the first.
  const scoring = Object.freeze({
    ...config,
    ephemeral: true,
    modelRoles: [...MODEL_ROLES],
    detectCacheSize: 0,
  });
  return withRuntime(scoring, async (runtime) => {
    const { detector } = await runtime.detection();
    const slow = detector.info().kind !== "rules";
    // A model takes seconds per turn: one timed pass, no warm-up.
    return runEvalCommand(
      argv,
      slow ? { detector, warmupPasses: 0, warmupMs: 0, timedPasses: 1, timedMs: 0 } : { detector },
    );
  });
}
