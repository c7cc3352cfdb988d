/** `memprivacy eval FILE [--json]`: scores the configured detector (rules, model or remote) on MemPrivacy-Bench. */
import type { Config } from "../config/schema.js";
import { createDetectorFromConfig } from "../detection/factory.js";
import { runEvalCommand } from "../eval/run.js";

/** Runs the evaluation with the detector the configuration selects. */
export async function runEval(
  config: Config,
  positionals: readonly string[],
  options: Record<string, string | boolean>,
): Promise<number> {
  const argv = [...positionals, ...(options.json === true ? ["--json"] : [])];
  if (config.detector === "rules") return runEvalCommand(argv);
  const detector = await createDetectorFromConfig(config);
  const slow = detector.info().kind !== "rules";
  // A model takes seconds per turn: one timed pass, no warm-up.
  return runEvalCommand(argv, { detector, warmupPasses: slow ? 0 : 3, timedPasses: slow ? 1 : 3 });
}
