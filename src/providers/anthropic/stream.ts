/**
 * Stream mapping for Anthropic Messages: one channel per content block index. `text_delta` text and
 * `input_json_delta` partial JSON (restored inside JSON strings as the fragments arrive) go through the
 * block's channel, holding back only a possible placeholder prefix; what a block still holds is sent as one
 * extra `content_block_delta` just before its `content_block_stop` (and before `message_stop` or an upstream
 * `error`). Complete content in `message_start` and `content_block_start` is restored in place; `ping`,
 * `message_delta`, thinking deltas and unknown events pass through untouched, as does any event nothing in
 * which changed. A delta shaped like one already mapped (same fields but its text) is restored without being
 * parsed: its text is cut out, restored and spliced back (src/providers/shared/stream-step.ts).
 */
import type { ProxyError } from "../../errors/catalogue.js";
import { anthropicErrorBody } from "./errors.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreText } from "../../redaction/restore.js";
import type { SseEvent } from "../../sse/events.js";
import type { StreamMapper } from "../shared/adapter.js";
import { ChannelRestorers } from "../shared/channels.js";
import { isRecord } from "../shared/slots.js";
import { spliceEvent, StreamStep, type Hole, type TemplateMatch } from "../shared/stream-step.js";
import { restoreAnthropicResponse, restoreLeaves } from "./response.js";

/** What a block's deltas carry: text (`text_delta`) or partial tool input JSON (`input_json_delta`). */
type BlockKind = "text" | "json";

/** The text field of a delta of each kind, the one hole of its template. */
const DELTA_HOLES: Record<BlockKind, readonly Hole[]> = {
  text: [{ field: "text", kind: "text", read: (data) => deltaField(data, "text") }],
  json: [{ field: "partial_json", kind: "text", read: (data) => deltaField(data, "partial_json") }],
};

/** A field of a `content_block_delta`'s delta. */
function deltaField(data: Record<string, unknown>, field: string): unknown {
  return isRecord(data.delta) ? data.delta[field] : undefined;
}

/** What a delta of a template's shape does: push its text to block `block`'s channel as `kind`. */
interface Shape {
  readonly block: number;
  readonly kind: BlockKind;
}

/** The parts of a `content_block_delta`'s delta the mapper reads and writes. */
interface DeltaView {
  type?: unknown;
  text?: unknown;
  partial_json?: unknown;
  citation?: unknown;
}

/** Options of a stream mapper: `passThrough: false` maps every event in full (tests compare both). */
export interface AnthropicStreamOptions {
  readonly passThrough?: boolean;
}

/** The `content_block_delta` event carrying text flushed from block `index`. */
function deltaEvent(index: number, kind: BlockKind, text: string): SseEvent {
  const delta =
    kind === "text" ? { type: "text_delta", text } : { type: "input_json_delta", partial_json: text };
  return {
    event: "content_block_delta",
    data: JSON.stringify({ type: "content_block_delta", index, delta }),
  };
}

/** Creates the mapper for one streamed Messages response. */
export function createAnthropicStreamMapper(
  index: ScopeIndex,
  options: AnthropicStreamOptions = {},
): StreamMapper {
  const channels = new ChannelRestorers(index);
  const kinds = new Map<number, BlockKind>();
  const step = new StreamStep<Shape>(options.passThrough !== false);
  /** Placeholders restored in complete content (outside the channels). */
  let whole = 0;

  const flushBlock = (block: number): SseEvent[] => {
    const text = channels.flush(String(block));
    return text.length === 0 ? [] : [deltaEvent(block, kinds.get(block) ?? "text", text)];
  };
  const flushAll = (): SseEvent[] =>
    channels
      .flushPrefix("")
      .map(([key, text]) => deltaEvent(Number(key), kinds.get(Number(key)) ?? "text", text));

  const restoreBlockStart = (block: number, content: Record<string, unknown>): void => {
    if (content.type === "text") {
      kinds.set(block, "text");
      if (typeof content.text === "string" && content.text.length > 0)
        content.text = channels.push(String(block), content.text, "auto");
    } else if (content.type === "tool_use" || content.type === "server_tool_use") {
      kinds.set(block, "json");
      whole += restoreLeaves(content.input, index);
    }
  };

  /** Pushes a text or partial JSON delta through its block's channel; returns whether its text changed. */
  const pushDelta = (block: number, kind: BlockKind, text: string): string => {
    if (!kinds.has(block)) kinds.set(block, kind);
    return channels.push(String(block), text, kind === "text" ? "auto" : true);
  };

  /** Restores a delta in place; returns whether anything changed, and the shape of a text or JSON delta. */
  const restoreDelta = (block: number, delta: DeltaView): { changed: boolean; shape?: Shape } => {
    if (delta.type === "text_delta" && typeof delta.text === "string") {
      const text = delta.text;
      delta.text = pushDelta(block, "text", text);
      return { changed: delta.text !== text, shape: { block, kind: "text" } };
    }
    if (delta.type === "input_json_delta" && typeof delta.partial_json === "string") {
      const text = delta.partial_json;
      delta.partial_json = pushDelta(block, "json", text);
      return { changed: delta.partial_json !== text, shape: { block, kind: "json" } };
    }
    if (delta.type === "citations_delta" && isRecord(delta.citation)) {
      const cited = delta.citation.cited_text;
      if (typeof cited === "string") {
        const result = restoreText(cited, index);
        delta.citation.cited_text = result.text;
        whole += result.restored;
        return { changed: result.restored > 0 };
      }
    }
    return { changed: false };
  };

  /** A delta shaped like the template's: restored through its channel and spliced back, unparsed. */
  const via =
    (event: SseEvent) =>
    (m: TemplateMatch, shape: Shape): SseEvent =>
      spliceEvent(event, m, pushDelta(shape.block, shape.kind, m.text));

  return {
    map(event) {
      const begun = step.begin(event, via(event));
      if (begun?.data === undefined) return [begun?.out ?? event];
      const data = begun.data;
      const type = typeof data.type === "string" ? data.type : event.event;
      const block = typeof data.index === "number" ? data.index : 0;
      const before: SseEvent[] = [];
      let changed = true;
      switch (type) {
        case "message_start":
          whole += restoreAnthropicResponse(data.message, index);
          break;
        case "content_block_start":
          if (isRecord(data.content_block)) restoreBlockStart(block, data.content_block);
          break;
        case "content_block_delta": {
          const result = isRecord(data.delta) ? restoreDelta(block, data.delta) : { changed: false };
          changed = result.changed;
          if (result.shape !== undefined && type === data.type)
            step.learn(event, DELTA_HOLES[result.shape.kind], result.shape);
          break;
        }
        case "content_block_stop":
          return [...flushBlock(block), event];
        case "message_stop":
          return [...flushAll(), event];
        case "error":
          before.push(...flushAll());
          if (isRecord(data.error) && typeof data.error.message === "string") {
            const result = restoreText(data.error.message, index);
            data.error.message = result.text;
            whole += result.restored;
          }
          break;
        default:
          return [event];
      }
      return [...before, changed ? { ...event, data: JSON.stringify(data) } : event];
    },
    end() {
      return flushAll();
    },
    error(err: ProxyError): SseEvent {
      return {
        event: "error",
        data: JSON.stringify(anthropicErrorBody(err)),
      };
    },
    get restored() {
      return channels.restored + whole;
    },
  };
}
