/**
 * Stream mapping for legacy completions: each `text_completion` chunk's `choices[].text` is restored in one
 * channel per choice, holding back only a possible placeholder prefix. Held text is appended to the chunk
 * that carries the choice's `finish_reason`, or sent in one extra chunk before `[DONE]`. A chunk nothing in
 * which changed goes out as it came.
 */
import type { ProxyError } from "../../errors/catalogue.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import type { SseEvent } from "../../sse/events.js";
import type { StreamMapper } from "../shared/adapter.js";
import { ChannelRestorers } from "../shared/channels.js";
import { records } from "../shared/slots.js";
import { parseEventData } from "../shared/stream-step.js";
import { openAIErrorBody } from "../openai/errors.js";

/** The parts of a streamed completion choice the mapper reads and writes. */
interface ChoiceView {
  index?: unknown;
  text?: unknown;
  finish_reason?: unknown;
}

/** Creates the mapper for one streamed completion. */
export function createCompletionsStreamMapper(index: ScopeIndex): StreamMapper {
  const channels = new ChannelRestorers(index);
  let meta: Record<string, unknown> = {};

  /** Restores a choice in place; returns whether its text changed. */
  const restoreChoice = (choice: ChoiceView): boolean => {
    const key = String(typeof choice.index === "number" ? choice.index : 0);
    const before = choice.text;
    if (typeof choice.text === "string") choice.text = channels.push(key, choice.text);
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
      const held = channels.flush(key);
      if (held.length > 0) choice.text = `${typeof choice.text === "string" ? choice.text : ""}${held}`;
    }
    return choice.text !== before;
  };

  return {
    map(event) {
      if (index.isEmpty) return [event];
      if (event.data === "[DONE]") return [...this.end(), event];
      const chunk = parseEventData(event);
      if (chunk === undefined || !Array.isArray(chunk.choices)) return [event];
      meta = { id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model };
      let changed = false;
      for (const choice of records(chunk.choices) as ChoiceView[]) if (restoreChoice(choice)) changed = true;
      return changed ? [{ ...event, data: JSON.stringify(chunk) }] : [event];
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
      return { data: JSON.stringify(openAIErrorBody(err)) };
    },
    get restored() {
      return channels.restored;
    },
  };
}
