/**
 * Builds the configured detector (docs/architecture.md, "Detectors"): `rules`; `model` (rules + local model,
 * merged); `remote` (rules + remote model); `auto` (model when a model file is configured or found, else rules).
 * The result is wrapped in the per-text cache. Model code is imported lazily: rules-only start-up never
 * loads node-llama-cpp.
 */
import path from "node:path";
import type { Config } from "../config/schema.js";
import { proxyError } from "../errors/catalogue.js";
import { createCachedDetector, type CachedDetector } from "./cache.js";
import { createCompositeDetector } from "./composite.js";
import { findModelFile } from "./model/find.js";
import { createRuleDetector } from "./rules/index.js";
import type { Detector, TextRole } from "./span.js";
import { createRulePoolDetector } from "./worker/pool.js";

export interface DetectorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/**
 * A new rule detector for a configuration: texts from 16 KiB up run on `detectWorkers` worker threads (0: all
 * on the event loop). The runtime (src/runtime.ts) builds one and hands it to the main and the light detector,
 * so both share one worker pool.
 */
export function createRulesFromConfig(config: Config): Detector {
  return config.detectWorkers > 0
    ? createRulePoolDetector({ workers: config.detectWorkers, phoneRegions: config.phoneRegions })
    : createRuleDetector({ phoneRegions: config.phoneRegions });
}

/** Resolves `auto` to what will actually run, and the model file if any. */
export async function resolveDetectorChoice(
  config: Config,
): Promise<{ choice: "rules" | "model" | "remote"; modelPath?: string }> {
  if (config.detector === "rules" || config.detector === "remote") return { choice: config.detector };
  const modelPath = config.modelPath ?? findModelFile(path.resolve(config.modelsDir));
  if (modelPath !== undefined) return { choice: "model", modelPath };
  if (config.detector === "model")
    throw proxyError("PRX_MODEL_NOT_FOUND", { detail: `no .gguf in ${config.modelsDir}` });
  return { choice: "rules" };
}

/**
 * Creates the detector for a configuration (loading the model when one is used) around `options.rules` (a new
 * rule detector when absent); closing it closes the rules too.
 */
export async function createDetectorFromConfig(
  config: Config,
  options: { readonly rules?: Detector | undefined; readonly logger?: DetectorLogger | undefined } = {},
): Promise<CachedDetector> {
  const { logger } = options;
  const rules = options.rules ?? createRulesFromConfig(config);
  const { choice, modelPath } = await resolveDetectorChoice(config);
  let detector: Detector = rules;
  if (choice === "model" && modelPath !== undefined) {
    const { createModelDetector } = await import("./model/index.js");
    const model = await createModelDetector({
      modelPath,
      gpu: config.gpu === "off" ? false : config.gpu,
      contextSize: config.modelContextSize,
      maxTokens: config.modelMaxTokens,
      timeoutMs: config.detectTimeoutMs,
      timeoutMaxMs: config.detectTimeoutMaxMs,
      maxQueue: config.detectMaxQueue,
      roles: config.modelRoles as TextRole[],
      chunkChars: config.modelChunkChars,
      maxRequestTokens: config.modelMaxRequestTokens,
      chunkCacheSize: config.detectCacheSize,
      draft: config.modelDraft,
      // Chunk cuts never fall inside a value the rules found.
      protect: (text) => rules.detect({ text }),
      ...(config.modelThreads === undefined ? {} : { threads: config.modelThreads }),
      ...(config.modelSequences === undefined ? {} : { sequences: config.modelSequences }),
      ...(logger === undefined ? {} : { logger }),
    });
    detector = createCompositeDetector([rules, model]);
  } else if (choice === "remote" && config.remoteUrl !== undefined) {
    const { createRemoteDetector } = await import("./remote/index.js");
    const remote = createRemoteDetector({
      url: config.remoteUrl,
      model: config.remoteModel,
      timeoutMs: config.detectTimeoutMs,
      maxTokens: config.modelMaxTokens,
      ...(config.remoteApiKey === undefined ? {} : { apiKey: config.remoteApiKey }),
    });
    detector = createCompositeDetector([rules, remote]);
  }
  return createCachedDetector(detector, config.detectCacheSize);
}
