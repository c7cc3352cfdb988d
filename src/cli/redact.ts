/** `memprivacy redact` and `memprivacy restore`: the pipeline without a server, JSON on stdout. */
import type { Config } from "../config/schema.js";
import { redactOneText } from "../redaction/adhoc.js";
import { genericPartition } from "../redaction/pipeline.js";
import { restoreText } from "../redaction/restore.js";
import { ScopeIndex } from "../redaction/scope-index.js";
import { namedScope } from "../scope/scope.js";
import { withRuntime } from "./with-runtime.js";

type Options = Record<string, string | boolean>;

function scopeOption(options: Options): string {
  return namedScope(typeof options.scope === "string" ? options.scope : "cli");
}

/** Redacts `text` and prints `{text, spans}`. */
export function runRedact(config: Config, text: string, options: Options): Promise<number> {
  return withRuntime(config, async (runtime) => {
    const { redactor } = await runtime.detection();
    const answer = await redactOneText(redactor, {
      text,
      scope: scopeOption(options),
      policy: runtime.policy,
      userName: config.userName,
      includeOriginals: options["include-originals"] === true,
    });
    process.stdout.write(`${JSON.stringify({ text: answer.text, spans: answer.spans }, null, 2)}\n`);
    return 0;
  });
}

/** Restores placeholders of the scope in `text` and prints the text, ending in a newline. */
export function runRestore(config: Config, text: string, options: Options): Promise<number> {
  return withRuntime(config, async ({ vault }) => {
    const scope = scopeOption(options);
    const [typed, generic] = await Promise.all([
      vault.entries(scope),
      vault.entries(genericPartition(scope)),
    ]);
    const restored = restoreText(text, new ScopeIndex([...typed, ...generic])).text;
    // A line for the terminal; text that already ends in a newline (stdin, a file) keeps just its own.
    process.stdout.write(restored.endsWith("\n") ? restored : `${restored}\n`);
    return 0;
  });
}
