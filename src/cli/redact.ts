/** `memprivacy redact` and `memprivacy restore`: the pipeline without a server, JSON on stdout. */
import type { Config } from "../config/schema.js";
import { genericPartition } from "../redaction/pipeline.js";
import { restoreText } from "../redaction/restore.js";
import { ScopeIndex } from "../redaction/scope-index.js";
import { createRuntime } from "../runtime.js";
import { namedScope } from "../scope/scope.js";

function scopeOption(options: Record<string, string | boolean>): string {
  return namedScope(typeof options.scope === "string" ? options.scope : "cli");
}

/** Redacts `text` and prints `{text, spans}`. */
export async function runRedact(
  config: Config,
  text: string,
  options: Record<string, string | boolean>,
): Promise<number> {
  const runtime = createRuntime(config);
  try {
    const { redactor } = await runtime.detection();
    const outcome = await redactor.redact({
      items: [{ text, role: "user" }],
      scope: scopeOption(options),
      policy: runtime.policy,
      userName: config.userName,
      maskKnown: false,
    });
    const spans = (outcome.spans[0] ?? []).map((s) => ({
      placeholder: s.replacement,
      type: s.type,
      level: s.level,
      start: s.start,
      end: s.end,
      ...(options["include-originals"] === true ? { original: s.text } : {}),
    }));
    process.stdout.write(`${JSON.stringify({ text: outcome.texts[0] ?? "", spans }, null, 2)}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}

/** Restores placeholders of the scope in `text` and prints the text, ending in a newline. */
export async function runRestore(
  config: Config,
  text: string,
  options: Record<string, string | boolean>,
): Promise<number> {
  const runtime = createRuntime(config);
  try {
    const vault = runtime.vault;
    const scope = scopeOption(options);
    const [typed, generic] = await Promise.all([
      vault.entries(scope),
      vault.entries(genericPartition(scope)),
    ]);
    const index = new ScopeIndex([...typed, ...generic]);
    const restored = restoreText(text, index).text;
    // A line for the terminal; text that already ends in a newline (stdin, a file) keeps just its own.
    process.stdout.write(restored.endsWith("\n") ? restored : `${restored}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}
