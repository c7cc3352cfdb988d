/**
 * `memprivacy vault stats|purge [--scope NAME] [--expired]`: counts only, never values.
 * `memprivacy vault export --out FILE|- [--scope NAME]`: the one command that writes values in clear — the
 * user's own copy of their vault, to a new file readable by the owner alone (or to stdout with `-`).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { Config } from "../config/schema.js";
import { proxyError } from "../errors/catalogue.js";
import { namedScope } from "../scope/scope.js";
import { withRuntime } from "./with-runtime.js";

/** Runs a vault sub-command. */
export function runVault(
  config: Config,
  positionals: readonly string[],
  options: Record<string, string | boolean>,
): Promise<number> {
  const sub = positionals[0];
  return withRuntime(config, async ({ vault }) => {
    const scope = typeof options.scope === "string" ? namedScope(options.scope) : undefined;
    if (sub === "stats") {
      process.stdout.write(`${JSON.stringify(await vault.stats(scope), null, 2)}\n`);
      return 0;
    }
    if (sub === "purge") {
      const removed = await vault.purge({
        ...(scope === undefined ? {} : { scope }),
        expiredOnly: options.expired === true,
      });
      process.stdout.write(`${JSON.stringify({ removed })}\n`);
      return 0;
    }
    if (sub === "export") {
      const out = options.out;
      if (typeof out !== "string" || out === "") {
        process.stderr.write("usage: memprivacy vault export --out FILE|- [--scope NAME]\n");
        return 2;
      }
      const lines = (await vault.exportEntries(scope)).map((e) =>
        JSON.stringify({
          scope_tag: e.scopeTag,
          placeholder: e.placeholder,
          type: e.type,
          level: e.level,
          value: e.value,
          created: new Date(e.created).toISOString(),
          last_used: new Date(e.lastUsed).toISOString(),
          expires: new Date(e.expires).toISOString(),
        }),
      );
      const text = lines.length === 0 ? "" : `${lines.join("\n")}\n`;
      if (out === "-") process.stdout.write(text);
      else writeNewPrivateFile(out, text);
      process.stderr.write(`exported ${lines.length} entries\n`);
      return 0;
    }
    process.stderr.write(
      "usage: memprivacy vault stats|purge|export [--scope NAME] [--expired] [--out FILE|-]\n",
    );
    return 2;
  });
}

/** Writes a file that must not exist yet, readable and writable by its owner only. */
function writeNewPrivateFile(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (cause) {
    const exists = (cause as NodeJS.ErrnoException).code === "EEXIST";
    throw proxyError("PRX_VAULT_EXPORT_FAILED", {
      cause,
      detail: exists ? "--out: the file exists (export never overwrites)" : "--out: cannot create the file",
    });
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
