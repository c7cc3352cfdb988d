/**
 * Loads the configuration once: defaults ← JSON file ← env (`MEMPRIVACY_*`) ← flags. Every problem is
 * reported together, then the result is frozen deeply (lists included). The vault key is read from env by the
 * vault, not kept here.
 */
import fs from "node:fs";
import { ProxyError } from "../errors/catalogue.js";
import { CONFIG_KEYS, ConfigSchema, SECRET_KEYS, type Config } from "./schema.js";

/** `dataDir` → `DATA_DIR`. */
export function envNameFor(key: string): string {
  return `MEMPRIVACY_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** `dataDir` → `data-dir`. */
export function flagNameFor(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Flags accepted as aliases of a key. */
const FLAG_ALIASES: Readonly<Record<string, string>> = {
  "upstream-url": "upstream",
  "anthropic-upstream-url": "anthropicUpstream",
  model: "modelPath",
  token: "proxyToken",
};

export interface ConfigSources {
  /** Values from command-line flags, keyed by config key. */
  readonly flags?: Readonly<Record<string, unknown>>;
  /** Environment (defaults to process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Path of a JSON config file (`--config`, or `MEMPRIVACY_CONFIG`). */
  readonly file?: string | undefined;
}

/** Thrown when the configuration is invalid; `problems` lists every one (key path: message). */
export class ConfigError extends ProxyError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super("PRX_CONFIG_INVALID", { detail: problems.join("; ") });
    this.problems = problems;
  }
}

/** Picks `MEMPRIVACY_*` variables that name a config key. */
export function configFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[envNameFor(key)];
    if (value !== undefined && value !== "") out[key] = value;
  }
  // MEMPRIVACY_UPSTREAM_URL and MEMPRIVACY_ANTHROPIC_UPSTREAM_URL are documented too: accept both spellings.
  const up = env.MEMPRIVACY_UPSTREAM_URL;
  if (up !== undefined && up !== "" && out.upstream === undefined) out.upstream = up;
  const aup = env.MEMPRIVACY_ANTHROPIC_UPSTREAM_URL;
  if (aup !== undefined && aup !== "" && out.anthropicUpstream === undefined) out.anthropicUpstream = aup;
  return out;
}

function readConfigFile(file: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    problems.push(`config file: cannot read ${file}`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      problems.push(`config file: ${file} must hold a JSON object`);
      return {};
    }
    return parsed as Record<string, unknown>;
  } catch {
    problems.push(`config file: ${file} is not valid JSON`);
    return {};
  }
}

/** Builds the frozen configuration, or throws a ConfigError listing every problem. */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const problems: string[] = [];
  const fileName = sources.file ?? env.MEMPRIVACY_CONFIG;
  const fromFile = fileName !== undefined && fileName !== "" ? readConfigFile(fileName, problems) : {};
  const merged: Record<string, unknown> = { ...fromFile, ...configFromEnv(env), ...(sources.flags ?? {}) };
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const where = issue.path.length > 0 ? issue.path.join(".") : "config";
      // zod messages describe the expectation, never echo the input value.
      problems.push(`${where}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  // A copy, so that no default object the schema shares between parses is frozen with it.
  return deepFreeze(structuredClone(result.data));
}

/** Freezes a plain value and everything it holds; returns it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Maps a flag name (without `--`) to its config key, or undefined for unknown flags. */
export function configKeyForFlag(flag: string): string | undefined {
  const alias = FLAG_ALIASES[flag];
  if (alias !== undefined) return alias;
  return CONFIG_KEYS.find((k) => flagNameFor(k) === flag);
}

/** The configuration as printable JSON with secrets masked. */
export function describeConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[k] = SECRET_KEYS.has(k) && v !== undefined ? "***" : v;
  return out;
}
