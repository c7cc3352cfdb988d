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
import type { ModelDetectorOptions } from "./model/types.js";
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
 * The local model detector's options for a configuration and a model file: every value from the configuration
 * (whose schema holds the defaults); the instruction file and the prefix state file next to the model; chunk
 * cuts kept out of the values `deps.rules` finds.
 */
export function modelDetectorOptions(
  config: Config,
  modelPath: string,
  deps: { readonly rules: Detector | undefined; readonly logger: DetectorLogger | undefined },
): ModelDetectorOptions {
  const { rules } = deps;
  return {
    modelPath,
    instructionsFile: undefined,
    gpu: config.gpu === "off" ? false : config.gpu,
    sequences: config.modelSequences,
    threads: config.modelThreads,
    contextSize: config.modelContextSize,
    maxTokens: config.modelMaxTokens,
    timeoutMs: config.detectTimeoutMs,
    timeoutMaxMs: config.detectTimeoutMaxMs,
    maxQueue: config.detectMaxQueue,
    stateDir: path.dirname(modelPath),
    roles: config.modelRoles as TextRole[],
    chunkChars: config.modelChunkChars,
    maxRequestTokens: config.modelMaxRequestTokens,
    chunkCacheSize: config.detectCacheSize,
    draft: config.modelDraft,
    // Drafting keeps only a greedy answer unchanged (a sampled one would draw differently), so drafting
    // decodes greedily; the paper's temperature 0.1 / top-p 0.1 is near-greedy anyway.
    greedy: config.modelDraft,
    protect: rules === undefined ? undefined : (text) => rules.detect({ text }),
    logger: deps.logger,
  };
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
    const model = await createModelDetector(modelDetectorOptions(config, modelPath, { rules, logger }));
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
