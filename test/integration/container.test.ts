/**
 * The container, without a Docker engine: the entrypoint the image runs (refuses root, needs a writable
 * data volume, execs the built CLI), the healthcheck the image declares, and the configuration the image and
 * the compose example set through the environment. The CLI runs from a JavaScript build of `src/` made here
 * (each file transpiled on its own, as `tsc` would emit it) as an unprivileged user: uid 65534 through
 * `setpriv`/`runuser` when the tests run as root, else the ordinary user running them.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/load.js";
import { VERSION } from "../../src/version.js";
import { freePort } from "../../scripts/lib/bench-process.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ENTRYPOINT = path.join(ROOT, "docker/entrypoint.sh");
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/**
 * A command prefix that runs unprivileged: as uid/gid 65534 when this process is root (undefined when the
 * machine has no way to switch), nothing when it already runs as an ordinary user.
 */
function dropPrivileges(): string[] | undefined {
  if (!isRoot) return [];
  const candidates = [
    ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--"],
    ["runuser", "-u", "nobody", "--"],
  ];
  // The unprivileged user must be able to read the dependencies (a checkout under /root would not do).
  const probe = path.join(ROOT, "node_modules", "fastify", "package.json");
  for (const prefix of candidates) {
    const [cmd, ...args] = [...prefix, "test", "-r", probe];
    if (spawnSync(cmd, args).status === 0) return prefix;
  }
  console.warn(`container tests as uid ${NOBODY} skipped: no setpriv/runuser, or ${probe} unreadable to it`);
  return undefined;
}
const asNobody = dropPrivileges();
/** The uid the unprivileged runs have. */
const RUN_UID = isRoot ? NOBODY : (process.getuid?.() ?? -1);

/** Transpiles every `src/**\/*.ts` but the browser UI into `<dir>/dist/src`, beside package.json and node_modules. */
function buildApp(dir: string): void {
  const walk = (rel: string): string[] =>
    fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true }).flatMap((e) => {
      const child = path.join(rel, e.name);
      if (e.isDirectory()) return child === path.join("src", "ui") ? [] : walk(child);
      return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [child] : [];
    });
  for (const file of walk("src")) {
    const out = ts.transpileModule(fs.readFileSync(path.join(ROOT, file), "utf8"), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    });
    const target = path.join(dir, "dist", file.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    fs.writeFileSync(target, out.outputText, { mode: 0o644 });
  }
  fs.copyFileSync(path.join(ROOT, "package.json"), path.join(dir, "package.json"));
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
}

/** The `ENV` settings of the Dockerfile's runtime stage. */
function imageEnv(): Record<string, string> {
  const dockerfile = fs.readFileSync(path.join(ROOT, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
  const runtime = dockerfile.slice(dockerfile.lastIndexOf("FROM "));
  const env: Record<string, string> = {};
  for (const line of runtime.split("\n").filter((l) => l.startsWith("ENV ")))
    for (const m of line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[m[1] as string] = m[2] as string;
  return env;
}

/** The `environment:` of the compose example's proxy service (plain `KEY: value` lines). */
function composeEnv(): Record<string, string> {
  const compose = fs.readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8");
  const block = /memprivacy:\n[\s\S]*?environment:\n((?: {6}.*\n)+)/.exec(compose)?.[1] ?? "";
  const env: Record<string, string> = {};
  for (const m of block.matchAll(/^ {6}([A-Z_][A-Z0-9_]*): (\S+)$/gm)) env[m[1] as string] = m[2] as string;
  return env;
}

let work: string;
let appDir: string;
const children: ChildProcess[] = [];

/** A data directory owned by the unprivileged user (the image's volume). */
function dataDir(name: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { mode: 0o700 });
  if (isRoot) fs.chownSync(dir, NOBODY, NOBODY);
  return dir;
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: "/nonexistent",
    MEMPRIVACY_APP_DIR: appDir,
    ...extra,
  };
}

/** Runs the entrypoint (as nobody when `prefix` is given) and waits for it. */
function entrypoint(args: string[], env: NodeJS.ProcessEnv, prefix: string[] = []) {
  const [cmd, ...rest] = [...prefix, "sh", ENTRYPOINT, ...args];
  return spawnSync(cmd as string, rest, { env, encoding: "utf8", timeout: 20_000 });
}

/** Runs the built healthcheck with the given host and port; resolves with its exit status. */
function healthcheck(host: string, port: number): number | null {
  const script = path.join(appDir, "dist/src/cli/healthcheck.js");
  return spawnSync(process.execPath, [script], {
    env: { PATH: process.env.PATH, MEMPRIVACY_HOST: host, MEMPRIVACY_PORT: String(port) },
    timeout: 10_000,
  }).status;
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "memprivacy-container-"));
  fs.chmodSync(work, 0o755);
  appDir = path.join(work, "app");
  fs.mkdirSync(appDir, { mode: 0o755 });
  buildApp(appDir);
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  fs.rmSync(work, { recursive: true, force: true });
});

