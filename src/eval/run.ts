/**
 * Evaluates a detector on MemPrivacy-Bench JSONL: F1 per level, leak rates, over-redaction, throughput.
 * Used by `npm run eval -- <file.jsonl> [--detector rules] [--json] [--by-type]` and `memprivacy eval FILE`
 * (which evaluates the configured detector, model included).
 */
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { mergeSpans } from "../detection/merge.js";
import { createRuleDetector } from "../detection/rules/index.js";
import { MIN_OCCURRENCE_LENGTH, onBoundary } from "../redaction/occurrences.js";
import type { Detector, Span, TextRole } from "../detection/span.js";
import type { Label } from "./labels.js";
import { leakTurn, occurrences } from "./leak.js";
import { ScoreAccumulator, scoreTurn, type EvalSummary } from "./score.js";
import { isPrivacyLevel } from "../taxonomy/levels.js";

// V8 keeps tiering code and regexps up for a few hundred milliseconds of work: over the excerpt (~0.2 s a pass
// here) passes 4–6 still ran 20–30% slower than pass 10 onwards. The warm-up is at least WARMUP_PASSES and at
// least WARMUP_MS of work, so the timed passes see the steady state a long-running proxy sees.
const WARMUP_PASSES = 3;
const WARMUP_MS = 2000;
const MAX_WARMUP_PASSES = 50;
// The fastest timed pass is the figure. On a shared machine a pass runs up to half again as slow as the one
// before it, so five passes seldom hold one that ran undisturbed: the timed passes are at least TIMED_PASSES
// and go on until TIMED_MS of them, up to MAX_TIMED_PASSES (a pass over the excerpt is ~0.1 s with the rules;
// a model's single pass is far past the floor).
const TIMED_PASSES = 5;
const TIMED_MS = 3000;
const MAX_TIMED_PASSES = 40;

interface Args {
  file: string | undefined;
  detector: string;
  json: boolean;
  byType: boolean;
  /** The rules leave the gazetteer's held-out fifth of names out (`--names-held-out`, for the dev corpus). */
  namesHeldOut: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { file: undefined, detector: "rules", json: false, byType: false, namesHeldOut: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") args.json = true;
    else if (a === "--by-type") args.byType = true;
    else if (a === "--names-held-out") args.namesHeldOut = true;
    else if (a === "--detector") args.detector = argv[++i] ?? "";
    else if (a?.startsWith("--detector=") === true) args.detector = a.slice("--detector=".length);
    else if (a !== undefined && !a.startsWith("--")) args.file = a;
  }
  return args;
}

/** Detector factories by name; the model detector registers here when it exists. */
const DETECTORS: Record<string, (args: Args) => Detector> = {
  rules: (args) => createRuleDetector({ namesHeldOut: args.namesHeldOut }),
};

interface Turn {
  /** Which record (conversation) of the file the turn belongs to. */
  readonly conversation: number;
  readonly language: string;
  readonly role: TextRole;
  readonly userName: string | undefined;
  readonly text: string;
  readonly labels: Label[];
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** Reads the turns that carry a privacy_info array (empty arrays included); counts labels not in their turn. */
function readTurns(path: string): { turns: Turn[]; skippedLabels: number; badLines: number } {
  const turns: Turn[] = [];
  let skippedLabels = 0;
  let badLines = 0;
  let conversation = 0;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    conversation++;
    let record: Record<string, unknown> | undefined;
    try {
      record = asRecord(JSON.parse(line));
    } catch {
      badLines++;
      continue;
    }
    const meta = asRecord(record?.["metadata"]);
    const language = typeof meta?.["language"] === "string" ? meta["language"] : "unknown";
    const userName = typeof meta?.["user_name"] === "string" ? meta["user_name"] : undefined;
    const dialogues = record?.["dialogues"];
    if (!Array.isArray(dialogues)) continue;
    for (const d of dialogues) {
      const dr = asRecord(d);
      const info = dr?.["privacy_info"];
      const text = dr?.["content"];
      if (!Array.isArray(info) || typeof text !== "string") continue;
      const role: TextRole = dr?.["role"] === "assistant" ? "assistant" : "user";
      const labels: Label[] = [];
      for (const item of info) {
        const ir = asRecord(item);
        const t = ir?.["original_text"];
        const type = ir?.["privacy_type"];
        const level = ir?.["privacy_level"];
        if (typeof t !== "string" || typeof type !== "string" || !isPrivacyLevel(level)) continue;
        if (t === "" || !text.includes(t)) {
          skippedLabels++;
          continue;
        }
        labels.push({ text: t, type, level });
      }
      turns.push({ conversation, language, role, userName, text, labels });
    }
  }
  return { turns, skippedLabels, badLines };
}

