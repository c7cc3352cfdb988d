#!/usr/bin/env node
/**
 * The `memprivacy` command line: serve | run | env | redact | restore | vault | pull | models | eval.
 * Configuration flags are shared by every command (defaults ← file ← env ← flags).
 */
import fs from "node:fs";
import { ConfigError, configKeyForFlag, loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { isProxyError } from "../errors/catalogue.js";
import { parseArgs } from "./args.js";
import { runRedact, runRestore } from "./redact.js";
import { printEnv, runCommand, splitRunArgs } from "./run.js";
import { runServe } from "./serve.js";
import { runVault } from "./vault.js";
import { VERSION } from "../version.js";

const USAGE = `memprivacy ${VERSION} — privacy-redaction proxy for LLM APIs

Usage:
  memprivacy serve [options]                 run the proxy (default 127.0.0.1:8787)
  memprivacy run [options] -- COMMAND [ARGS]  run COMMAND behind the proxy (started unless running),
                                             OPENAI_BASE_URL / ANTHROPIC_BASE_URL set; exits with its status
  memprivacy env [options]                   print those settings: eval "$(memprivacy env)"
  memprivacy redact [TEXT|-] [options]       redact TEXT (or stdin) and print JSON
  memprivacy restore [TEXT|-] [options]      restore placeholders in TEXT (or stdin)
  memprivacy vault stats|purge [--scope S] [--expired]
  memprivacy vault export --out FILE|- [--scope S]   your values in clear (JSON lines)
  memprivacy pull [--model 4b|1.7b|REPO] [--quant q8_0|f16|q4_0] [--with-instructions]
  memprivacy models                          list installed models
  memprivacy eval FILE                       score the detector on a MemPrivacy-Bench file

Options (each also MEMPRIVACY_<NAME> in the environment; see README for all):
  --config FILE  --host H  --port N  --data-dir DIR  --upstream URL  --anthropic-upstream URL
  --levels PL2-PL4|PL3+|PL4  --mode type_specific|generic|complete  --detector auto|rules|model|remote
  --user-name NAME  --model-path FILE  --ephemeral  --scope NAME (redact/restore/vault)
`;

/** Flags that belong to commands rather than to the configuration. */
const COMMAND_FLAGS = new Set([
  "config",
  "scope",
  "include-originals",
  "expired",
  "help",
  "version",
  "json",
  "out",
]);
const BOOLEAN_FLAGS = new Set(["ephemeral", "include-originals", "expired", "help", "version", "ui", "json"]);

/** Splits flags into config values and command options; unknown flags are config errors. */
export function configFromFlags(
  flags: Record<string, string | boolean>,
  env: NodeJS.ProcessEnv = process.env,
): { config: Config; options: Record<string, string | boolean> } {
  const values: Record<string, unknown> = {};
  const options: Record<string, string | boolean> = {};
  const problems: string[] = [];
  for (const [flag, value] of Object.entries(flags)) {
    if (COMMAND_FLAGS.has(flag)) {
      options[flag] = value;
      continue;
    }
    const key = configKeyForFlag(flag);
    if (key === undefined) problems.push(`--${flag}: unknown option`);
    else values[key] = value;
  }
  const file = typeof options.config === "string" ? options.config : undefined;
  try {
    const config = loadConfig({ flags: values, env, file });
    if (problems.length > 0) throw new ConfigError(problems);
    return { config, options };
  } catch (err) {
    // Report unknown flags together with every invalid value, not one kind at a time.
    if (err instanceof ConfigError && problems.length > 0 && err.problems !== problems) {
      throw new ConfigError([...problems, ...err.problems]);
    }
    throw err;
  }
}

/** Reads the positional text, or stdin for `-` / no argument. */
export function readInput(positional: string | undefined): string {
  if (positional !== undefined && positional !== "-") return positional;
  return fs.readFileSync(0, "utf8");
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command === "--version" || command === "version") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === "pull") return (await import("./pull.js")).runPull(rest);
  if (command === "models") return (await import("./models.js")).runModels(rest);
  if (command === "run") {
    // Only what precedes the command is ours: `run -- node x.mjs --help` is the script's --help.
    const split = splitRunArgs(rest, BOOLEAN_FLAGS);
    const own = parseArgs(split.options, BOOLEAN_FLAGS);
    if (own.flags.help === true || own.flags.help === "true") {
      process.stdout.write(USAGE);
      return 0;
    }
    return runCommand(configFromFlags(own.flags).config, split.command);
  }
  const { positionals, flags } = parseArgs(rest, BOOLEAN_FLAGS);
  // `memprivacy serve --help` must print help, not start a server (or wait on stdin for `redact`).
  if (flags.help === true || flags.help === "true") {
    process.stdout.write(USAGE);
    return 0;
  }
  const { config, options } = configFromFlags(flags);
  switch (command) {
    case "serve":
      return runServe(config);
    case "env":
      return printEnv(config);
    case "redact":
      return runRedact(config, readInput(positionals[0]), options);
    case "restore":
      return runRestore(config, readInput(positionals[0]), options);
    case "vault":
      return runVault(config, positionals, options);
    case "eval":
      return (await import("./eval.js")).runEval(config, positionals, options);
    default:
      process.stderr.write(`unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(
        `memprivacy: invalid configuration:\n${err.problems.map((p) => `  - ${p}`).join("\n")}\n`,
      );
      process.exitCode = 2;
    } else if (isProxyError(err)) {
      process.stderr.write(
        `memprivacy: ${err.code}: ${err.message}${err.detail === undefined ? "" : ` (${err.detail})`}\n`,
      );
      process.exitCode = 1;
    } else {
      process.stderr.write(`memprivacy: unexpected ${err instanceof Error ? err.name : "error"}\n`);
      process.exitCode = 1;
    }
  },
);
