/**
 * Responses of Message Batches:
 * - batch objects (create, retrieve, list) name a `results_url` on the upstream; it is pointed at the proxy,
 *   so that clients (the official SDK follows it) fetch results through it and get them restored;
 * - the results are JSON lines, one per request: a succeeded line's `message` is restored like a
 *   `POST /v1/messages` response; other lines pass as they are.
 */
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreAnthropicResponse } from "../anthropic/response.js";
import { restoreField } from "../shared/restore-field.js";
import { wireView, wireViews } from "../shared/wire.js";
import { AnthropicBatch, AnthropicBatchList, AnthropicBatchResult } from "./schema.js";

/** Points one batch object's `results_url` at `origin` when it names `upstream`; true when changed. */
function rewriteOne(batch: AnthropicBatch, upstream: string, origin: string): boolean {
  const url = batch.results_url;
  if (typeof url !== "string" || !url.startsWith(`${upstream}/`)) return false;
  batch.results_url = `${origin}${url.slice(upstream.length)}`;
  return true;
}

/** Rewrites `results_url` in a batch object or a list of them (`data[]`); true when anything changed. */
export function rewriteResultsUrls(body: unknown, upstream: string, origin: string): boolean {
  const one = wireView(AnthropicBatch, body);
  let changed = one !== undefined && rewriteOne(one, upstream, origin);
  for (const batch of wireViews(AnthropicBatch, wireView(AnthropicBatchList, body)?.data))
    if (rewriteOne(batch, upstream, origin)) changed = true;
  return changed;
}

/** The id a batch creation issues (its results restore with what the batch requests carried). */
export function issuedBatchIds(body: unknown): string[] {
  const id = wireView(AnthropicBatch, body)?.id;
  return typeof id === "string" ? [id] : [];
}

/** Restores one line of a results file; returns it unchanged when there is nothing to restore. */
export function restoreResultLine(line: string, index: ScopeIndex): string {
  if (line.trim() === "") return line;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  const result = wireView(AnthropicBatchResult, entry);
  if (result === undefined) return line;
  // custom_id was redacted in the batch request: the client matches results by the id it sent.
  let n = restoreField(result, "custom_id", index);
  n += restoreAnthropicResponse(result.result?.message, index);
  return n > 0 ? JSON.stringify(result) : line;
}
