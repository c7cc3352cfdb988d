// `npm run eval -- <file.jsonl> [--detector rules] [--json] [--by-type]`: see src/eval/run.ts.
import { runEvalCommand } from "../src/eval/run.js";

process.exitCode = await runEvalCommand(process.argv.slice(2));
