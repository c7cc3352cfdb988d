/**
 * docs/coverage.md, generated from the adapters' declarations: for every redacting route, the fields that
 * are opaque (and why), JSON tool data and inline media. A unit test keeps the file equal to it, so the
 * documentation cannot drift from the code.
 */
import { ANTHROPIC_REQUEST } from "./anthropic/request.js";
import { BATCH_REQUEST } from "./anthropic-batches/request.js";
import { COMPLETIONS_REQUEST } from "./completions/request.js";
import { EMBEDDINGS_REQUEST } from "./embeddings/request.js";
import { IMAGES_REQUEST } from "./images/request.js";
import { MODERATIONS_REQUEST } from "./moderations/request.js";
import { CHAT_REQUEST } from "./openai-chat/request.js";
import { RESPONSES_REQUEST } from "./openai-responses/request.js";
import { describeCoverage, type Spec } from "./shared/coverage.js";

const ROUTES: readonly (readonly [string, Spec])[] = [
  ["POST /v1/chat/completions", CHAT_REQUEST],
  ["POST /v1/responses, /v1/responses/input_tokens", RESPONSES_REQUEST],
  ["POST /v1/messages, /v1/messages/count_tokens", ANTHROPIC_REQUEST],
  ["POST /v1/messages/batches", BATCH_REQUEST],
  ["POST /v1/embeddings", EMBEDDINGS_REQUEST],
  ["POST /v1/completions", COMPLETIONS_REQUEST],
  ["POST /v1/images/generations", IMAGES_REQUEST],
  ["POST /v1/moderations", MODERATIONS_REQUEST],
];

/** The last two segments of a declared path, without array marks (`file.file_data`, `messages{role=tool}.content`). */
function shortName(path: string): string {
  const segments = path.replace(/\[\]/g, "").split(".");
  return segments.slice(-2).join(".");
}

/**
 * The coverage table as Markdown: per route, each rule with the fields it applies to (by their last two
 * path segments). Everything not listed is redacted.
 */
export function coverageMarkdown(): string {
  const out: string[] = ["| route | rule | fields |", "|---|---|---|"];
  for (const [route, spec] of ROUTES) {
    const byRule = new Map<string, Set<string>>();
    for (const row of describeCoverage(spec)) {
      const names = byRule.get(row.rule) ?? new Set<string>();
      names.add(shortName(row.path));
      byRule.set(row.rule, names);
    }
    for (const [rule, names] of [...byRule].sort(([a], [b]) => a.localeCompare(b)))
      out.push(
        `| \`${route}\` | ${rule} | ${[...names]
          .sort()
          .map((n) => `\`${n}\``)
          .join(", ")} |`,
      );
  }
  return out.join("\n");
}

/** The whole of docs/coverage.md. */
export function coverageDocument(): string {
  return `# Request coverage (generated)

Generated from the adapters' declarations by \`npm run docs:coverage\`; a unit test fails when this file
and the code disagree. Coverage is **default-deny**: every string of a request body is redacted (detected,
and masked for every value the scope knows), and inside structured tool data every number and every
object key too — except the fields below, which the adapter declares opaque with a reason. A field, item,
block or part type that is not listed (a new API feature) is redacted. Inside tool data nothing is opaque.

Where masking changes something the upstream validates — a \`stop\` sequence, an \`enum\` or \`default\`
of a tool schema, a metadata key — it is masked anyway: the model sees the placeholder, and restoration
brings the value back in the answer.

Fields are named by their last two path segments; \`{type=…}\` / \`{role=…}\` name the variant of an
item, block or message they belong to.

${coverageMarkdown()}
`;
}
