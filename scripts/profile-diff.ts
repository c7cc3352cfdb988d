/**
 * Where MemPrivacy's CPU per request goes beyond the plain proxy's: reads the two V8 CPU profiles that
 * `npm run bench -- --cases json-hit --cpu-prof DIR` writes (MemPrivacy's in DIR, the plain proxy's in
 * DIR/passthrough) and prints the self time per request of each area (our modules, each package, Node's
 * internals, GC), side by side, largest difference first. The request counts are what the bench printed
 * (req/s × duration), so the figures are µs per request as profiled (the profiler adds ~20–30%).
 * `--against rewriting` compares with the parse-and-rewrite proxy (b2) instead, in DIR/rewriting.
 * Usage: `npx tsx scripts/profile-diff.ts DIR PLAIN_REQUESTS MEMPRIVACY_REQUESTS [--by function] [--top N]
 * [--against passthrough|rewriting]`.
 */
import fs from "node:fs";
import path from "node:path";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [dir, plainArg, oursArg] = process.argv.slice(2);
const byFunction =
  process.argv.includes("--by") && process.argv[process.argv.indexOf("--by") + 1] === "function";
const topAt = process.argv.indexOf("--top");
const top = topAt === -1 ? 40 : Number(process.argv[topAt + 1]);
if (dir === undefined || !(Number(plainArg) > 0) || !(Number(oursArg) > 0)) {
  console.error(
    "usage: profile-diff.ts DIR PLAIN_REQUESTS MEMPRIVACY_REQUESTS [--by function] [--top N] [--against passthrough|rewriting]",
  );
  process.exit(2);
}

/** The largest profile of a folder: the main thread's (worker and loader threads write smaller ones). */
function largestProfile(folder: string): Profile {
  const files = fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(folder, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  if (files[0] === undefined) throw new Error(`no .cpuprofile in ${folder}`);
  return JSON.parse(fs.readFileSync(files[0], "utf8")) as Profile;
}

/** The area a frame's self time is counted under. */
function areaOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (byFunction)
    return `${functionName || "(anonymous)"} ${url.split("/").slice(-2).join("/")}:${frame.lineNumber + 1}`;
  const pkg = url.split("node_modules/").at(-1);
  if (url.includes("node_modules/") && pkg !== undefined)
    return `package ${pkg
      .split("/")
      .slice(0, pkg.startsWith("@") ? 2 : 1)
      .join("/")}`;
  const src = url.split("/src/").at(-1);
  if ((url.includes("/dist/src/") || url.includes("/src/")) && src !== undefined)
    return `ours ${src.split("/").slice(0, -1).join("/") || src}`;
  if (url.startsWith("node:")) return `node ${url.slice(5).split("/").slice(0, 2).join("/")}`;
  return functionName || "(native)";
}

/** Self time (µs) per area over the whole profile, idle excluded. */
function selfByArea(profile: Profile): Map<string, number> {
  const time = new Map<number, number>();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const out = new Map<string, number>();
  for (const node of profile.nodes) {
    const t = time.get(node.id) ?? 0;
    if (t === 0 || node.callFrame.functionName === "(idle)") continue;
    const area = areaOf(node.callFrame);
    out.set(area, (out.get(area) ?? 0) + t);
  }
  return out;
}

const againstAt = process.argv.indexOf("--against");
const against = againstAt === -1 ? "passthrough" : process.argv[againstAt + 1];
if (against !== "passthrough" && against !== "rewriting") {
  console.error("--against takes passthrough or rewriting");
  process.exit(2);
}
const plain = selfByArea(largestProfile(path.join(dir, against)));
const ours = selfByArea(largestProfile(dir));
const rows = [...new Set([...plain.keys(), ...ours.keys()])].map((area) => ({
  area,
  plain: (plain.get(area) ?? 0) / Number(plainArg),
  ours: (ours.get(area) ?? 0) / Number(oursArg),
}));
rows.sort((a, b) => b.ours - b.plain - (a.ours - a.plain));
const sum = (key: "plain" | "ours"): number => rows.reduce((n, r) => n + r[key], 0);
console.log(
  `µs per request as profiled: ${against} proxy ${sum("plain").toFixed(0)}, MemPrivacy ${sum("ours").toFixed(0)}`,
);
console.log(`${"plain".padStart(8)} ${"ours".padStart(8)} ${"extra".padStart(8)}  area`);
for (const r of rows.slice(0, top))
  console.log(
    `${r.plain.toFixed(1).padStart(8)} ${r.ours.toFixed(1).padStart(8)} ${(r.ours - r.plain).toFixed(1).padStart(8)}  ${r.area}`,
  );
