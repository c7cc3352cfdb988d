/** `memprivacy vault stats|purge [--scope NAME] [--expired]`: counts only, never values. */
import type { Config } from "../config/schema.js";
import { namedScope } from "../server/scope.js";
import { openCliVault } from "./redact.js";

/** Runs a vault sub-command. */
export async function runVault(
  config: Config,
  positionals: readonly string[],
  options: Record<string, string | boolean>,
): Promise<number> {
  const sub = positionals[0];
  const vault = openCliVault(config);
  try {
    const scope = typeof options.scope === "string" ? namedScope(options.scope) : undefined;
    if (sub === "stats") {
      process.stdout.write(`${JSON.stringify(vault.stats(scope), null, 2)}\n`);
      return 0;
    }
    if (sub === "purge") {
      const removed = vault.purge({
        ...(scope === undefined ? {} : { scope }),
        expiredOnly: options.expired === true,
      });
      process.stdout.write(`${JSON.stringify({ removed })}\n`);
      return 0;
    }
    process.stderr.write("usage: memprivacy vault stats|purge [--scope NAME] [--expired]\n");
    return 2;
  } finally {
    vault.close();
  }
}
