/** Test helpers: a config for tests, an app with a log sink, and a temp data dir. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { buildApp, type AppDeps } from "../../src/app.js";
import { loadConfig } from "../../src/config/load.js";
import type { Config, ConfigInput } from "../../src/config/schema.js";
import { startMockUpstream, type Handler, type MockUpstream } from "./mock-upstream.js";

/** Collects every log line written by the app. */
export class LogSink extends Writable {
  readonly lines: string[] = [];
  readonly #waiting: { readonly text: string; readonly resolve: (line: string) => void }[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.length === 0) continue;
      this.lines.push(line);
      for (const w of this.#waiting.filter((w) => line.includes(w.text))) {
        this.#waiting.splice(this.#waiting.indexOf(w), 1);
        w.resolve(line);
      }
    }
    done();
  }
  /** The first line from now on that contains `text` (an event to wait for instead of a clock). */
  next(text: string): Promise<string> {
    return new Promise((resolve) => this.#waiting.push({ text, resolve }));
  }
  /** Every line as text (to search for values that must not be there). */
  get text(): string {
    return this.lines.join("\n");
  }
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = "memprivacy-test-"): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A test configuration: loopback, rules detector, debug logs, no env leaking in. */
export function testConfig(overrides: Partial<ConfigInput> = {}): Config {
  return loadConfig({
    env: {},
    flags: { detector: "rules", logLevel: "debug", ephemeral: true, dataDir: os.tmpdir(), ...overrides },
  });
}

/** Builds the app with a log sink. */
export async function testApp(overrides: Partial<ConfigInput> = {}, deps: AppDeps = {}) {
  const sink = new LogSink();
  const app = await buildApp(testConfig(overrides), { logDestination: sink, ...deps });
  return { app, sink };
}

export type TestApp = Awaited<ReturnType<typeof testApp>>["app"];

/** A running proxy in front of a running mock upstream, as most integration suites need. */
export interface ProxyAndMock {
  readonly upstream: MockUpstream;
  readonly app: TestApp;
  readonly sink: LogSink;
  /** The proxy's base URL (`http://127.0.0.1:<port>`). */
  readonly base: string;
}

/**
 * Starts a mock upstream answering with `handler`, then the app configured by `overrides(upstreamUrl)`,
 * listening on a free loopback port. Stop both with {@link stopProxyAndMock}.
 */
export async function startProxyAndMock(
  handler: Handler,
  overrides: (upstreamUrl: string) => Partial<ConfigInput>,
): Promise<ProxyAndMock> {
  const upstream = await startMockUpstream();
  upstream.handle(handler);
  const { app, sink } = await testApp(overrides(upstream.url));
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  return { upstream, app, sink, base };
}

export async function stopProxyAndMock(running: Pick<ProxyAndMock, "app" | "upstream">): Promise<void> {
  await running.app.close();
  await running.upstream.close();
}
