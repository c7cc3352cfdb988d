/**
 * Restoration of a non-streamed legacy completion: each choice's `text` (it may echo the prompt). Unknown
 * fields are left as they are.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreField } from "../shared/restore-field.js";
import { wireView, wireViews } from "../shared/wire.js";
import { OpenAICompletionsChoice, OpenAICompletionsResponse } from "./schema.js";

/** Restores every choice's `text` of a completion in place; returns the count restored. */
export function restoreCompletionsResponse(body: unknown, index: ScopeIndex): number {
  // Nothing to restore: no view is taken (most exchanges carry no placeholder).
  if (index.isEmpty) return 0;
  let n = 0;
  const choices = wireView(OpenAICompletionsResponse, body)?.choices;
  for (const choice of wireViews(OpenAICompletionsChoice, choices)) n += restoreField(choice, "text", index);
  return n;
}
