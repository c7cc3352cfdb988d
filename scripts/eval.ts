// `npm run eval -- <file.jsonl> [--detector rules] [--json] [--by-type]`: see src/eval/run.ts.
// `npm run eval -- --dev [--by-type]` evaluates the rules on the generated dev corpus (scripts/lib/dev-corpus.ts,
// fixed seed), written to a temporary file first; `--write-dev FILE` only writes the corpus.
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
    process.exitCode = await runEvalCommand([...argv.filter((a) => a !== "--dev"), file]);
  } finally {
    rmSync(file, { force: true });
  }
} else {
  process.exitCode = await runEvalCommand(argv);
}
