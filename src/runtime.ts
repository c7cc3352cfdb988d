/**
 * The composition root: the only code that turns a configuration into the objects the proxy and the CLI run
 * on (vault with its retention, detector and light detector, redactor, policy, bindings) and the one owner
 * that closes them. `buildApp` and every CLI command start here, so the server and the command line
 * cannot build the same thing two ways (see docs/architecture.md, "Layers").
 */
import type { Config } from "./config/schema.js";
import { createCachedDetector } from "./detection/cache.js";
import { createDetectorFromConfig, createRulesFromConfig, type DetectorLogger } from "./detection/factory.js";
import type { Detector } from "./detection/span.js";
import { proxyError } from "./errors/catalogue.js";
import { createBindings, type Bindings } from "./redaction/bindings.js";
import { createRedactor, type Redactor } from "./redaction/pipeline.js";
import type { Policy } from "./redaction/policy.js";
import { openVault } from "./vault/index.js";
import type { Retention, Vault } from "./vault/vault.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Objects a caller brings instead of having them built from configuration; the runtime never closes them. */
export interface RuntimeDeps {
  readonly vault?: Vault | undefined;
  readonly detector?: Detector | undefined;
  /** Receives the model detector's start-up lines. */
  readonly logger?: DetectorLogger | undefined;
  /** Where `MEMPRIVACY_VAULT_KEY` is read from; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/** What detection needs: built on first use, because loading a local model takes seconds and memory. */
export interface Detection {
  readonly detector: Detector;
  /** The rules (cached): what `detect: "light"` texts get. */
  readonly lightDetector: Detector;
  readonly redactor: Redactor;
}

/** Everything built from one configuration. */
export interface Runtime {
  readonly config: Config;
  readonly vault: Vault;
  /** The redaction policy of the configuration (levels, mode, allow and deny lists). */
  readonly policy: Policy;
  /** Placeholders bound to stateful upstream ids, kept as long as the longest retention. */
  readonly bindings: Bindings;
  /** The detectors and the redactor: built on the first call (a model loads then), the same objects after. */
  detection(): Promise<Detection>;
  /** Closes what the runtime built (detectors, then the vault), not what `deps` brought; idempotent. */
  close(): Promise<void>;
}

/** Vault retention in milliseconds per level, from the configured days. */
export function retentionFromConfig(config: Config): Retention {
  return {
    PL2: config.retentionDaysPl2 * DAY_MS,
    PL3: config.retentionDaysPl3 * DAY_MS,
    PL4: config.retentionDaysPl4 * DAY_MS,
  };
}

/** The redaction policy a configuration selects. */
export function policyFromConfig(config: Config): Policy {
  return { levels: config.levels, mode: config.mode, allow: config.allow, deny: config.deny };
}

/**
 * The pipeline's detection deadline. The local model scales its own deadline by the request's size
 * (`detectTimeoutMs` per 1,000 tokens, up to `detectTimeoutMaxMs`), so with a model the pipeline's deadline
 * is only the cap behind it; a detector brought by the caller gets `detectTimeoutMs` as it is.
 */
export function pipelineDeadlineMs(config: Config, detector: Detector, own: boolean): number {
  const withModel = own && detector.info().kind.split("+").includes("model");
  return withModel ? Math.max(config.detectTimeoutMs, config.detectTimeoutMaxMs) : config.detectTimeoutMs;
}

/**
 * Builds the runtime of a configuration: opens the vault at once (memory when `ephemeral`, else the encrypted
 * file in `dataDir`, with the configured retention); detection waits for {@link Runtime.detection}.
 */
export function createRuntime(config: Config, deps: RuntimeDeps = {}): Runtime {
  const env = deps.env ?? process.env;
  const retention = retentionFromConfig(config);
  const ownVault = deps.vault === undefined;
  const vault =
    deps.vault ??
    openVault({
      ephemeral: config.ephemeral,
      dataDir: config.dataDir,
      envKey: env.MEMPRIVACY_VAULT_KEY,
      retention,
      shared:
        config.vaultUrl === undefined
          ? undefined
          : { url: config.vaultUrl, poolSize: config.vaultPoolSize, timeoutMs: config.vaultTimeoutMs },
    });
  const bindings = createBindings(vault, Math.max(retention.PL2, retention.PL3, retention.PL4));
  let detection: Promise<Detection> | undefined;
  /** What this runtime built and must close: the detector, and the light detector when it is separate. */
  const owned: Detector[] = [];
  let closing: Promise<void> | undefined;

  async function buildDetection(): Promise<Detection> {
    // One rule detector (one worker pool) serves the main detector and the light one.
    let rules: Detector | undefined;
    let detector: Detector;
    if (deps.detector === undefined) {
      rules = createRulesFromConfig(config);
      try {
        detector = await createDetectorFromConfig(config, { rules, logger: deps.logger });
      } catch (err) {
        await rules.close();
        throw err;
      }
      owned.push(detector);
    } else detector = deps.detector;
    // Rules alone already are the light detector; otherwise a cached rule detector of its own, which the
    // main detector closes when it holds the same rules, and the runtime closes otherwise.
    let lightDetector = detector;
    if (detector.info().kind !== "rules") {
      lightDetector = createCachedDetector(rules ?? createRulesFromConfig(config), config.detectCacheSize);
      if (rules === undefined) owned.push(lightDetector);
    }
    const redactor = createRedactor({
      detector,
      lightDetector,
      vault,
      detectTimeoutMs: pipelineDeadlineMs(config, detector, deps.detector === undefined),
    });
    return { detector, lightDetector, redactor };
  }

  return {
    config,
    vault,
    policy: policyFromConfig(config),
    bindings,
    detection() {
      if (closing !== undefined)
        return Promise.reject(proxyError("PRX_DETECT_FAILED", { detail: "runtime closed" }));
      detection ??= buildDetection();
      return detection;
    },
    close() {
      closing ??= (async () => {
        try {
          // A detection still being built (a model loading) is waited for, so it is closed too.
          (await detection?.catch(() => undefined))?.redactor.close();
          for (const d of owned) await d.close();
        } finally {
          if (ownVault) await vault.close();
        }
      })();
      return closing;
    },
  };
}
