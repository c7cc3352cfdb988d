/**
 * Stream mapping for Chat Completions: each `chat.completion.chunk` is restored per channel — choice ×
 * content, refusal, each tool-call index — holding back only a possible placeholder prefix. Held text is
 * flushed at the choice's `finish_reason` and before `[DONE]`; `[DONE]`, usage chunks and unknown events
 * pass through untouched. A content chunk shaped like one already mapped (same fields but its text) is
 * restored without being parsed: its text is cut out, restored and spliced back
 * (src/providers/shared/stream-step.ts).
 */
import type { ProxyError } from "../../errors/catalogue.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import type { SseEvent } from "../../sse/events.js";
import type { StreamMapper } from "../shared/adapter.js";
import { ChannelRestorers } from "../shared/channels.js";
import { isRecord, records } from "../shared/slots.js";
import { spliceEvent, StreamStep, type Hole, type TemplateMatch } from "../shared/stream-step.js";
import { openAIErrorBody } from "../openai/errors.js";

/** The fields of a chunk the end-of-stream chunk repeats. */
interface ChunkMeta {
  readonly id?: unknown;
  readonly object?: unknown;
  readonly created?: unknown;
  readonly model?: unknown;
}

/** The parts of a streamed choice the mapper reads and writes (other fields pass as they are). */
interface ChoiceView {
  index?: unknown;
  delta?: unknown;
  finish_reason?: unknown;
}
interface DeltaView {
  content?: unknown;
  refusal?: unknown;
  tool_calls?: unknown;
}
interface ToolCallView {
  index?: unknown;
  function?: unknown;
}

/** A channel: choice × what it carries (`t` is the tool call's index). */
type ChannelKey = `${number}:content` | `${number}:refusal` | `${number}:tool:${number}`;

/** What a chunk of a template's shape does: push its text to `key` (in `mode`) and set `meta`. */
interface Shape {
  readonly key: ChannelKey;
  readonly mode: boolean | "auto";
  readonly meta: ChunkMeta;
}

/** A push of a chunk being mapped: which field, which channel (one content push makes a template). */
interface Push {
  readonly field: "content" | "refusal" | "arguments";
  readonly key: ChannelKey;
}

/** The delta of a one-choice chunk, as the template's holes read it. */
function deltaOf(data: Record<string, unknown>): Record<string, unknown> {
  const choice = Array.isArray(data.choices) ? (data.choices[0] as unknown) : undefined;
  return isRecord(choice) && isRecord(choice.delta) ? choice.delta : {};
}

const OBFUSCATION: Hole = {
  field: "obfuscation",
  kind: "string",
  read: (data) => data.obfuscation,
  optional: true,
};
const TEXT_HOLES: Record<"content" | "refusal", readonly Hole[]> = {
  content: [{ field: "content", kind: "text", read: (data) => deltaOf(data).content }, OBFUSCATION],
  refusal: [{ field: "refusal", kind: "text", read: (data) => deltaOf(data).refusal }, OBFUSCATION],
};

/** Options of a stream mapper: `passThrough: false` maps every event in full (tests compare both). */
export interface StreamMapperOptions {
  readonly passThrough?: boolean;
}

/** Creates the mapper for one streamed chat response. */
export function createChatStreamMapper(index: ScopeIndex, options: StreamMapperOptions = {}): StreamMapper {
  const channels = new ChannelRestorers(index);
  const step = new StreamStep<Shape>(options.passThrough !== false);
  let meta: ChunkMeta = {};
  let pushes: Push[] = [];
  /** The chunk being mapped finishes a choice (flushes its channels): it never becomes a template. */
  let finishing = false;

  /** Builds a chunk carrying flushed text for one choice. */
  const flushChunk = (choice: number, flushed: [string, string][]): Record<string, unknown> => {
    const delta: DeltaView = {};
    const toolCalls: ToolCallView[] = [];
    for (const [key, text] of flushed) {
      const [, kind, t] = key.split(":");
      if (kind === "content") delta.content = text;
      else if (kind === "refusal") delta.refusal = text;
      else if (kind === "tool") toolCalls.push({ index: Number(t), function: { arguments: text } });
    }
    if (toolCalls.length > 0) delta.tool_calls = toolCalls;
    return { index: choice, delta, finish_reason: null };
  };

  /** Restores a choice in place; returns whether anything in it changed. */
  const restoreChoice = (choice: ChoiceView): boolean => {
    const i = typeof choice.index === "number" ? choice.index : 0;
    const delta = choice.delta;
    let changed = false;
    const push = (field: Push["field"], key: ChannelKey, text: string, json: boolean | "auto"): string => {
      const out = channels.push(key, text, json);
      if (out !== text) changed = true;
      pushes.push({ field, key });
      return out;
    };
    if (isRecord(delta)) {
      const d = delta as DeltaView;
      if (typeof d.content === "string") d.content = push("content", `${i}:content`, d.content, "auto");
      if (typeof d.refusal === "string") d.refusal = push("refusal", `${i}:refusal`, d.refusal, false);
      for (const call of records(d.tool_calls) as ToolCallView[]) {
        const t = typeof call.index === "number" ? call.index : 0;
        const fn = call.function;
        if (isRecord(fn) && typeof fn.arguments === "string")
          fn.arguments = push("arguments", `${i}:tool:${t}`, fn.arguments, true);
      }
    }
    const finished = choice.finish_reason !== null && choice.finish_reason !== undefined;
    if (finished) {
      // Flushed text goes into this final chunk, appended to whatever it already carries.
      const flushed = channels.flushPrefix(`${i}:`);
      finishing = true;
      if (flushed.length > 0) {
        const d: DeltaView = isRecord(delta) ? delta : {};
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

  /**
   * A chunk shaped like the template's (one choice, one text delta, not finishing): its text restored through
   * the channel and spliced back, as the full mapping would restore it, without parsing the chunk.
   */
  const via =
    (event: SseEvent) =>
    (m: TemplateMatch, shape: Shape): SseEvent => {
      meta = shape.meta;
      return spliceEvent(event, m, channels.push(shape.key, m.text, shape.mode));
    };

  /** After a full mapping of a chunk of one choice with one content or refusal push: its template. */
  const learn = (event: SseEvent, choices: number): void => {
    const only = pushes.length === 1 ? pushes[0] : undefined;
    if (choices !== 1 || finishing || only === undefined || only.field === "arguments") return;
    const mode = only.field === "content" ? "auto" : false;
    step.learn(event, TEXT_HOLES[only.field], { key: only.key, mode, meta });
  };

  return {
    map(event) {
      // An exchange without placeholders restores nothing and holds nothing: no chunk needs parsing.
      if (index.isEmpty) return [event];
      if (event.data === "[DONE]") return [...this.end(), event];
      const begun = step.begin(event, via(event));
      if (begun?.data === undefined) return [begun?.out ?? event];
      const chunk = begun.data;
      if (!Array.isArray(chunk.choices)) return [event];
      meta = { id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model };
      let changed = false;
      pushes = [];
      finishing = false;
      const choices = records(chunk.choices) as ChoiceView[];
      for (const choice of choices) if (restoreChoice(choice)) changed = true;
      learn(event, chunk.choices.length === choices.length ? choices.length : 0);
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
      return { data: JSON.stringify(openAIErrorBody(err)) };
    },
    get restored() {
      return channels.restored;
    },
  };
}
