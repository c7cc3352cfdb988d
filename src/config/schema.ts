/**
 * The configuration schema: every key, its type and its default, in one zod object.
 * Keys are camelCase; env vars are `MEMPRIVACY_<UPPER_SNAKE>`, flags `--kebab-case` (see config/load.ts).
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseLevelSelection, type PrivacyLevel } from "../taxonomy/levels.js";

const levelsSchema = z.union([z.string(), z.array(z.string())]).transform((value, ctx): PrivacyLevel[] => {
  const text = Array.isArray(value) ? value.join(",") : value;
  const parsed = parseLevelSelection(text);
  if (parsed === undefined) {
    ctx.addIssue({ code: "custom", message: "expected PL4, PL3+, PL2-PL4, a comma list, all or none" });
    return z.NEVER;
  }
  return parsed;
});

const stringList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter((s) => s.length > 0));

/** Default regions for phone numbers without "+" (the rule detector's own default is the same list). */
const DEFAULT_PHONE_REGIONS = "US,GB,DE,FR,ES,IT,NL,PL,BR,PT,CN,AU,CA,IN,FI,SE,CH,AT,BE,IE".split(",");

const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ""));
const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();
const bool = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1"),
]);

/** Redaction modes: typed placeholders, generic ones, or one fixed mask (docs/architecture.md, "Redaction"). */
export const MODES = ["type_specific", "generic", "complete"] as const;
export type RedactionMode = (typeof MODES)[number];

/** Detector selection: `auto` runs the local model when a model file is found, else the rules. */
export const DETECTORS = ["auto", "rules", "model", "remote"] as const;
export type DetectorChoice = (typeof DETECTORS)[number];

/** Roles of texts that can be sent to the local model. */
export const MODEL_ROLES = ["user", "tool", "system", "developer", "assistant"] as const;
const MODEL_ROLES_TEXT = MODEL_ROLES.join(", ");

