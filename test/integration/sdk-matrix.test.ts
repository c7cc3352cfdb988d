/**
 * The client matrix: each SDK in its default environment-variable configuration (a script under
 * test/fixtures/sdk/ that sets no base URL, key or header itself), run through `memprivacy run` against a
 * recording mock upstream. For each: no SDK error, every raw value back in every answer (plain and
 * streamed), and none of them in anything the upstream received.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CANARY, CANARY_TEXT, leakedCanaries } from "../helpers/canaries.js";
import { tempDir } from "../helpers/app.js";
import { startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";
import { sdkEcho } from "../helpers/sdk-mock.js";

const FIXTURES = path.resolve("test/fixtures/sdk");
const data = tempDir();
let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream();
  upstream.handle(sdkEcho);
});
afterAll(async () => {
  await upstream.close();
  data.cleanup();
});
beforeEach(() => {
  upstream.received.length = 0;
});

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `memprivacy run` (fresh proxy on a free port, upstreams at the mock) around `node SCRIPT`. */
function runThroughProxy(script: string, wrapper: readonly string[] = []): Promise<Ran> {
  const args = [
    "--import",
    "tsx",
    "src/cli/main.ts",
    "run",
    "--port",
    "0",
    "--upstream",
    upstream.url,
    "--anthropic-upstream",
    upstream.url,
    "--user-name",
    CANARY.name,
    "--",
    ...wrapper,
    process.execPath,
    path.join(FIXTURES, script),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MEMPRIVACY_DATA_DIR: data.dir,
    MEMPRIVACY_DETECTOR: "rules",
    MEMPRIVACY_EPHEMERAL: "true",
    OPENAI_API_KEY: "sk-test-matrix-openai",
    ANTHROPIC_API_KEY: "sk-ant-test-matrix",
    SDK_MATRIX_PROMPT: CANARY_TEXT,
  };
  // What the shell of a user who never set them would hold: `run` alone must point the SDKs.
  for (const name of ["OPENAI_BASE_URL", "OPENAI_API_BASE", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_URL"])
    delete env[name];
  // vitest sets NODE_ENV=test, under which the Agents SDK turns tracing off by itself: a user's shell does not.
  delete env.NODE_ENV;
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** [client, script, answers it prints, upstream paths it must have used]. */
const CLIENTS: readonly (readonly [string, string, number, readonly string[]])[] = [
  ["openai", "openai.mjs", 4, ["/v1/chat/completions", "/v1/responses"]],
  ["@anthropic-ai/sdk", "anthropic.mjs", 2, ["/v1/messages"]],
  ["ai + @ai-sdk/openai", "ai-openai.mjs", 4, ["/v1/chat/completions", "/v1/responses"]],
  ["ai + @ai-sdk/anthropic", "ai-anthropic.mjs", 2, ["/v1/messages"]],
  ["@langchain/openai", "langchain-openai.mjs", 2, ["/v1/chat/completions"]],
  ["@langchain/anthropic", "langchain-anthropic.mjs", 2, ["/v1/messages"]],
  ["@openai/agents", "openai-agents.mjs", 2, ["/v1/responses"]],
];

describe("SDK matrix through memprivacy run", () => {
  it.each(CLIENTS)(
    "%s: values redacted upstream, restored for the client, no SDK error",
    async (_client, script, answers, paths) => {
      const res = await runThroughProxy(script);
      expect(res.code, res.stderr).toBe(0);
      const line = res.stdout.trim().split("\n").at(-1) ?? "{}";
      const { results, tracedSpans } = JSON.parse(line) as { results: unknown[]; tracedSpans?: number };
      // The Agents SDK hands its trace processors nothing: no prompt reaches its exporter.
      if (tracedSpans !== undefined) expect(tracedSpans).toBe(0);
      expect(results).toHaveLength(answers);
      for (const text of results) expect(text).toBe(`You said: ${CANARY_TEXT}`);
      // One upstream request per answer (no retry after an error), on the API the SDK is meant to use.
      expect(upstream.received).toHaveLength(answers);
      expect([...new Set(upstream.received.map((r) => r.url.split("?", 1)[0]))].sort()).toEqual(
        [...paths].sort(),
      );
      expect(leakedCanaries(upstream.allBytes())).toEqual([]);
      for (const r of upstream.received) {
        expect(r.body).toContain("<Email_1>");
        expect(r.body).toContain("<Real_Name_1>");
        expect(r.headers["content-encoding"]).toBeUndefined();
      }
    },
    90_000,
  );

  it("control: without OPENAI_AGENTS_DISABLE_TRACING the Agents SDK would trace every run", async () => {
    const res = await runThroughProxy("openai-agents.mjs", ["env", "-u", "OPENAI_AGENTS_DISABLE_TRACING"]);
    expect(res.code, res.stderr).toBe(0);
    const line = res.stdout.trim().split("\n").at(-1) ?? "{}";
    expect((JSON.parse(line) as { tracedSpans: number }).tracedSpans).toBeGreaterThan(0);
  }, 90_000);
});
