/**
 * A small argument parser for the CLI: `--flag value`, `--flag=value`, `--bool`, `--no-bool`, positionals.
 * Config flags are validated later by the config schema, so this only splits.
 */

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Record<string, string | boolean>;
}

/** Splits argv into positionals and flags; flags listed in `booleans` take no value. */
export function parseArgs(argv: readonly string[], booleans: ReadonlySet<string> = new Set()): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (eq !== -1) {
      flags[name] = arg.slice(eq + 1);
    } else if (name.startsWith("no-") && booleans.has(name.slice(3))) {
      flags[name.slice(3)] = false;
    } else if (booleans.has(name)) {
      flags[name] = true;
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) flags[name] = true;
      else {
        flags[name] = next;
        i++;
      }
    }
  }
  return { positionals, flags };
}
