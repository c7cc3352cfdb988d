/**
 * Evasion report (`npx tsx scripts/evasion-report.ts`): sends each disguised value of
 * test/security/evasion-cases.ts through the redaction pipeline with the rule detector and prints the
 * Markdown table kept in docs/evasion.md — which disguises are masked and which still pass through.
 * Exit status 1 when a disguise the rules claim to handle passes through.
 */
import { evasionTable, measureEvasions } from "../test/security/evasion-cases.js";

const results = await measureEvasions();
process.stdout.write(`${evasionTable(results)}\n\n`);
const passing = results.filter((r) => !r.handled);
const broken = passing.filter((r) => r.claimed);
process.stdout.write(
  `${results.length} disguises: ${results.length - passing.length} masked, ${passing.length} pass through` +
    ` (${broken.length} of them claimed as handled).\n`,
);
process.exitCode = broken.length > 0 ? 1 : 0;
