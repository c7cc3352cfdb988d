/**
 * Hot-path benchmark (`npx tsx scripts/bench-hot-path.ts`): the CPU time the proxy's own work on the
 * `npm run bench` request costs, in process and without HTTP — redaction of its texts (detection-cache hit,
 * and a body new to the cache), restoration of the JSON answer (parse, restore, re-serialise) and mapping of
 * the 40-chunk SSE answer (decode, restore per channel, encode). It runs the built code (`dist/`), so two
 * builds can be compared in one process with runs interleaved: on a shared machine that is steadier than two
 * servers under load. Prints µs of CPU per operation (min and median of the rounds) and, with a baseline,
 * the ratio.
 * Options: `--dist DIR` (default `dist`), `--baseline DIR` (another build's `dist`), `--rounds N` (default 7),
 * `--iterations N` per round (default 2000).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as CacheModule from "../src/detection/cache.js";
import type * as RulesModule from "../src/detection/rules/index.js";
import type * as ChatResponseModule from "../src/providers/openai-chat/response.js";
import type * as ChatStreamModule from "../src/providers/openai-chat/stream.js";
import type * as PipelineModule from "../src/redaction/pipeline.js";
import type { RedactRequest } from "../src/redaction/pipeline.js";
import type { ScopeIndex } from "../src/redaction/scope-index.js";
import type * as EncoderModule from "../src/sse/encoder.js";
import type * as EventsModule from "../src/sse/events.js";
import type * as KeysModule from "../src/vault/keys.js";
import type * as SqliteModule from "../src/vault/sqlite-vault.js";
import { BENCH_COMPLETION, BENCH_SSE, benchRequest, benchRequestVaried } from "./bench-payloads.js";

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? undefined : argv[i + 1];
};
const ROOT = path.resolve(import.meta.dirname, "..");
const ROUNDS = Number(option("rounds") ?? 7);
const ITERATIONS = Number(option("iterations") ?? 2000);
const SCOPE = "auth:bench|session:hot-path";

type Pipeline = typeof PipelineModule;
type ChatResponse = typeof ChatResponseModule;
type ChatStream = typeof ChatStreamModule;
type Events = typeof EventsModule;
type SseEvent = EventsModule.SseEvent;
type ChatMapper = ReturnType<ChatStream["createChatStreamMapper"]>;
type LegacyBatches = (source: AsyncIterable<Uint8Array>, max: number) => AsyncIterable<readonly SseEvent[]>;
type Encoder = typeof EncoderModule;
type Cache = typeof CacheModule;
type Rules = typeof RulesModule;
type Keys = typeof KeysModule;
type Sqlite = typeof SqliteModule;

/** One build's operations, each doing the work of one request of `npm run bench`. */
interface Build {
  readonly name: string;
  readonly operations: readonly (readonly [string, () => unknown])[];
}

/** The texts of the bench's chat request, as the adapter hands them to the pipeline. */
function itemsOf(body: string): RedactRequest["items"] {
  const messages = (JSON.parse(body) as { messages: { role: string; content: string }[] }).messages;
  return messages.map((m) => ({ text: m.content, role: m.role === "system" ? "system" : "user" }));
}

