// The people, health, street, phone and cue-password families stay linear on hostile input: the time for
// 1 MiB of a family's worst shape grows like the size, not its square. A growth exponent is asserted with
// generous bounds (noisy shared machines), never an absolute time.
import { describe, expect, it } from "vitest";
import { detectRules } from "../../../../src/detection/rules/index.js";

const KIB = 1024;

function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Best of three runs, in ms. */
function time(text: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    detectRules(text);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const SHAPES: readonly [string, string][] = [
  ["capitalised runs and relation cues", "my friend Anna Maria Van De Berg Dr. Sarah "],
  ["self cues", "I'm Olivia, call me Olivia, my name is "],
  ["health terms and cues", "I have mild hypertension, diagnosed with severe chronic "],
  ["Chinese names and titles", "我的同事王小明和韩雪梅医生女士先生老师"],
  ["Chinese health", "我有原发性轻度高血压患有偏头痛服用布洛芬"],
  ["Chinese address chains", "市区县1号"],
  ["street numbers", "12 Main 34 Via Brera 56, 7134 VL "],
  ["phone candidates", "call 0490 75 40 81 12 34 56 78 90 "],
  ["cue passwords", 'password "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii '],
  [
    "roles, request doers and e-mail after names",
    "beneficiary Quorvin Tallaby opened by Tolvan Ondavar (t.o@x.io) ",
  ],
  ["schools and employers", "I studied at Westbrook University of Bath and I work at Cipherpost Media LLC "],
  ["Chinese schools and employers", "我现在在肯特大学实验室在华为技术有限公司工作毕业于东湖大学"],
  ["streets before postcodes and units", "Gorička 715 Stan 53, Rijeka 51000, Olīvu gatve 39 - 351, 3. tv "],
];

describe("new rule families on hostile input", () => {
  it.each(SHAPES)(
    "%s: time grows about linearly from 256 KiB to 1 MiB",
    (_name, unit) => {
      time(fill(unit, 16 * KIB));
      const small = time(fill(unit, 256 * KIB));
      const large = time(fill(unit, 1024 * KIB));
      // Four times the input: linear gives ×4; quadratic would give ×16. Exponent below 1.6 (×9.2).
      const exponent = Math.log(Math.max(large, 1) / Math.max(small, 0.25)) / Math.log(4);
      expect(exponent).toBeLessThan(1.6);
    },
    120_000,
  );
});
