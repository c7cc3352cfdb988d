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
import { isRecord, records } from "../shared/slots.js";

/** Points one batch object's `results_url` at `origin` when it names `upstream`; true when changed. */
function rewriteOne(batch: Record<string, unknown>, upstream: string, origin: string): boolean {
  const url = batch.results_url;
  if (typeof url !== "string" || !url.startsWith(`${upstream}/`)) return false;
  batch.results_url = `${origin}${url.slice(upstream.length)}`;
  return true;
}

/** Rewrites `results_url` in a batch object or a list of them (`data[]`); true when anything changed. */
export function rewriteResultsUrls(body: unknown, upstream: string, origin: string): boolean {
  if (!isRecord(body)) return false;
  let changed = rewriteOne(body, upstream, origin);
  for (const batch of records(body.data)) if (rewriteOne(batch, upstream, origin)) changed = true;
  return changed;
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
  if (!isRecord(entry)) return line;
  // custom_id was redacted in the batch request: the client matches results by the id it sent.
  let n = restoreField(entry, "custom_id", index);
  if (isRecord(entry.result) && isRecord(entry.result.message))
    n += restoreAnthropicResponse(entry.result.message, index);
  return n > 0 ? JSON.stringify(entry) : line;
}
