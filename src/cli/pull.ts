/**
 * `memprivacy pull`: download a MemPrivacy checkpoint from Hugging Face (resumable, checked) and convert it
 * to GGUF in TypeScript; optionally fetch the official instruction text onto this machine at run time.
 */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { INSTRUCTIONS_FILE_NAME } from "../detection/model/instructions.js";
import { loadConfig } from "../config/load.js";
import { isProxyError, proxyError } from "../errors/catalogue.js";
import { convertQwen3ToGguf, QUANT_TYPES } from "../model/convert-qwen3.js";
import type { QuantType } from "../model/convert-qwen3.js";
import { DEFAULT_HF_ENDPOINT, downloadModel } from "../model/hf-download.js";
import { createProgressBar, formatBytes } from "../model/progress.js";

/** Model aliases accepted by `--model`. */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  "4b": "IAAR-Shanghai/MemPrivacy-4B-RL",
  "1.7b": "IAAR-Shanghai/MemPrivacy-1.7B-RL",
};
export const DEFAULT_MODEL = "IAAR-Shanghai/MemPrivacy-4B-RL";

/**
 * Where `--with-instructions` fetches the official instruction text (CC BY-NC-ND 4.0; never shipped with
 * this project). The file path inside the MemPrivacy repository could not be verified offline: pass
 * `--instructions-url` when it differs.
 */
export const OFFICIAL_INSTRUCTIONS_URL =
  "https://raw.githubusercontent.com/IAAR-Shanghai/MemPrivacy/main/prompts/instruction.txt";

const USAGE = `Usage: memprivacy pull [options]
  --model 4b|1.7b|OWNER/NAME   default ${DEFAULT_MODEL}
  --revision REV               branch, tag or commit (default main)
  --dir DIR                    models directory (default modelsDir: MEMPRIVACY_MODELS_DIR, else models)
  --quant f16|q8_0|q4_0        output type (default q8_0)
  --endpoint URL               Hub endpoint (default HF_ENDPOINT or ${DEFAULT_HF_ENDPOINT})
  --with-instructions          also fetch the official instruction text into DIR
  --instructions-url URL       where to fetch it from
  --keep-safetensors           keep the downloaded checkpoint after conversion
Environment: HF_TOKEN (sent as a bearer token), HF_ENDPOINT.`;

/** Output streams and environment (injectable for tests). */
export interface CliIo {
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WriteStream;
  readonly env?: NodeJS.ProcessEnv;
}

/** The models directory: `--dir` when given, else `modelsDir` of the configuration `env` selects. */
export function configuredModelsDir(dir: string | undefined, env: NodeJS.ProcessEnv): string {
  return dir ?? loadConfig({ env }).modelsDir;
}

/** Prints a catalogue error (code, message, value-free detail) without a stack trace. */
export function printError(stderr: NodeJS.WritableStream, err: unknown): void {
  if (isProxyError(err)) {
    stderr.write(`error ${err.code}: ${err.message}${err.detail === undefined ? "" : ` (${err.detail})`}\n`);
  } else {
    stderr.write(`error PRX_INTERNAL: ${err instanceof Error ? err.name : "unknown error"}\n`);
  }
}

/** The GGUF file name for a repository and output type, e.g. `MemPrivacy-4B-RL.Q8_0.gguf`. */
export function ggufFileName(repo: string, quant: QuantType): string {
  const name = repo.split("/").pop() ?? repo;
  return `${name}.${quant.toUpperCase()}.gguf`;
}

async function fetchInstructions(url: string, dir: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (cause) {
    throw proxyError("PRX_MODEL_DOWNLOAD_FAILED", { cause, detail: "instructions: unreachable" });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw proxyError("PRX_MODEL_DOWNLOAD_FAILED", { detail: `instructions: HTTP ${res.status}` });
  }
  const text = (await res.text()).replace(/\s+$/u, "");
  if (text.length === 0 || text.length > 256 * 1024) {
    throw proxyError("PRX_MODEL_DOWNLOAD_FAILED", { detail: "instructions: empty or too large" });
  }
  const target = join(dir, INSTRUCTIONS_FILE_NAME);
  await writeFile(target, `${text}\n`);
  return target;
}

/** Runs `memprivacy pull`; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function runPull(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        model: { type: "string" },
        revision: { type: "string" },
        dir: { type: "string" },
        quant: { type: "string" },
        endpoint: { type: "string" },
        "with-instructions": { type: "boolean" },
        "instructions-url": { type: "string" },
        "keep-safetensors": { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch {
    stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  const modelArg = typeof values.model === "string" ? values.model : DEFAULT_MODEL;
  const repo = MODEL_ALIASES[modelArg.toLowerCase()] ?? modelArg;
  const quant = (typeof values.quant === "string" ? values.quant.toLowerCase() : "q8_0") as QuantType;
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo) || !QUANT_TYPES.includes(quant)) {
    stderr.write(`${USAGE}\n`);
    return 2;
  }
  const dir = configuredModelsDir(typeof values.dir === "string" ? values.dir : undefined, env);
  const endpoint =
    typeof values.endpoint === "string" ? values.endpoint : (env.HF_ENDPOINT ?? DEFAULT_HF_ENDPOINT);
  const token = env.HF_TOKEN;
  const revision = typeof values.revision === "string" ? values.revision : "main";
  const checkpointDir = join(dir, ".download", repo.replace("/", "--"));
  const bar = createProgressBar(stderr);
  try {
    await mkdir(dir, { recursive: true });
    let current = "";
    await downloadModel({
      repo,
      revision,
      endpoint,
      dir: checkpointDir,
      ...(token === undefined || token === "" ? {} : { token }),
      onProgress: (p) => {
        const label = `download ${p.file} (${p.index + 1}/${p.count})`;
        if (current !== "" && current !== label) bar.done(current);
        current = label;
        bar.update(label, p.received, p.total);
      },
    });
    if (current !== "") bar.done(current);
    const out = join(dir, ggufFileName(repo, quant));
    const tmp = `${out}.tmp-${process.pid}`;
    const t0 = Date.now();
    try {
      const result = await convertQwen3ToGguf({
        dir: checkpointDir,
        outFile: tmp,
        quant,
        name: repo.split("/").pop() ?? repo,
        onTensor: (done, total) => bar.update("convert", done, total),
      });
      bar.done("convert");
      await rename(tmp, out);
      stderr.write(
        `converted ${result.tensors} tensors, ${formatBytes(result.bytes)} in ${Date.now() - t0} ms\n`,
      );
    } catch (cause) {
      await rm(tmp, { force: true });
      throw isProxyError(cause) ? cause : proxyError("PRX_MODEL_CONVERT_FAILED", { cause });
    }
    if (values["with-instructions"] === true) {
      const url =
        typeof values["instructions-url"] === "string"
          ? values["instructions-url"]
          : OFFICIAL_INSTRUCTIONS_URL;
      const file = await fetchInstructions(url, dir);
      stderr.write(`instructions saved to ${file} (licence CC BY-NC-ND 4.0; for your own use)\n`);
    }
    if (values["keep-safetensors"] !== true) await rm(checkpointDir, { recursive: true, force: true });
    stdout.write(`${out}\n`);
    return 0;
  } catch (err) {
    printError(stderr, err);
    return 1;
  }
}
