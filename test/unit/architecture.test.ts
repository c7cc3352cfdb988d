/**
 * The layer directions of docs/architecture.md ("Layers"), checked on the import statements of every file under
 * src/: the HTTP framework and the server layer stay at the edge, undici stays in the upstream client, and
 * node-llama-cpp stays in the model folders. A violation we know of and have not removed yet is listed in
 * KNOWN_EXCEPTIONS with its reason, so the debt is visible and nothing new joins it silently.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface ImportEdge {
  /** Importing file, relative to the repository root (`src/app.ts`). */
  readonly file: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** A relative specifier resolved against the importing file (`src/server/scope.js`); else the specifier. */
  readonly target: string;
}

interface Rule {
  readonly name: string;
  /** True when the edge goes where the rule forbids. */
  readonly forbids: (edge: ImportEdge) => boolean;
}

const under = (file: string, ...folders: string[]): boolean => folders.some((f) => file.startsWith(`${f}/`));
const isPackage = (specifier: string, name: string): boolean =>
  specifier === name || specifier.startsWith(`${name}/`);

/** The HTTP edge: the server layer, the app that assembles it, and the command line that starts it. */
const isEdge = (file: string): boolean =>
  under(file, "src/server", "src/cli") || file === "src/app.ts" || file === "src/main.ts";
const isServerImport = (edge: ImportEdge): boolean =>
  under(edge.target, "src/server") ||
  isPackage(edge.specifier, "fastify") ||
  edge.specifier.startsWith("@fastify/");

/** Layers everything else builds on, and what sits above them. */
const LOWER = [
  "src/errors",
  "src/config",
  "src/taxonomy",
  "src/scope",
  "src/json",
  "src/sse",
  "src/upstream",
  "src/vault",
];
const ABOVE_LOWER = ["src/redaction", "src/detection", "src/providers", "src/server", "src/cli", "src/model"];

const RULES: readonly Rule[] = [
  {
    name: "fastify and src/server/ are imported only by src/server/, src/app.ts, src/main.ts and src/cli/",
    forbids: (edge) => isServerImport(edge) && !isEdge(edge.file),
  },
  {
    name: "the domain (redaction, detection, vault, taxonomy, providers) never imports src/server/",
    forbids: (edge) =>
      under(edge.file, "src/redaction", "src/detection", "src/vault", "src/taxonomy", "src/providers") &&
      isServerImport(edge),
  },
  {
    name:
      "the lower layers (errors, config, taxonomy, scope, json, sse, upstream, vault) never import redaction, " +
      "detection, providers, the runtime or the edge",
    forbids: (edge) =>
      under(edge.file, ...LOWER) &&
      (under(edge.target, ...ABOVE_LOWER) || ["src/runtime.js", "src/app.js"].includes(edge.target)),
  },
  {
    name: "no route imports another route (what routes share lives in src/server/)",
    forbids: (edge) => under(edge.file, "src/server/routes") && under(edge.target, "src/server/routes"),
  },
  {
    name: "undici is imported only under src/upstream/",
    forbids: (edge) => isPackage(edge.specifier, "undici") && !under(edge.file, "src/upstream"),
  },
  {
    name: "node-llama-cpp is imported only under src/detection/model/ and src/model/",
    forbids: (edge) =>
      isPackage(edge.specifier, "node-llama-cpp") && !under(edge.file, "src/detection/model", "src/model"),
  },
];

/** Known violations, `file -> specifier`, each with why it is still there. Remove an entry with its cause. */
const KNOWN_EXCEPTIONS: Readonly<Record<string, string>> = {};

// `import x from "m"`, `import type {…} from "m"`, `export {…} from "m"`, `import "m"`, and `import("m")`.
const STATIC_IMPORT = /^\s*(?:import|export)\b(?:[^'";]*?\bfrom\s*)?\s*["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Every source file under `dir` (relative to the repository root). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(?:ts|mts|cts|js|mjs)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

/** The import edges of a source text. */
function importsOf(file: string, text: string): ImportEdge[] {
  const specifiers = [...text.matchAll(STATIC_IMPORT), ...text.matchAll(DYNAMIC_IMPORT)].map(
    (m) => m[1] ?? "",
  );
  return specifiers.map((specifier) => ({
    file,
    specifier,
    target: specifier.startsWith(".")
      ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))
      : specifier,
  }));
}

const FILES = sourceFiles("src");
const EDGES = FILES.flatMap((file) => importsOf(file, readFileSync(path.join(ROOT, file), "utf8")));
const key = (edge: ImportEdge): string => `${edge.file} -> ${edge.specifier}`;

