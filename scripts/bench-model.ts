/**
 * Model detector benchmark (`npm run bench:model -- [model.gguf] [--threads N] [--gpu auto|false]
 * [--sequences N] [--no-draft] [--long-kb 40] [--turns 50] [--context-size 4096] [--max-tokens 512]
 * [--chunk-chars N]`). Default model: the generated tiny Qwen3 GGUF; other options as the configuration's
 * defaults.
 * Prints, for a long text (40 KB of paragraphs): chunks, tokens evaluated, sequences used, forward passes
 * and drafted tokens accepted per pass, and for the same text resent with one paragraph edited: tokens
 * evaluated. Then tokens evaluated for the first message (prefix included), for a later message (prefix
 * reused), per turn of a growing conversation where, as the proxy's per-message cache does, only new
 * messages reach the model; prompt/generation tokens per second; memory.
 */
import { mkdtemp, rm, link, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { ConfigSchema } from "../src/config/schema.js";
import { modelDetectorOptions } from "../src/detection/factory.js";
import { ALL_ROLES, createModelDetector } from "../src/detection/model/index.js";
import type { GpuOption } from "../src/detection/model/index.js";
import { loadEngine } from "../src/detection/model/engine.js";
import { DEFAULT_INSTRUCTIONS } from "../src/detection/model/instructions.js";
import { promptPrefixPieces } from "../src/detection/model/prompt.js";
import { tinyGguf } from "../test/fixtures/tiny-model/tiny-gguf.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    threads: { type: "string" },
    gpu: { type: "string" },
    turns: { type: "string" },
    "context-size": { type: "string" },
    "max-tokens": { type: "string" },
    sequences: { type: "string" },
    "no-draft": { type: "boolean" },
    "long-kb": { type: "string" },
    "chunk-chars": { type: "string" },
  },
});
const gpu: GpuOption = values.gpu === undefined || values.gpu === "false" ? false : (values.gpu as GpuOption);
const turns = Number(values.turns ?? 50);
const sequences = values.sequences === undefined ? undefined : Number(values.sequences);
const draft = values["no-draft"] !== true;
const longKb = Number(values["long-kb"] ?? 40);
const chunkChars = values["chunk-chars"] === undefined ? undefined : Number(values["chunk-chars"]);
const contextSize = Number(values["context-size"] ?? 4096);
const maxTokens = Number(values["max-tokens"] ?? 512);
const source = positionals[0] ?? (await tinyGguf());
const threads =
  values.threads === undefined ? (positionals[0] === undefined ? 1 : undefined) : Number(values.threads);

// Work on a private link so the prefix state file of this run does not leak into the model directory.
const work = await mkdtemp(join(tmpdir(), "memprivacy-bench-"));
const modelPath = join(work, basename(source));
await link(source, modelPath).catch(() => copyFile(source, modelPath));

