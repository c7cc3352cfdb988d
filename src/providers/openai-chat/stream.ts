/**
 * Stream mapping for Chat Completions: each `chat.completion.chunk` is restored per channel — choice ×
 * content, refusal, each tool-call index — holding back only a possible placeholder prefix. Held text is
 * flushed at the choice's `finish_reason` and before `[DONE]`; `[DONE]`, usage chunks and unknown events
 * pass through untouched.
 */
import type { ProxyError } from "../../errors/catalogue.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import type { SseEvent } from "../../sse/events.js";
import type { StreamMapper } from "../shared/adapter.js";
import { ChannelRestorers } from "../shared/channels.js";
import { isRecord, records } from "../shared/slots.js";

interface ChunkMeta {
  id?: unknown;
  object?: unknown;
  created?: unknown;
  model?: unknown;
}

/** Creates the mapper for one streamed chat response. */
export function createChatStreamMapper(index: ScopeIndex): StreamMapper {
  const channels = new ChannelRestorers(index);
  let meta: ChunkMeta = {};

  /** Builds a chunk carrying flushed text for one choice. */
  const flushChunk = (choice: number, flushed: [string, string][]): Record<string, unknown> => {
    const delta: Record<string, unknown> = {};
    const toolCalls: Record<string, unknown>[] = [];
    for (const [key, text] of flushed) {
      const kind = key.split(":")[1];
      if (kind === "content") delta.content = text;
      else if (kind === "refusal") delta.refusal = text;
      else if (kind === "tool")
        toolCalls.push({ index: Number(key.split(":")[2]), function: { arguments: text } });
    }
    if (toolCalls.length > 0) delta.tool_calls = toolCalls;
    return { index: choice, delta, finish_reason: null };
  };

  /** Restores a choice in place; returns whether anything in it changed. */
  const restoreChoice = (choice: Record<string, unknown>): boolean => {
    const i = typeof choice.index === "number" ? choice.index : 0;
    const delta = choice.delta;
    let changed = false;
    const push = (key: string, text: string, json: boolean | "auto" = false): string => {
      const out = channels.push(key, text, json);
      if (out !== text) changed = true;
      return out;
    };
    if (isRecord(delta)) {
      if (typeof delta.content === "string") delta.content = push(`${i}:content`, delta.content, "auto");
      if (typeof delta.refusal === "string") delta.refusal = push(`${i}:refusal`, delta.refusal);
      for (const call of records(delta.tool_calls)) {
        const t = typeof call.index === "number" ? call.index : 0;
        if (isRecord(call.function) && typeof call.function.arguments === "string") {
          call.function.arguments = push(`${i}:tool:${t}`, call.function.arguments, true);
        }
      }
    }
    const finished = choice.finish_reason !== null && choice.finish_reason !== undefined;
    if (finished) {
      // Flushed text goes into this final chunk, appended to whatever it already carries.
      const flushed = channels.flushPrefix(`${i}:`);
      if (flushed.length > 0) {
        const d: Record<string, unknown> = isRecord(delta) ? delta : {};
        for (const [key, text] of flushed) {
          const [, kind, t] = key.split(":");
          if (kind === "content") d.content = `${typeof d.content === "string" ? d.content : ""}${text}`;
          else if (kind === "refusal") d.refusal = `${typeof d.refusal === "string" ? d.refusal : ""}${text}`;
          else if (kind === "tool") {
            const calls = Array.isArray(d.tool_calls) ? (d.tool_calls as unknown[]) : [];
            calls.push({ index: Number(t), function: { arguments: text } });
            d.tool_calls = calls;
          }
        }
        choice.delta = d;
        changed = true;
      }
    }
    return changed;
  };

  return {
    map(event) {
      // An exchange without placeholders restores nothing and holds nothing: no chunk needs parsing.
      if (index.isEmpty) return [event];
      if (event.data === "[DONE]") return [...this.end(), event];
      let chunk: unknown;
      try {
        chunk = JSON.parse(event.data);
      } catch {
        return [event];
      }
      if (!isRecord(chunk) || !Array.isArray(chunk.choices)) return [event];
      meta = { id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model };
      let changed = false;
      for (const choice of records(chunk.choices)) if (restoreChoice(choice)) changed = true;
      // An untouched chunk goes out as it came (no re-serialisation).
      return changed ? [{ ...event, data: JSON.stringify(chunk) }] : [event];
    },
    end() {
      const flushed = channels.flushPrefix("");
      if (flushed.length === 0) return [];
      const byChoice = new Map<number, [string, string][]>();
      for (const entry of flushed) {
        const choice = Number(entry[0].split(":")[0]);
        byChoice.set(choice, [...(byChoice.get(choice) ?? []), entry]);
      }
      const choices = [...byChoice].map(([choice, entries]) => flushChunk(choice, entries));
      return [{ data: JSON.stringify({ ...meta, object: meta.object ?? "chat.completion.chunk", choices }) }];
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
