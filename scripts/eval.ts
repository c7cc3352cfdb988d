// `npm run eval -- <file.jsonl> [--detector rules] [--json] [--by-type]`: see src/eval/run.ts.
// `npm run eval -- --dev [--by-type]` evaluates the rules on the generated dev corpus (scripts/lib/dev-corpus.ts,
// fixed seed), written to a temporary file first, with the gazetteer's held-out fifth of names left out
// (`--names-held-out`: the corpus scores only those names); `--write-dev FILE` only writes the corpus.
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEvalCommand } from "../src/eval/run.js";
import { generateDevCorpus } from "./lib/dev-corpus.js";

const argv = process.argv.slice(2);
const writeAt = argv.indexOf("--write-dev");
if (writeAt >= 0) {
  const out = argv[writeAt + 1] ?? "dev-corpus.jsonl";
  writeFileSync(out, generateDevCorpus());
  console.log(`dev corpus written: ${out}`);
} else if (argv.includes("--dev")) {
  const file = join(tmpdir(), `memprivacy-dev-corpus-${process.pid}.jsonl`);
  writeFileSync(file, generateDevCorpus());
  try {
    // Every name the corpus scores is from the gazetteer's held-out fifth: the rules run without that fifth.
    process.exitCode = await runEvalCommand([...argv.filter((a) => a !== "--dev"), "--names-held-out", file]);
  } finally {
    rmSync(file, { force: true });
  }
} else {
  process.exitCode = await runEvalCommand(argv);
}