/** Every configuration key with its default. */
export const ConfigSchema = z
  .object({
    host: z.string().min(1).default("127.0.0.1"),
    port: port.default(8787),
    /**
     * Extra Host names served besides loopback names and the literal listen address, on every listener
     * (DNS-rebinding guard): a sidecar's compose service name, say.
     */
    allowedHosts: stringList.default([]),
    /**
     * Web origins (`https://app.example:8443`) whose pages may call the proxy; every other page's request
     * is refused with 403. The proxy's own page is always allowed. Empty by default.
     */
    allowedOrigins: stringList
      .default([])
      .refine((origins) => origins.every((o) => /^https?:\/\/[^/?#\s@]+$/i.test(o)), {
        message: "each origin must be scheme://host[:port] with no path",
      }),
    dataDir: z.string().min(1).default(path.join(os.homedir(), ".memprivacy")),
    ephemeral: bool.default(false),
    /**
     * A shared vault on PostgreSQL (`postgres://user:pass@host:5432/db`, or `?host=/socket/dir`) instead of the
     * SQLite file: for proxy replicas that must hand out and restore the same placeholders. Every replica
     * needs the same vault key (`MEMPRIVACY_VAULT_KEY`). A secret (it may hold a password).
     */
    vaultUrl: z
      .string()
      .regex(/^postgres(?:ql)?:\/\/\S*$/, { message: "expected a postgres:// or postgresql:// URL" })
      .optional(),
    /** Most connections a replica opens to the shared vault. */
    vaultPoolSize: z.coerce.number().int().min(1).max(200).default(10),
    /** Deadline of one shared-vault operation (connecting, waiting for a connection, a statement), in ms. */
    vaultTimeoutMs: positiveMs.default(5000),
    upstream: url.default("https://api.openai.com"),
    anthropicUpstream: url.default("https://api.anthropic.com"),
    /** Injected as `Authorization: Bearer …` upstream when set; otherwise the caller's header is forwarded. */
    upstreamApiKey: z.string().min(1).optional(),
    /** Injected as `x-api-key` for Anthropic routes when set. */
    anthropicApiKey: z.string().min(1).optional(),
    levels: levelsSchema.default(["PL2", "PL3", "PL4"]),
    mode: z.enum(MODES).default("type_specific"),
    /** Values never masked (exact match, case-sensitive). */
    allow: stringList.default([]),
    /** Values always masked (exact match), as type `Custom` at PL4 unless detected otherwise. */
    deny: stringList.default([]),
    detector: z.enum(DETECTORS).default("auto"),
    userName: z.string().min(1).optional(),
    modelPath: z.string().min(1).optional(),
    modelsDir: z.string().min(1).default("models"),
    gpu: z.enum(["auto", "cuda", "vulkan", "metal", "off"]).default("auto"),
    /** Parallel context sequences; chosen from the hardware when unset (CPU cores, free memory, GPU). */
    modelSequences: z.coerce.number().int().min(1).max(64).optional(),
    modelThreads: z.coerce.number().int().min(1).max(256).optional(),
    modelContextSize: z.coerce.number().int().min(512).max(131072).default(8192),
    modelMaxTokens: z.coerce.number().int().min(16).max(32768).default(2048),
    /** Roles whose texts the local model reads (the rules read every text); laptop default: user turns. */
    modelRoles: stringList
      .default(["user"])
      .refine((roles) => roles.every((r) => MODEL_ROLES.includes(r as (typeof MODEL_ROLES)[number])), {
        message: `each role must be one of ${MODEL_ROLES_TEXT}`,
      }),
    /** Longest chunk of a long text the model reads at once (UTF-16 code units). */
    modelChunkChars: z.coerce.number().int().min(256).max(1_000_000).default(6000),
    /** Prompt tokens the model may evaluate for one request; beyond it the request is refused (413). */
    modelMaxRequestTokens: z.coerce.number().int().min(256).default(16_384),
    /** Speculative decoding drafted from the message (output unchanged). */
    modelDraft: bool.default(true),
    remoteUrl: url.optional(),
    remoteModel: z.string().min(1).default("MemPrivacy-4B-RL"),
    remoteApiKey: z.string().min(1).optional(),
    /**
     * Detection deadline of a request; with the local model it covers each 1,000 tokens of model work, up to
     * `detectTimeoutMaxMs`. On expiry the request is refused (fail closed).
     */
    detectTimeoutMs: positiveMs.default(60_000),
    /** Cap of the size-scaled model deadline. */
    detectTimeoutMaxMs: positiveMs.default(600_000),
    /** Bounded queue of texts waiting for a model sequence; beyond it requests are refused with 503. */
    detectMaxQueue: z.coerce.number().int().min(1).default(256),
    /** Entries in the per-text detection cache. */
    detectCacheSize: z.coerce.number().int().min(0).default(10_000),
    /**
     * Regions (ISO 3166 alpha-2) tried, in order, for phone numbers written without "+": a national number
     * such as "0490 75 40 81" is only a phone number for the region whose plan it fits.
     */
    phoneRegions: stringList
      .default(DEFAULT_PHONE_REGIONS)
      .refine((regions) => regions.every((r) => /^[A-Z]{2}$/.test(r)), {
        message: "each region must be an ISO 3166 alpha-2 code in capitals (US, GB, DE…)",
      }),
    /**
     * Worker threads running the rules on large texts, off the event loop (0: on the event loop). Default: one
     * per core the event loop leaves free, at least one.
     */
    detectWorkers: z.coerce
      .number()
      .int()
      .min(0)
      .max(256)
      .default(Math.max(1, os.availableParallelism() - 1)),
    proxyToken: z.string().min(16, "must be at least 16 characters").optional(),
    bodyLimit: z.coerce
      .number()
      .int()
      .min(1024)
      .default(16 * 1024 * 1024),
    maxEventBytes: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    connectTimeoutMs: positiveMs.default(10_000),
    headersTimeoutMs: positiveMs.default(300_000),
    bodyTimeoutMs: positiveMs.default(300_000),
    retentionDaysPl2: z.coerce.number().positive().default(90),
    retentionDaysPl3: z.coerce.number().positive().default(30),
    retentionDaysPl4: z.coerce.number().positive().default(7),
    /**
     * Request bodies on routes the proxy does not redact (files, batches, audio, image edits, …): `refuse`
     * (403, nothing forwarded) or `forward` (sent as they are). Bodiless requests always pass.
     */
    passthroughBodies: z.enum(["refuse", "forward"]).default("refuse"),
    /**
     * Which placeholders a response is restored with: `exchange` (those the request carried, plus those bound
     * to the stateful conversation it continues), `session` (the whole scope when the request names a
     * session, else `exchange`), or `scope` (every placeholder the scope holds — a model or an injection that
     * writes a placeholder it was never sent gets the value).
     */
    restoreScope: z.enum(["exchange", "session", "scope"]).default("exchange"),
    /**
     * Paths whose request bodies are forwarded unredacted even when `passthroughBodies` is `refuse` (say
     * `/v1/audio/transcriptions`): a path matches itself and everything below it.
     */
    passthroughBodyPaths: stringList
      .default([])
      .refine((paths) => paths.every((p) => /^\/[\x21-\x7e]*$/.test(p) && !p.includes("?")), {
        message: "each path must start with / and hold no query",
      }),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ui: bool.default(true),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.ephemeral && cfg.vaultUrl !== undefined) {
      ctx.addIssue({ code: "custom", path: ["vaultUrl"], message: "an ephemeral vault has no database" });
    }
    if (cfg.detector === "remote" && cfg.remoteUrl === undefined) {
      ctx.addIssue({ code: "custom", path: ["remoteUrl"], message: "required when detector is remote" });
    }
  });

/** The validated configuration, frozen all the way down by loadConfig (lists are read-only too). */
export type Config = { readonly [K in keyof ConfigOutput]: ReadonlyDeep<ConfigOutput[K]> };
type ConfigOutput = z.output<typeof ConfigSchema>;
type ReadonlyDeep<T> = T extends readonly (infer U)[] ? readonly ReadonlyDeep<U>[] : T;
/** What a file, env or flags may provide before validation. */
export type ConfigInput = z.input<typeof ConfigSchema>;

/** Names of every configuration key (for env and flag mapping). */
export const CONFIG_KEYS = Object.keys(ConfigSchema.shape) as (keyof ConfigInput)[];

/** Keys whose values are secrets: never printed by `config` output or logs. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  "upstreamApiKey",
  "anthropicApiKey",
  "remoteApiKey",
  "proxyToken",
  "vaultUrl",
]);