/** Kinds the leak is reported by (leak targets are set per kind); any other type counts as "other". */
const KINDS: readonly (readonly [string, readonly string[]])[] = [
  ["names", ["Real Name", "Third-Party Identifiable Info", "Relationship Info", "Name", "Full Name"]],
  ["phones", ["Phone Number"]],
  ["addresses", ["Detailed Address", "Zip Code", "Work Address", "Postal Code"]],
  ["emails", ["Email"]],
  ["health", ["Medical Health", "Medical Record"]],
  [
    "secrets",
    ["Password", "Verification Code", "Backup Code", "PIN", "Token", "Session Token", "Key", "Private Key"],
  ],
  ["ids", ["ID Number", "Passport Number", "Driver's License Number", "License Plate"]],
  [
    "finance",
    [
      "Financial Account",
      "Bank/Payment Card Number",
      "Transaction Record",
      "Assets/Income",
      "Debt/Loan Info",
    ],
  ],
];

/** The kind of a gold type (see {@link KINDS}). */
export function kindOf(type: string): string {
  return KINDS.find(([, types]) => types.includes(type))?.[0] ?? "other";
}

/** Leaked and gold counts per kind, in the order of {@link KINDS}. */
function leakByKind(acc: ScoreAccumulator): { kind: string; leaked: number; gold: number }[] {
  const rows = new Map<string, { kind: string; leaked: number; gold: number }>();
  for (const [kind] of [...KINDS, ["other", []] as const]) rows.set(kind, { kind, leaked: 0, gold: 0 });
  for (const [type, n] of acc.goldByType) {
    const row = rows.get(kindOf(type));
    if (row === undefined) continue;
    row.gold += n;
    row.leaked += acc.leakedByType.get(type) ?? 0;
  }
  return [...rows.values()].filter((r) => r.gold > 0);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`.padStart(7);

function printTable(results: [string, EvalSummary][]): void {
  const head = ["scope", "turns", "P/R/F1 PL2", "P/R/F1 PL3", "P/R/F1 PL4", "P/R/F1 all"];
  console.log(head.map((h, i) => (i === 0 ? h.padEnd(9) : h.padStart(i === 1 ? 6 : 23))).join(" "));
  for (const [scope, s] of results) {
    const cell = (l: "PL2" | "PL3" | "PL4" | "overall"): string =>
      [s.levels[l].precision, s.levels[l].recall, s.levels[l].f1].map(pct).join("");
    console.log(
      [
        scope.padEnd(9),
        String(s.turns).padStart(6),
        cell("PL2"),
        cell("PL3"),
        cell("PL4"),
        cell("overall"),
      ].join(" "),
    );
  }
  console.log("");
  console.log(
    [
      "scope".padEnd(9),
      "leak",
      "struct leak",
      "over-red/non-priv",
      "over-red/masked",
      "type acc",
      "level acc",
    ]
      .map((h, i) => (i === 0 ? h : h.padStart(Math.max(9, h.length))))
      .join(" "),
  );
  for (const [scope, s] of results) {
    console.log(
      [
        scope.padEnd(9),
        pct(s.leakRate).padStart(9),
        pct(s.structuredLeakRate).padStart(11),
        pct(s.overRedactionOfNonPrivate).padStart(17),
        pct(s.overRedactionOfMasked).padStart(15),
        pct(s.typeAccuracy).padStart(9),
        pct(s.levelAccuracy).padStart(9),
      ].join(" "),
    );
  }
}

export interface EvalRunOptions {
  /** Evaluate this detector instead of the one named by `--detector` (closed by the run). */
  readonly detector?: Detector;
  /** Untimed passes before the timed ones, at least (default 3; use 0 for slow detectors). */
  readonly warmupPasses?: number;
  /** Warm-up passes go on until this much wall time has passed, up to 50 passes (default 2000; 0: none more). */
  readonly warmupMs?: number;
  /** Timed passes, at least; the fastest is reported, with the median (default 5). */
  readonly timedPasses?: number;
  /** Timed passes go on until this much wall time of them, up to 40 passes (default 3000; 0: none more). */
  readonly timedMs?: number;
}

function median(xs: readonly number[]): number {
  const sorted = xs.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs the evaluation for command-line arguments; resolves with the exit code. */
export async function runEvalCommand(argv: readonly string[], options: EvalRunOptions = {}): Promise<number> {
  const args = parseArgs(argv);
  if (args.file === undefined) {
    console.error(
      "usage: npm run eval -- <memprivacy_bench.jsonl> [--detector rules] [--json] [--by-type] [--names-held-out]",
    );
    await options.detector?.close();
    return 2;
  }
  if (!existsSync(args.file)) {
    console.log(`eval file not found: ${args.file} (skipped)`);
    await options.detector?.close();
    return 0;
  }
  const factory = DETECTORS[args.detector];
  if (options.detector === undefined && factory === undefined) {
    console.error(`unknown detector: ${args.detector} (known: ${Object.keys(DETECTORS).join(", ")})`);
    return 2;
  }
  const detector = options.detector ?? (factory as (args: Args) => Detector)(args);
  const warmupPasses = options.warmupPasses ?? WARMUP_PASSES;
  const warmupMs = options.warmupMs ?? WARMUP_MS;
  const minTimedPasses = Math.max(1, options.timedPasses ?? TIMED_PASSES);
  const timedMs = options.timedMs ?? TIMED_MS;
  const { turns, skippedLabels, badLines } = readTurns(args.file);
  const overall = new ScoreAccumulator();
  const byLanguage = new Map<string, ScoreAccumulator>();
  let bytes = 0;
  const detected: Span[][] = [];
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  let warmed = 0;
  try {
    // Untimed warm-up passes (JIT and regexp tier-up take a few passes in V8), so the figure is the
    // steady-state speed a long-running proxy sees.
    const warmStart = performance.now();
    while (
      warmed < warmupPasses ||
      (warmupMs > 0 && warmed < MAX_WARMUP_PASSES && performance.now() - warmStart < warmupMs)
    ) {
      for (const turn of turns) await detector.detect({ text: turn.text, userName: turn.userName });
      warmed++;
    }
    // Detection alone is timed, over whole passes; bounded concurrency 1 (one turn at a time). The fastest
    // pass is reported: other processes on a shared machine only ever make a pass slower.
    let timedWallMs = 0;
    for (
      let pass = 0;
      pass < minTimedPasses || (timedMs > 0 && pass < MAX_TIMED_PASSES && timedWallMs < timedMs);
      pass++
    ) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      for (const turn of turns) {
        const spans = await detector.detect({ text: turn.text, userName: turn.userName, role: turn.role });
        if (pass === 0) detected.push(spans);
      }
      wallMs.push(performance.now() - t0);
      timedWallMs += wallMs[wallMs.length - 1] as number;
      const c = process.cpuUsage(c0);
      cpuMs.push((c.user + c.system) / 1000);
    }
  } finally {
    await detector.close();
  }
  // The proxy remembers a conversation's values (the vault): a value found in an earlier turn is masked
  // wherever it recurs, cue or not, where it cuts through no ASCII word or number (as the pipeline's
  // occurrences do). This second figure redacts each turn with those values too.
  const remembered = new ScoreAccumulator();
  let known = new Map<string, Span>();
  let knownOf = -1;
  turns.forEach((turn, i) => {
    bytes += Buffer.byteLength(turn.text, "utf8");
    const merged = mergeSpans(detected[i] ?? []);
    if (turn.conversation !== knownOf) [known, knownOf] = [new Map<string, Span>(), turn.conversation];
    const recalled: Span[] = [...merged];
    for (const [value, s] of known)
      for (const [start, end] of value.length < MIN_OCCURRENCE_LENGTH ? [] : occurrences(turn.text, value))
        if (onBoundary(turn.text, start, end)) recalled.push({ ...s, start, end, source: "vault" });
    for (const s of merged) if (!known.has(s.text)) known.set(s.text, s);
    const pred: Label[] = merged.map((s) => ({ text: s.text, type: s.type, level: s.level }));
    const score = scoreTurn(turn.text, turn.labels, pred);
    const leak = leakTurn(turn.text, turn.labels, merged);
    overall.add(score, leak, turn.labels);
    let acc = byLanguage.get(turn.language);
    if (acc === undefined) byLanguage.set(turn.language, (acc = new ScoreAccumulator()));
    acc.add(score, leak, turn.labels);
    remembered.add(score, leakTurn(turn.text, turn.labels, mergeSpans(recalled)), turn.labels);
  });
  const memory = remembered.summary();
  const detectMs = Math.min(...wallMs);
  const detectCpuMs = Math.min(...cpuMs);
  const medianCpuMs = median(cpuMs);
  const mbPerS = detectMs === 0 ? Infinity : bytes / 1e6 / (detectMs / 1000);
  const mbPerCpuS = detectCpuMs === 0 ? Infinity : bytes / 1e6 / (detectCpuMs / 1000);
  const results: [string, EvalSummary][] = [
    ...[...byLanguage.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]): [string, EvalSummary] => [k, v.summary()]),
    ["overall", overall.summary()],
  ];
  if (args.json) {
    console.log(
      JSON.stringify(
        {
          file: args.file,
          detector: detector.info().id,
          turns: turns.length,
          skippedLabels,
          badLines,
          throughputMBps: mbPerS,
          throughputMBpsCpu: mbPerCpuS,
          bytes,
          detectMs,
          detectCpuMs,
          medianCpuMs,
          warmupPasses: warmed,
          timedPasses: wallMs.length,
          results: Object.fromEntries(results),
          leakByKind: leakByKind(overall),
          conversation: {
            leakRate: memory.leakRate,
            overRedactionOfNonPrivate: memory.overRedactionOfNonPrivate,
            leakByKind: leakByKind(remembered),
          },
        },
        null,
        2,
      ),
    );
    return 0;
  }
  console.log(`MemPrivacy-Bench eval: ${args.file}`);
  console.log(
    `detector ${detector.info().id} | turns ${turns.length} | gold labels ${overall.summary().goldLabels}` +
      ` (skipped, text not in turn: ${skippedLabels}) | structured gold ${overall.summary().structuredGold}` +
      (badLines > 0 ? ` | unreadable lines ${badLines}` : ""),
  );
  console.log("");
  printTable(results);
  console.log("");
  console.log(
    `throughput: ${mbPerS.toFixed(1)} MB/s wall, ${mbPerCpuS.toFixed(1)} MB/s CPU time ` +
      `(${(bytes / 1e6).toFixed(2)} MB of UTF-8 turn text; fastest of ${wallMs.length} passes after ${warmed} warm-up: ` +
      `${detectMs.toFixed(0)} ms wall, ${detectCpuMs.toFixed(0)} ms CPU; median ${medianCpuMs.toFixed(0)} ms CPU)`,
  );
  console.log("\nleak by kind (leaked / gold):");
  for (const r of leakByKind(overall))
    console.log(
      `  ${r.kind.padEnd(10)} ${pct(r.gold === 0 ? 0 : r.leaked / r.gold)}  ${r.leaked} / ${r.gold}`,
    );
  const names = leakByKind(remembered).find((r) => r.kind === "names");
  console.log(
    `\nwith the conversation's values remembered (as the proxy's vault does): leak ${pct(memory.leakRate).trim()}, ` +
      `names ${pct(names === undefined || names.gold === 0 ? 0 : names.leaked / names.gold).trim()}, ` +
      `over-redaction ${(memory.overRedactionOfNonPrivate * 100).toFixed(2)}%`,
  );
  if (args.byType) {
    console.log("\nleaks by gold type (leaked / gold):");
    const rows = [...overall.goldByType.entries()]
      .map(([type, n]) => [type, overall.leakedByType.get(type) ?? 0, n] as const)
      .sort((a, b) => b[1] - a[1]);
    for (const [type, leaked, n] of rows)
      console.log(`  ${type.padEnd(32)} ${String(leaked).padStart(5)} / ${n}`);
  }
  return 0;
}
