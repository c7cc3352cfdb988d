/**
 * Splits texts into plain and highlighted pieces: the input by the spans' UTF-16 offsets, and the redacted
 * text by occurrences of the placeholders it was given. Pure functions, no DOM.
 */
import { asLevel, higher, type Level } from "./levels.js";

/** A span as `/v1/redact` returns it. */
export interface WireSpan {
  readonly placeholder: string;
  readonly type: string;
  readonly level: string;
  readonly start: number;
  readonly end: number;
}

export type Segment =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "span"; readonly text: string; readonly span: WireSpan; readonly level: Level };

/** Pieces of `text` with every valid, non-overlapping span marked (offsets are UTF-16 code units). */
export function segmentInput(text: string, spans: readonly WireSpan[]): Segment[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Segment[] = [];
  let at = 0;
  for (const span of sorted) {
    if (span.start < at || span.end <= span.start || span.end > text.length) continue;
    if (span.start > at) out.push({ kind: "text", text: text.slice(at, span.start) });
    out.push({ kind: "span", text: text.slice(span.start, span.end), span, level: asLevel(span.level) });
    at = span.end;
  }
  if (at < text.length) out.push({ kind: "text", text: text.slice(at) });
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Pieces of the redacted `text` with each occurrence of a placeholder from `spans` marked; the text itself
 * is kept exactly as the cloud receives it.
 */
export function segmentCloud(text: string, spans: readonly WireSpan[]): Segment[] {
  const byPlaceholder = new Map<string, { span: WireSpan; level: Level }>();
  for (const span of spans) {
    if (span.placeholder === "") continue;
    const known = byPlaceholder.get(span.placeholder);
    const level = asLevel(span.level);
    byPlaceholder.set(span.placeholder, {
      span,
      level: known === undefined ? level : higher(known.level, level),
    });
  }
  if (byPlaceholder.size === 0) return text === "" ? [] : [{ kind: "text", text }];
  const names = [...byPlaceholder.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(names.join("|"), "g");
  const out: Segment[] = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    const found = byPlaceholder.get(match[0]);
    if (found === undefined) continue;
    if (match.index > at) out.push({ kind: "text", text: text.slice(at, match.index) });
    out.push({ kind: "span", text: match[0], span: found.span, level: found.level });
    at = match.index + match[0].length;
  }
  if (at < text.length) out.push({ kind: "text", text: text.slice(at) });
  return out;
}
