/**
 * A throwaway PostgreSQL cluster from the machine's own binaries (Debian's `/usr/lib/postgresql/<n>/bin`, or
 * `initdb` on PATH): `initdb` into a temporary directory, `pg_ctl start` listening on a unix socket in that
 * directory only (no TCP), trust authentication for the `postgres` user. PostgreSQL refuses to run as root, so as
 * root the binaries run as the `postgres` system user. Used by the shared-vault tests and `npm run bench:replicas`.
 * Where no binaries exist, tests skip with a warning — except under CI, where they must run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** The directory holding `initdb` and `pg_ctl`, or undefined when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(root, versions[0], "bin");
  }
  const which = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" });
  const found = which.stdout.trim();
  return which.status === 0 && found !== "" ? join(found, "..") : undefined;
}

/** Whether the shared-vault tests can run here; in CI a missing PostgreSQL is an error, not a skip. */
export function postgresAvailable(): boolean {
  const bin = postgresBinDir();
  if (bin !== undefined) return true;
  if (process.env.CI === "true")
    throw new Error("PostgreSQL binaries are missing (install the postgresql package)");
  console.warn("PostgreSQL binaries not found: the shared-vault (PostgreSQL) tests are skipped");
  return false;
}

export interface PgCluster {
  /** Connection string of database `name` (default `postgres`) over the unix socket. */
  url(name?: string): string;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server at once (as a crash would), keeping the data. */
  stop(): void;
  /** Starts it again on the same socket. */
  start(): void;
  /** Stops the server and deletes everything. */
  destroy(): void;
}

const asRoot = typeof process.getuid === "function" && process.getuid() === 0;

function run(bin: string, tool: string, args: readonly string[]): void {
  const command = join(bin, tool);
  if (asRoot) execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" });
  else execFileSync(command, args, { stdio: "pipe" });
}

/** Creates and starts a cluster; call `destroy()` when done. */
export function startPgCluster(): PgCluster {
  const bin = postgresBinDir();
  if (bin === undefined) throw new Error("PostgreSQL binaries not found");
  const dir = mkdtempSync(join(tmpdir(), "memprivacy-pg-"));
  // The postgres user must be able to create the data directory and the socket here.
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  const port = 20_000 + Math.floor(Math.random() * 30_000);
  run(bin, "initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses= -c fsync=off -c max_connections=200`;
  const start = (): void =>
    run(bin, "pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
  const stop = (): void => run(bin, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
  start();
  let running = true;
  const url = (name = "postgres"): string =>
    `postgresql://postgres@localhost/${name}?host=${encodeURIComponent(dir)}&port=${port}`;
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop() {
      if (running) stop();
      running = false;
    },
    start() {
      if (!running) start();
      running = true;
    },
    destroy() {
      try {
        if (running) stop();
      } catch {
        // already down
      }
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
