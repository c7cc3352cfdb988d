/**
 * The instruction prefix in a sequence: loaded from a saved state file when one matches (model identity,
 * instruction text, context size, GPU, node-llama-cpp version and prefix length name the file), else
 * evaluated and then saved, so a restart does not pay for the prefix again.
 */
import { createHash } from "node:crypto";
import { rename, rm, stat, readdir } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { getModuleVersion } from "node-llama-cpp";
import type { Llama, LlamaContext, LlamaContextSequence, Token } from "node-llama-cpp";

/** Whether two token lists are equal. */
export function sameTokens(a: readonly Token[], b: readonly Token[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The state file of a prefix in `stateDir`: named by everything that makes a saved state valid. */
export async function prefixStateFile(
  stateDir: string,
  modelPath: string,
  identity: string,
  llama: Llama,
  context: LlamaContext,
  prefixLength: number,
): Promise<string> {
  const version = await getModuleVersion();
  const key = createHash("sha256")
    .update(`${identity}\0${context.contextSize}\0${llama.gpu}\0${version}\0${prefixLength}`)
    .digest("hex")
    .slice(0, 16);
  return join(stateDir, `${basename(modelPath)}.prefix-${key}.state`);
}

/** Puts the prefix into a sequence: from the state file when it matches, else by evaluation (then saved). */
export async function preparePrefix(
  seq: LlamaContextSequence,
  prefix: readonly Token[],
  stateFile: string | undefined,
  modelPath: string,
): Promise<"evaluated" | "state-file"> {
  if (stateFile !== undefined && (await exists(stateFile))) {
    try {
      await seq.loadStateFromFile(stateFile, { acceptRisk: true });
      if (sameTokens(seq.contextTokens, prefix)) return "state-file";
    } catch {
      // An unreadable state file is only a lost optimisation: evaluate instead.
    }
    await seq.clearHistory();
  }
  await seq.evaluateWithoutGeneratingNewTokens([...prefix]);
  if (stateFile !== undefined && !(await exists(stateFile))) await saveState(seq, stateFile, modelPath);
  return "evaluated";
}

async function saveState(seq: LlamaContextSequence, stateFile: string, modelPath: string): Promise<void> {
  const tmp = `${stateFile}.tmp-${process.pid}`;
  try {
    await seq.saveStateToFile(tmp);
    await rename(tmp, stateFile);
    // State files of an older model or instruction text are invalid now: remove them.
    const stem = `${basename(modelPath)}.prefix-`;
    const dir = dirname(stateFile);
    for (const f of await readdir(dir)) {
      if (f.startsWith(stem) && f.endsWith(".state") && join(dir, f) !== stateFile)
        await rm(join(dir, f), { force: true });
    }
  } catch {
    await rm(tmp, { force: true });
  }
}
