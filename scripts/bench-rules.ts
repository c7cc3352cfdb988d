/**
 * Rules throughput at steady state (`npx tsx scripts/bench-rules.ts FILE.jsonl`): the CPU time of `detectRules`
 * over every turn of a MemPrivacy-Bench style file, pass after pass in one process, for the built code (`dist/`)
 * and, with `--baseline DIR`, another build's `dist` — passes alternated, so two builds on a shared machine see
 * the same noise. Prints min / p25 / median ms of CPU per pass and MB/s of UTF-8 text at the min (the first 5
 * passes of each build are warm-up and not counted). `npm run eval` reports the best of 3 passes, which on a
 * shared box spreads ±20%.
 * Options: `--dist DIR` (default `dist`), `--baseline DIR`, `--passes N` per build (default 40).
 */
import fs from "node:fs";
import path from "node:path";
import type * as RulesModule from "../src/detection/rules/index.js";

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? undefined : argv[i + 1];
};
const file = argv.find((a, i) => !a.startsWith("--") && (i === 0 || !(argv[i - 1] ?? "").startsWith("--")));
const PASSES = Number(option("passes") ?? 40);
const WARMUP = 5;
if (file === undefined || !fs.existsSync(file)) {
  console.error("usage: bench-rules.ts FILE.jsonl [--dist DIR] [--baseline DIR] [--passes N]");
  process.exit(2);
}

interface Turn {
  readonly text: string;
  readonly userName: string | undefined;
}
const turns: Turn[] = [];
for (const line of fs.readFileSync(file, "utf8").split("\n")) {
  if (line.trim() === "") continue;
  const record = JSON.parse(line) as {
    dialogues?: { content?: unknown }[];
    metadata?: { user_name?: unknown };
  };
  const userName = typeof record.metadata?.user_name === "string" ? record.metadata.user_name : undefined;
  for (const d of record.dialogues ?? [])
    if (typeof d.content === "string") turns.push({ text: d.content, userName });
}
const megabytes = turns.reduce((n, t) => n + Buffer.byteLength(t.text, "utf8"), 0) / 1e6;

interface Build {
  readonly name: string;
  readonly run: () => void;
  readonly times: number[];
}
async function load(name: string, dist: string): Promise<Build> {
  const rules = (await import(path.resolve(dist, "src/detection/rules/index.js"))) as typeof RulesModule;
  return {
    name,
    run: () => {
      for (const t of turns) rules.detectRules(t.text, { userName: t.userName });
    },
    times: [],
  };
}

const builds = [await load("this build", option("dist") ?? "dist")];
const baseline = option("baseline");
if (baseline !== undefined) builds.push(await load("baseline", baseline));
for (let pass = 0; pass < PASSES + WARMUP; pass++) {
  for (const build of pass % 2 === 0 ? builds : [...builds].reverse()) {
    const c0 = process.cpuUsage();
    build.run();
    const c = process.cpuUsage(c0);
    if (pass >= WARMUP) build.times.push((c.user + c.system) / 1000);
  }
}
console.log(
  `rules over ${turns.length} turns (${megabytes.toFixed(2)} MB) — node ${process.version}, ${PASSES} passes per build, ms of CPU per pass`,
);
for (const build of builds) {
  const sorted = [...build.times].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  console.log(
    `${build.name.padEnd(11)} min ${at(0).toFixed(1)}  p25 ${at(0.25).toFixed(1)}  median ${at(0.5).toFixed(1)}  (${(megabytes / (at(0) / 1000)).toFixed(1)} MB/s at the min)`,
  );
}