const mb = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MB`;
let peakRss = process.memoryUsage().rss;
const sample = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const rows: [string, string][] = [];
const row = (k: string, v: string | number): void => {
  rows.push([k, String(v)]);
};

const USER_LINES = [
  "Can you help me plan a trip to Lyon next month? I fly from Berlin on the 14th.",
  "My colleague Priya Raman will join; her number is +44 7700 900123.",
  "Book the hotel near Part-Dieu, budget 120 euros a night, card ending 4242.",
  "Also remind me to take my insulin, I have type 1 diabetes.",
  "What's a good restaurant for a business dinner with the Acme Corp team?",
  "The project codename is BLUEFINCH, please keep it out of the emails.",
  "Send the summary to ops@example.org when you are done.",
];

function message(turn: number): string {
  const base = USER_LINES[turn % USER_LINES.length] ?? "";
  return `${base} (turn ${turn + 1})`;
}

const t0 = Date.now();
// Every other option as a configuration gives it (the schema's defaults); every role reaches the model.
const config = ConfigSchema.parse({
  gpu: gpu === false ? "off" : gpu,
  modelContextSize: contextSize,
  modelMaxTokens: maxTokens,
  modelDraft: draft,
  modelMaxRequestTokens: 1_000_000,
  detectTimeoutMs: 3_600_000,
  detectTimeoutMaxMs: 3_600_000,
  detectMaxQueue: 10_000,
  ...(threads === undefined ? {} : { modelThreads: threads }),
  ...(sequences === undefined ? {} : { modelSequences: sequences }),
  ...(chunkChars === undefined ? {} : { modelChunkChars: chunkChars }),
});
const det = await createModelDetector({
  ...modelDetectorOptions(config, modelPath, { rules: undefined, logger: undefined }),
  stateDir: work,
  roles: ALL_ROLES,
});
await det.whenReady();
sample();
const loadMs = Date.now() - t0;
row("model", basename(source));
row("gpu / threads", `${det.info().details?.gpu ?? "?"} / ${threads ?? "auto"}`);
row("load + prefix evaluation", `${loadMs} ms`);
row("instruction prefix tokens", det.stats().prefixTokens);

// A long text (a file read or command output): chunked, chunks decoded in parallel sequences.
const WORDS = [
  "config",
  "service",
  "retry",
  "handler",
  "queue",
  "batch",
  "token",
  "parser",
  "cache",
  "route",
];
function longText(kb: number, edit?: number): string {
  let x = 16;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648);
  const paragraphs: string[] = [];
  for (let p = 0; paragraphs.join("\n\n").length < kb * 1000; p++) {
    const words = Array.from({ length: 40 + (next() % 50) }, () => WORDS[next() % WORDS.length]);
    let text = `Section ${p}: ${words.join(" ")}.`;
    if (p % 9 === 4) text += ` Ask Priya Raman (priya.raman@example.org, +44 20 7946 0958) about part ${p}.`;
    if (p === edit) text += " This paragraph was edited.";
    paragraphs.push(text);
  }
  return paragraphs.join("\n\n");
}
if (longKb > 0) {
  const before = det.stats();
  let t = performance.now();
  await det.detect({ text: longText(longKb), userName: "Jonas Weber", role: "tool" });
  const longMs = performance.now() - t;
  const after = det.stats();
  const passes = after.forwardPasses - before.forwardPasses;
  const accepted = after.draftsAccepted - before.draftsAccepted;
  row(`${longKb} KB text: chunks`, after.lastChunks);
  row(
    `${longKb} KB text: tokens evaluated`,
    `${after.inputTokens - before.inputTokens + after.outputTokens - before.outputTokens} (${after.lastPromptTokens} prompt, ${after.lastOutputTokens} generated)`,
  );
  row(
    `${longKb} KB text: sequences used`,
    `${after.peakSequencesBusy} of ${after.sequences} (generation in shared batches: ${after.sharedBatches ? "yes" : "no"})`,
  );
  row(`${longKb} KB text: forward passes`, after.forwardPasses < 0 ? "not countable" : passes);
  row(
    `${longKb} KB text: drafted tokens accepted`,
    `${accepted} (${after.draftsRejected - before.draftsRejected} rejected; ${passes > 0 ? (accepted / passes).toFixed(2) : "?"} per pass)`,
  );
  row(`${longKb} KB text: time`, `${longMs.toFixed(0)} ms`);
  const mid = Math.floor((longKb * 1000) / 450 / 2);
  const resendBefore = det.stats();
  t = performance.now();
  await det.detect({ text: longText(longKb, mid), userName: "Jonas Weber", role: "tool" });
  const resend = det.stats();
  row(
    "resent with one paragraph edited: chunks evaluated",
    `${resend.lastChunksEvaluated} of ${resend.lastChunks}`,
  );
  row(
    "resent with one paragraph edited: tokens evaluated",
    resend.inputTokens - resendBefore.inputTokens + resend.outputTokens - resendBefore.outputTokens,
  );
  row("resent with one paragraph edited: time", `${(performance.now() - t).toFixed(0)} ms`);
}

await det.detect({ text: message(0), userName: "Jonas Weber" });
let s = det.stats();
row(
  "first message: tokens evaluated (prefix + message + answer)",
  s.prefixTokens + s.lastInputTokens + s.lastOutputTokens,
);
const later = message(3);
await det.detect({ text: later, userName: "Jonas Weber" });
s = det.stats();
row("later message: message's own tokens (fields + turn)", s.lastPromptTokens);
row(
  "later message: tokens evaluated (prefix reused)",
  `${s.lastInputTokens + s.lastOutputTokens} (${s.lastInputTokens} in, ${s.lastOutputTokens} generated)`,
);
row("later message: time", `${s.lastDurationMs} ms`);

// A growing conversation: each turn the agent resends the whole history; only new messages are detected.
const seen = new Set<string>();
const history: string[] = [];
const perTurn: { turn: number; historyTokens: number; evaluated: number; ms: number }[] = [];
for (let t = 0; t < turns; t++) {
  history.push(message(t));
  if (t > 0)
    history.push(
      `Sure — noted for turn ${t}. Anything else about ${USER_LINES[t % USER_LINES.length]?.slice(0, 24) ?? ""}?`,
    );
  let evaluated = 0;
  let historyTokens = 0;
  const started = Date.now();
  for (const m of history) {
    historyTokens += Math.ceil(m.length / 4);
    if (seen.has(m)) continue;
    seen.add(m);
    await det.detect({ text: m, userName: "Jonas Weber" });
    const st = det.stats();
    evaluated += st.lastInputTokens + st.lastOutputTokens;
  }
  sample();
  perTurn.push({ turn: t + 1, historyTokens, evaluated, ms: Date.now() - started });
}
await det.close();

// Throughput on a raw sequence (same model and settings).
const engine = await loadEngine({
  modelPath,
  gpu,
  sequences: 1,
  threads,
  contextSize,
  prefix: promptPrefixPieces(DEFAULT_INSTRUCTIONS),
  identity: "bench",
  stateDir: work,
  draft: false,
});
const seq = engine.sequences[0];
if (seq === undefined) throw new Error("no sequence");
const promptTokens = engine.model.tokenize(USER_LINES.join(" ").repeat(3), false).slice(0, 512);
let t = performance.now();
await seq.evaluateWithoutGeneratingNewTokens(promptTokens);
const promptTps = promptTokens.length / ((performance.now() - t) / 1000);
let generatedCount = 0;
t = performance.now();
for await (const _ of seq.evaluate(engine.model.tokenize(" and", false), { temperature: 0 })) {
  if (++generatedCount >= 32) break;
}
const genTps = generatedCount / ((performance.now() - t) / 1000);
sample();
await engine.model.dispose();
await rm(work, { recursive: true, force: true });

row("prompt tokens/s", promptTps.toFixed(1));
row("generation tokens/s", genTps.toFixed(1));
row("peak RSS", mb(peakRss));

const width = Math.max(...rows.map(([k]) => k.length));
console.log(`\nMemPrivacy model detector benchmark (${new Date().toISOString()})\n`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
console.log(`\nper turn (${turns} turns; the agent resends the history; only new messages reach the model):`);
console.log("turn  history≈tokens  evaluated tokens  ms");
for (const p of perTurn) {
  if (p.turn <= 3 || p.turn % 10 === 0 || p.turn === turns) {
    console.log(
      `${String(p.turn).padStart(4)}  ${String(p.historyTokens).padStart(14)}  ${String(p.evaluated).padStart(16)}  ${p.ms}`,
    );
  }
}
const tail = perTurn.slice(1);
const first = tail.slice(0, 10);
const last = tail.slice(-10);
const avg = (xs: typeof tail): number => xs.reduce((a, b) => a + b.evaluated, 0) / Math.max(1, xs.length);
console.log(
  `\nmean evaluated tokens per turn: turns 2–11 ${avg(first).toFixed(1)}, last 10 turns ${avg(last).toFixed(1)} (flat = no growth with history)`,
);