describe("entrypoint", () => {
  it("refuses to run as root (exit 64), before touching anything", () => {
    const env = baseEnv({ MEMPRIVACY_DATA_DIR: path.join(work, "missing") });
    if (!isRoot) {
      // Not root here: an `id` that answers 0 stands in for root.
      const shim = path.join(work, "fake-root-bin");
      fs.mkdirSync(shim, { recursive: true });
      fs.writeFileSync(path.join(shim, "id"), "#!/bin/sh\necho 0\n", { mode: 0o755 });
      env.PATH = `${shim}:${env.PATH ?? ""}`;
    }
    const run = entrypoint(["--version"], env);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain("refusing to run as root");
    expect(run.stdout).toBe("");
  });

  it.skipIf(asNobody === undefined)("runs the built CLI as an unprivileged user", () => {
    const run = entrypoint(
      ["--version"],
      baseEnv({ MEMPRIVACY_DATA_DIR: dataDir("data-version") }),
      asNobody,
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(VERSION);
  });

  it.skipIf(asNobody === undefined)("refuses a data directory the user cannot write (exit 73)", () => {
    const dir = path.join(work, "data-read-only");
    // root-owned for nobody; read-only for an ordinary user running the tests
    fs.mkdirSync(dir, { mode: isRoot ? 0o755 : 0o555 });
    const run = entrypoint(["--version"], baseEnv({ MEMPRIVACY_DATA_DIR: dir }), asNobody);
    expect(run.status).toBe(73);
    expect(run.stderr).toContain("not writable");
  });

  it.skipIf(asNobody === undefined)(
    "serves as nobody with the image's settings: healthy, vault key 0600 on the volume, then unhealthy once stopped",
    async () => {
      const data = dataDir("data-serve");
      const port = await freePort();
      const env = baseEnv({
        ...imageEnv(),
        // Loopback here; the image listens on 0.0.0.0 (the healthcheck maps it to 127.0.0.1, tested below).
        MEMPRIVACY_HOST: "127.0.0.1",
        MEMPRIVACY_PORT: String(port),
        MEMPRIVACY_DATA_DIR: data,
        MEMPRIVACY_MODELS_DIR: path.join(work, "no-models"),
        MEMPRIVACY_DETECTOR: "rules",
      });
      const [cmd, ...rest] = [...(asNobody ?? []), "sh", ENTRYPOINT, "serve"];
      const child = spawn(cmd, rest, { env, stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      let output = "";
      child.stdout?.on("data", (c: Buffer) => (output += c.toString()));
      child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
      let healthy = false;
      for (let i = 0; i < 100 && !healthy && child.exitCode === null; i++) {
        await new Promise((r) => setTimeout(r, 150));
        healthy = healthcheck("0.0.0.0", port) === 0;
      }
      expect(healthy, output.slice(-2000)).toBe(true);
      const key = fs.statSync(path.join(data, "vault.key"));
      expect(key.mode & 0o777).toBe(0o600);
      expect(key.uid).toBe(RUN_UID);
      expect(fs.statSync(path.join(data, "vault.db")).uid).toBe(RUN_UID);
      for (let i = 0; i < 40 && !output.includes("memprivacy ready"); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain('"detector":"rules"');
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(healthcheck("127.0.0.1", port)).toBe(1);
    },
  );

  it.skipIf(asNobody === undefined)("refuses to start with a vault key others can read", () => {
    const data = dataDir("data-open-key");
    fs.writeFileSync(path.join(data, "vault.key"), `${"ab".repeat(32)}\n`, { mode: 0o644 });
    fs.chmodSync(path.join(data, "vault.key"), 0o644);
    if (isRoot) fs.chownSync(path.join(data, "vault.key"), NOBODY, NOBODY);
    const run = entrypoint(
      ["serve"],
      baseEnv({ MEMPRIVACY_DATA_DIR: data, MEMPRIVACY_PORT: "0", MEMPRIVACY_DETECTOR: "rules" }),
      asNobody,
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("PRX_VAULT_KEY_PERMISSIONS");
    expect(fs.existsSync(path.join(data, "vault.db"))).toBe(false);
  });
});

describe("vault commands in the container", () => {
  it.skipIf(asNobody === undefined)("`vault purge` removes every row and the values leave the file", () => {
    const data = dataDir("data-purge");
    const env = baseEnv({ MEMPRIVACY_DATA_DIR: data, MEMPRIVACY_DETECTOR: "rules" });
    const email = "purge.me.container@example.org";
    const red = entrypoint(["redact", `mail ${email} or call 13911112222`, "--scope", "ops"], env, asNobody);
    expect(red.status, red.stderr).toBe(0);
    expect(red.stdout).toContain("<Email_1>");
    const stats = (): { entries: number } =>
      JSON.parse(entrypoint(["vault", "stats"], env, asNobody).stdout) as { entries: number };
    expect(stats().entries).toBe(2);
    const back = entrypoint(["restore", "<Email_1>", "--scope", "ops"], env, asNobody);
    expect(back.stdout).toContain(email);
    const purge = entrypoint(["vault", "purge"], env, asNobody);
    expect(JSON.parse(purge.stdout)).toEqual({ removed: 2 });
    expect(stats().entries).toBe(0);
    const after = entrypoint(["restore", "<Email_1>", "--scope", "ops"], env, asNobody);
    expect(after.stdout).not.toContain(email);
    for (const file of fs.readdirSync(data)) {
      const bytes = fs.readFileSync(path.join(data, file));
      expect(bytes.includes(email), file).toBe(false);
    }
  });
});

describe("healthcheck", () => {
  it("exits 1 when nothing listens on MEMPRIVACY_PORT", async () => {
    expect(healthcheck("127.0.0.1", await freePort())).toBe(1);
  });
});

describe("configuration from the environment, as the image and the compose example set it", () => {
  it("parses the Dockerfile's ENV", () => {
    const env = imageEnv();
    expect(env).toMatchObject({ MEMPRIVACY_HOST: "0.0.0.0", MEMPRIVACY_DATA_DIR: "/data" });
    const config = loadConfig({ env });
    expect(config.host).toBe("0.0.0.0");
    expect(config.port).toBe(8787);
    expect(config.dataDir).toBe("/data");
    expect(config.modelsDir).toBe("/app/models");
  });

  it("parses the compose example's environment on top of it", () => {
    const env = { ...imageEnv(), ...composeEnv() };
    expect(Object.keys(composeEnv())).toContain("MEMPRIVACY_UPSTREAM_URL");
    const config = loadConfig({ env });
    expect(config.upstream).toBe("https://api.openai.com");
    expect(config.anthropicUpstream).toBe("https://api.anthropic.com");
    expect(config.levels).toEqual(["PL2", "PL3", "PL4"]);
  });

  it("reports every invalid variable together, never echoing a value", () => {
    let problems: readonly string[] = [];
    try {
      loadConfig({
        env: { MEMPRIVACY_PORT: "http", MEMPRIVACY_LEVELS: "PL9-secret", MEMPRIVACY_UPSTREAM_URL: "ftp://x" },
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["levels", "port", "upstream"]);
    expect(problems.join("\n")).not.toContain("secret");
  });
});
