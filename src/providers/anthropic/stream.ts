/**
 * Stream mapping for Anthropic Messages: one channel per content block index. `text_delta` text and
 * `input_json_delta` partial JSON (restored inside JSON strings as the fragments arrive) go through the
 * block's channel, holding back only a possible placeholder prefix; what a block still holds is sent as one
 * extra `content_block_delta` just before its `content_block_stop` (and before `message_stop` or an upstream
 * `error`). Complete content in `message_start` and `content_block_start` is restored in place; `ping`,
 * `message_delta`, thinking deltas and unknown events pass through untouched.
 */
import type { ProxyError } from "../../errors/catalogue.js";
import { anthropicErrorBody } from "./errors.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import { restoreText } from "../../redaction/restore.js";
import type { SseEvent } from "../../sse/events.js";
import type { StreamMapper } from "../shared/adapter.js";
import { ChannelRestorers } from "../shared/channels.js";
import { isRecord } from "../shared/slots.js";
import { restoreAnthropicResponse, restoreLeaves } from "./response.js";

/** What a block's deltas carry: text (`text_delta`) or partial tool input JSON (`input_json_delta`). */
type BlockKind = "text" | "json";

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
export function createAnthropicStreamMapper(index: ScopeIndex): StreamMapper {
  const channels = new ChannelRestorers(index);
  const kinds = new Map<number, BlockKind>();
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

  const restoreDelta = (block: number, delta: Record<string, unknown>): void => {
    if (delta.type === "text_delta" && typeof delta.text === "string") {
      if (!kinds.has(block)) kinds.set(block, "text");
      delta.text = channels.push(String(block), delta.text, "auto");
    } else if (delta.type === "input_json_delta" && typeof delta.partial_json === "string") {
      if (!kinds.has(block)) kinds.set(block, "json");
      delta.partial_json = channels.push(String(block), delta.partial_json, true);
    } else if (delta.type === "citations_delta" && isRecord(delta.citation)) {
      const cited = delta.citation.cited_text;
      if (typeof cited === "string") {
        const result = restoreText(cited, index);
        delta.citation.cited_text = result.text;
        whole += result.restored;
      }
    }
  };

  return {
    map(event) {
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return [event];
      }
      if (!isRecord(data)) return [event];
      const type = typeof data.type === "string" ? data.type : event.event;
      const block = typeof data.index === "number" ? data.index : 0;
      const before: SseEvent[] = [];
      switch (type) {
        case "message_start":
          whole += restoreAnthropicResponse(data.message, index);
          break;
        case "content_block_start":
          if (isRecord(data.content_block)) restoreBlockStart(block, data.content_block);
          break;
        case "content_block_delta":
          if (isRecord(data.delta)) restoreDelta(block, data.delta);
          break;
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
      return [...before, { ...event, data: JSON.stringify(data) }];
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
