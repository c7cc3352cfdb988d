/**
 * Finds the model file in a models folder. Kept apart from the detector so that start-up in `auto` mode can
 * look for a model without loading node-llama-cpp.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Finds a `.gguf` model in `dir` (the largest, so a full model wins over a vocab-only file); undefined if none. */
export function findModelFile(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith(".gguf") && !f.startsWith("."))
    .map((f) => ({ path: join(dir, f), size: statSync(join(dir, f)).size }))
    .sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
  return files[0]?.path;
}