describe("architecture: layer directions", () => {
  it("reads the imports of every source file (the scan sees what it checks)", () => {
    expect(FILES.length).toBeGreaterThan(100);
    const edges = new Set(EDGES.map(key));
    // Known edges of each kind the scanner must see: static, type-only, re-export and dynamic imports.
    expect(edges).toContain("src/app.ts -> fastify");
    expect(edges).toContain("src/upstream/client.ts -> undici");
    expect(edges).toContain("src/server/context.ts -> ../scope/scope.js");
    expect(
      EDGES.some((e) => e.file === "src/detection/factory.ts" && e.specifier === "./model/index.js"),
    ).toBe(true);
  });

  it("finds what each rule forbids (the rules can fail)", () => {
    const edge = (file: string, specifier: string): ImportEdge =>
      importsOf(file, `import x from "${specifier}";`)[0]!;
    const broken = [
      edge("src/redaction/restore.ts", "../server/errors.js"),
      edge("src/vault/index.ts", "fastify"),
      edge("src/runtime.ts", "./server/context.js"),
      edge("src/server/routes/health.ts", "undici"),
      edge("src/detection/factory.ts", "node-llama-cpp"),
      edge("src/server/routes/anthropic-batches.ts", "./redacted.js"),
      edge("src/vault/vault.ts", "../redaction/scope-index.js"),
      edge("src/config/load.ts", "../runtime.js"),
    ];
    for (const e of broken)
      expect(
        RULES.some((r) => r.forbids(e)),
        key(e),
      ).toBe(true);
    const fine = [
      edge("src/server/routes/health.ts", "../context.js"),
      edge("src/cli/serve.ts", "../app.js"),
      edge("src/upstream/client.ts", "undici"),
      edge("src/model/quantize.ts", "node-llama-cpp"),
    ];
    for (const e of fine)
      expect(
        RULES.some((r) => r.forbids(e)),
        key(e),
      ).toBe(false);
  });

  it.each(RULES.map((r) => [r.name, r] as const))("%s", (_name, rule) => {
    const violations = EDGES.filter((e) => rule.forbids(e) && KNOWN_EXCEPTIONS[key(e)] === undefined).map(
      key,
    );
    expect(violations).toEqual([]);
  });

  it("builds vaults, detectors and redactors from configuration only in src/runtime.ts", () => {
    // The composition root is one function: a second caller is how `memprivacy redact` once lost retention.
    const COMPOSERS = /\b(openVault|createRedactor|createDetectorFromConfig|createRulesFromConfig)\(/g;
    const ALLOWED: Readonly<Record<string, readonly string[]>> = {
      "src/runtime.ts": ["openVault", "createRedactor", "createDetectorFromConfig", "createRulesFromConfig"],
      // The factory's own default when no rules are handed in.
      "src/detection/factory.ts": ["createRulesFromConfig"],
    };
    const calls = FILES.flatMap((file) => {
      const text = readFileSync(path.join(ROOT, file), "utf8").replace(
        /export (?:async )?function \w+\(/g,
        "",
      );
      return [...text.matchAll(COMPOSERS)].map((m) => [file, m[1] ?? ""] as const);
    });
    expect(calls.some(([file]) => file === "src/runtime.ts")).toBe(true);
    expect(calls.filter(([file, fn]) => !(ALLOWED[file] ?? []).includes(fn))).toEqual([]);
  });

  it("reads an API family's base URL and injected key only in its family object", () => {
    // Credential injection and the choice of upstream are written once, in src/providers/<family>/family.ts.
    const FAMILY_KEYS = /\b(?:config\.upstream|upstreamApiKey|anthropicUpstream|anthropicApiKey)\b/g;
    const owners = (file: string): boolean =>
      under(file, "src/config") || /^src\/providers\/[^/]+\/family\.ts$/.test(file);
    const reads = FILES.flatMap((file) =>
      [...readFileSync(path.join(ROOT, file), "utf8").matchAll(FAMILY_KEYS)].map((m) => `${file}: ${m[0]}`),
    );
    expect(reads.some((r) => r.startsWith("src/providers/anthropic/family.ts"))).toBe(true);
    expect(reads.filter((r) => !owners(r.slice(0, r.indexOf(":"))))).toEqual([]);
  });

  it("lists only exceptions that still exist", () => {
    const present = new Set(EDGES.filter((e) => RULES.some((r) => r.forbids(e))).map(key));
    expect(Object.keys(KNOWN_EXCEPTIONS).filter((k) => !present.has(k))).toEqual([]);
  });
});
