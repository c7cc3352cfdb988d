/**
 * `memprivacy models`: lists the GGUF models installed in the models directory with size, quantization
 * (from the file's own metadata) and whether an instruction file sits beside them.
 */
import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { INSTRUCTIONS_FILE_NAME } from "../detection/model/instructions.js";
import { metaNumber, readGguf } from "../model/gguf-reader.js";
import { FILE_TYPE_NAMES } from "../model/gguf-types.js";
import { formatBytes } from "../model/progress.js";
import { configuredModelsDir, printError } from "./pull.js";
import type { CliIo } from "./pull.js";

/** One installed model. */
export interface InstalledModel {
  readonly file: string;
  readonly path: string;
  readonly bytes: number;
  readonly architecture: string;
  readonly quantization: string;
  readonly instructions: boolean;
}

/** Lists `.gguf` files in `dir` (an unreadable file is listed with architecture `unreadable`). */
export async function listModels(dir: string): Promise<InstalledModel[]> {
  if (!existsSync(dir)) return [];
  const instructions = existsSync(join(dir, INSTRUCTIONS_FILE_NAME));
  const out: InstalledModel[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.toLowerCase().endsWith(".gguf")).sort()) {
    const path = join(dir, file);
    const bytes = (await stat(path)).size;
    try {
      const gguf = await readGguf(path);
      const arch = gguf.metadata.get("general.architecture");
      const ft = metaNumber(gguf, "general.file_type");
      out.push({
        file,
        path,
        bytes,
        architecture: typeof arch === "string" ? arch : "unknown",
        quantization: ft === undefined ? "unknown" : (FILE_TYPE_NAMES[ft] ?? `type ${ft}`),
        instructions,
      });
    } catch {
      out.push({ file, path, bytes, architecture: "unreadable", quantization: "unknown", instructions });
    }
  }
  return out;
}

/** Runs `memprivacy models [--dir DIR] [--json]`; returns the exit code. */
export async function runModels(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let values: { dir?: string | undefined; json?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { dir: { type: "string" }, json: { type: "boolean" } },
      strict: true,
    }));
  } catch {
    stderr.write("Usage: memprivacy models [--dir DIR] [--json]\n");
    return 2;
  }
  const dir = configuredModelsDir(values.dir, io.env ?? process.env);
  try {
    const models = await listModels(dir);
    if (values.json === true) {
      stdout.write(`${JSON.stringify(models, null, 2)}\n`);
      return 0;
    }
    if (models.length === 0) {
      stdout.write(`no models in ${dir} (run: memprivacy pull)\n`);
      return 0;
    }
    const rows = [
      ["MODEL", "SIZE", "QUANT", "ARCH", "INSTRUCTIONS"],
      ...models.map((m) => [
        m.file,
        formatBytes(m.bytes),
        m.quantization,
        m.architecture,
        m.instructions ? "file" : "built-in",
      ]),
    ];
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
    for (const r of rows)
      stdout.write(
        `${r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join("  ")
          .trimEnd()}\n`,
      );
    return 0;
  } catch (err) {
    printError(stderr, err);
    return 1;
  }
}