async function loadBuild(name: string, dist: string): Promise<Build> {
  const load = <T>(file: string): Promise<T> => import(path.join(dist, "src", file)) as Promise<T>;
  const [pipeline, response, stream, events, encoder, cache, rules, keys, sqlite] = await Promise.all([
    load<Pipeline>("redaction/pipeline.js"),
    load<ChatResponse>("providers/openai-chat/response.js"),
    load<ChatStream>("providers/openai-chat/stream.js"),
    load<Events>("sse/events.js"),
    load<Encoder>("sse/encoder.js"),
    load<Cache>("detection/cache.js"),
    load<Rules>("detection/rules/index.js"),
    load<Keys>("vault/keys.js"),
    load<Sqlite>("vault/sqlite-vault.js"),
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "memprivacy-hot-path-"));
  const vault = sqlite.createSqliteVault({
    file: path.join(dir, "vault.db"),
    keys: keys.deriveVaultKeys(Buffer.alloc(32, 7)),
  });
  const redactor = pipeline.createRedactor({
    detector: cache.createCachedDetector(rules.createRuleDetector(), 100_000),
    vault,
    detectTimeoutMs: 60_000,
  });
  const policy = { levels: ["PL2", "PL3", "PL4"], mode: "type_specific", allow: [], deny: [] } as const;
  const redact = (body: string) =>
    redactor.redact({
      items: itemsOf(body),
      scope: SCOPE,
      policy: { ...policy, levels: [...policy.levels] },
    });
  // The exchange's index, as the route gets it from the outcome.
  const index: ScopeIndex = (await redact(benchRequest(false))).index;
  let n = 0;
  const parts = BENCH_SSE.split("\n\n");
  const half = Math.floor(parts.length / 2);
  const chunks = [
    Buffer.from(`${parts.slice(0, half).join("\n\n")}\n\n`),
    Buffer.from(parts.slice(half).join("\n\n")),
  ];
  // What the route does with each chunk: decode it synchronously, map the events it completes, encode. A build
  // from before `SseDecoder` decoded through an async generator, `decodeSseBatches`, measured as it ran.
  const legacy = (events as { decodeSseBatches?: LegacyBatches }).decodeSseBatches;
  const mapBatch = (batch: readonly SseEvent[], mapper: ChatMapper): number => {
    let wire = "";
    for (const event of batch) for (const out of mapper.map(event)) wire += encoder.encodeSseEvent(out);
    return wire.length;
  };
  const mapStream = async (): Promise<number> => {
    const mapper = stream.createChatStreamMapper(index);
    let size = 0;
    if (typeof events.SseDecoder === "function") {
      const decoder = new events.SseDecoder(1 << 20);
      for (const chunk of chunks) size += mapBatch(decoder.push(chunk), mapper);
      size += mapBatch(decoder.end(), mapper);
    } else if (legacy !== undefined) {
      const upstream = async function* (): AsyncGenerator<Uint8Array> {
        yield* chunks;
      };
      for await (const batch of legacy(upstream(), 1 << 20)) size += mapBatch(batch, mapper);
    } else {
      throw new Error(`${name}: its sse/events.js has neither SseDecoder nor decodeSseBatches`);
    }
    for (const out of mapper.end()) size += encoder.encodeSseEvent(out).length;
    return size;
  };
  const restoreJson = (): string => {
    const json: unknown = JSON.parse(BENCH_COMPLETION);
    response.restoreChatResponse(json, index);
    return JSON.stringify(json);
  };
  return {
    name,
    operations: [
      ["redact, cache hit", () => redact(benchRequest(false))],
      ["redact, cache miss", () => redact(benchRequestVaried(false, n++))],
      ["restore JSON answer", restoreJson],
      ["map SSE answer (40 chunks)", mapStream],
    ],
  };
}

/** CPU µs per call of `op`, over `ITERATIONS` calls. */
async function cpuPerCall(op: () => unknown): Promise<number> {
  const t0 = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) await op();
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / ITERATIONS;
}

const builds = [await loadBuild("this build", path.resolve(option("dist") ?? path.join(ROOT, "dist")))];
const baseline = option("baseline");
if (baseline !== undefined) builds.push(await loadBuild("baseline", path.resolve(baseline)));
console.log(
  `hot path of the npm run bench request — node ${process.version}, ${ROUNDS} rounds × ${ITERATIONS} calls, CPU µs per call (min / median)`,
);
for (let k = 0; k < (builds[0]?.operations.length ?? 0); k++) {
  const samples = builds.map(() => [] as number[]);
  for (const build of builds) for (let i = 0; i < ITERATIONS / 4; i++) await build.operations[k]?.[1](); // warm-up
  for (let round = 0; round < ROUNDS; round++)
    for (const [b, build] of builds.entries())
      samples[b]?.push(await cpuPerCall(build.operations[k]?.[1] as () => unknown));
  const stats = samples.map((xs) => {
    const s = [...xs].sort((x, y) => x - y);
    return { min: s[0] ?? Number.NaN, median: s[Math.floor(s.length / 2)] ?? Number.NaN };
  });
  const cells = stats.map((s, b) => `${builds[b]?.name}: ${s.min.toFixed(1)} / ${s.median.toFixed(1)}`);
  const ratio =
    stats.length === 2
      ? `  (this ÷ baseline: min ${((stats[0]?.min ?? 0) / (stats[1]?.min ?? 1)).toFixed(2)}, median ${((stats[0]?.median ?? 0) / (stats[1]?.median ?? 1)).toFixed(2)})`
      : "";
  console.log(`${(builds[0]?.operations[k]?.[0] ?? "").padEnd(28)} ${cells.join("   ")}${ratio}`);
}
