import { execFile } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/app.js";

const run = promisify(execFile);
const data = tempDir();
afterAll(() => data.cleanup());

async function cli(
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, MEMPRIVACY_DATA_DIR: data.dir, MEMPRIVACY_DETECTOR: "rules" };
  const child = run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    env,
    encoding: "utf8",
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  } else child.child.stdin?.end();
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("memprivacy CLI", () => {
  it("redacts an argument and restores from stdin in the same named scope", async () => {
    const red = await cli(["redact", "Mail li.si@example.com please", "--scope", "t1"]);
    expect(red.code).toBe(0);
    const out = JSON.parse(red.stdout) as {
      text: string;
      spans: { placeholder: string; original?: string }[];
    };
    expect(out.text).toBe("Mail <Email_1> please");
    expect(out.spans[0]?.original).toBeUndefined();
    const back = await cli(["restore", "-", "--scope", "t1"], "to <Email_1>");
    expect(back.stdout).toBe("to li.si@example.com\n");
    const line = await cli(["restore", "-", "--scope", "t1"], "to <Email_1>\n");
    expect(line.stdout).toBe("to li.si@example.com\n");
    const other = await cli(["restore", "to <Email_1>", "--scope", "t2"]);
    expect(other.stdout).toBe("to <Email_1>\n");
    const stats = JSON.parse((await cli(["vault", "stats", "--scope", "t1"])).stdout) as { entries: number };
    expect(stats.entries).toBe(1);
    expect(JSON.stringify(stats)).not.toContain("li.si");
  });

  it("lists every configuration problem together and exits 2", async () => {
    const res = await cli(["serve", "--port", "abc", "--mode", "bogus", "--frobnicate", "1"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--frobnicate: unknown option");
    expect(res.stderr).toContain("port:");
    expect(res.stderr).toContain("mode:");
  });

  it("prints usage for --help after any command instead of running it", async () => {
    for (const command of ["serve", "redact", "vault"]) {
      const res = await cli([command, "--help"]);
      expect(res.code, command).toBe(0);
      expect(res.stdout, command).toContain("Usage:");
    }
  }, 30_000);

  it("exports a scope's values to a new owner-only file, never over an existing one", async () => {
    await cli(["redact", "Mail ex.port@example.com or call 13800138000", "--scope", "exp"]);
    const file = join(data.dir, "export.jsonl");
    const res = await cli(["vault", "export", "--scope", "exp", "--out", file]);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe("exported 2 entries\n");
    expect(res.stdout).toBe("");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const rows = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { placeholder: string; value: string; level: string });
    expect(rows.map((r) => [r.placeholder, r.value, r.level]).sort()).toEqual([
      ["<Email_1>", "ex.port@example.com", "PL2"],
      ["<Phone_Number_1>", "13800138000", "PL2"],
    ]);
    const again = await cli(["vault", "export", "--scope", "exp", "--out", file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("the file exists");
    expect(again.stderr).not.toContain("ex.port");
    const toStdout = await cli(["vault", "export", "--scope", "exp", "--out", "-"]);
    expect(toStdout.stdout.trim().split("\n")).toHaveLength(2);
    const missing = await cli(["vault", "export", "--scope", "exp"]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
  }, 30_000);

  it("stores what it redacts with the configured retention of each level", async () => {
    const text = "Call 13800138000. My verification code is 89757, do not share it.";
    const red = await cli([
      "redact",
      text,
      "--scope",
      "ret",
      "--retention-days-pl2",
      "2",
      "--retention-days-pl4",
      "1",
    ]);
    expect(red.code).toBe(0);
    const rows = (await cli(["vault", "export", "--scope", "ret", "--out", "-"])).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { level: string; created: string; expires: string });
    const days = Object.fromEntries(
      rows.map((r) => [r.level, (Date.parse(r.expires) - Date.parse(r.created)) / 86_400_000]),
    );
    expect(days).toEqual({ PL2: 2, PL4: 1 });
  }, 30_000);

  it("purges a scope", async () => {
    await cli(["redact", "call 13800138000", "--scope", "p1"]);
    const purged = JSON.parse((await cli(["vault", "purge", "--scope", "p1"])).stdout) as { removed: number };
    expect(purged.removed).toBe(1);
  });
});
