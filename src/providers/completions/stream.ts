/**
 * Stream mapping for legacy completions: each `text_completion` chunk's `choices[].text` is restored in one
 * channel per choice, holding back only a possible placeholder prefix. Held text is appended to the chunk
 * that carries the choice's `finish_reason`, or sent in one extra chunk before `[DONE]`. Embeddings never
 * stream.
 */
import type { ProxyError } from "../../errors/catalogue.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import type { SseEvent } from "../../sse/events.js";
import type { StreamMapper } from "../shared/adapter.js";
import { ChannelRestorers } from "../shared/channels.js";
import { isRecord, records } from "../shared/slots.js";

/** Creates the mapper for one streamed completion. */
export function createCompletionsStreamMapper(index: ScopeIndex): StreamMapper {
  const channels = new ChannelRestorers(index);
  let meta: Record<string, unknown> = {};

  const restoreChoice = (choice: Record<string, unknown>): void => {
    const key = String(typeof choice.index === "number" ? choice.index : 0);
    if (typeof choice.text === "string") choice.text = channels.push(key, choice.text);
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
      const held = channels.flush(key);
      if (held.length > 0) choice.text = `${typeof choice.text === "string" ? choice.text : ""}${held}`;
    }
  };

  return {
    map(event) {
      if (event.data === "[DONE]") return [...this.end(), event];
      let chunk: unknown;
      try {
        chunk = JSON.parse(event.data);
      } catch {
        return [event];
      }
      if (!isRecord(chunk) || !Array.isArray(chunk.choices)) return [event];
      meta = { id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model };
      for (const choice of records(chunk.choices)) restoreChoice(choice);
      return [{ ...event, data: JSON.stringify(chunk) }];
    },
    end() {
      const flushed = channels.flushPrefix("");
      if (flushed.length === 0) return [];
      const choices = flushed.map(([key, text]) => ({
        index: Number(key),
        text,
        logprobs: null,
        finish_reason: null,
      }));
      return [{ data: JSON.stringify({ ...meta, object: meta.object ?? "text_completion", choices }) }];
    },
    error(err: ProxyError): SseEvent {
      return {
        data: JSON.stringify({
          error: { message: err.message, type: err.type, code: err.code, param: null },
        }),
      };
    },
    get restored() {
      return channels.restored;
    },
  };
}
