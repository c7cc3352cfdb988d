/**
 * Stream mapping for OpenAI Responses. Text deltas go through one channel per output item × content part
 * (`response.output_text.delta`, `response.refusal.delta`) and function-call argument deltas through one
 * channel per output item (restored inside JSON strings), holding back only a possible placeholder prefix.
 * A `.done` event first flushes its channel — what was held goes out as one extra delta event just before
 * it — and then carries its full text restored, so it agrees with the deltas. Items, parts and the
 * response embedded in `response.created` / `.completed` / … are restored like a non-streamed response.
 * Inserted events shift the `sequence_number` of everything after them, so numbers stay unique and
 * increasing. Other events, and any event nothing in which changed, pass through as they came. A delta
 * shaped like one already mapped (same fields but its text, `sequence_number` and `obfuscation`) is restored
 * without being parsed: its text is cut out, restored and spliced back, and its number shifted in place
 * (src/providers/shared/stream-step.ts).
 */
import type { ProxyError } from "../../errors/catalogue.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import type { SseEvent } from "../../sse/events.js";
import type { StreamMapper } from "../shared/adapter.js";
import { ChannelRestorers } from "../shared/channels.js";
import { isRecord } from "../shared/slots.js";
import { restoreField } from "../shared/restore-field.js";
import { spliceEvent, StreamStep, type Hole, type TemplateMatch } from "../shared/stream-step.js";
import { openAIErrorBody } from "../openai/errors.js";
import { restoreResponsesItem, restoreResponsesPart, restoreResponsesResponse } from "./response.js";

/** What a channel carries: output text, a refusal, or function-call arguments. */
type ChannelKind = "text" | "refusal" | "arguments";

/** Arguments are JSON text; output text may be (structured outputs); refusals are prose. */
function jsonModeOf(kind: ChannelKind): boolean | "auto" {
  return kind === "arguments" ? true : kind === "text" ? "auto" : false;
}

interface ChannelInfo {
  readonly kind: ChannelKind;
  readonly itemId: unknown;
  readonly output: number;
  readonly content: number;
}

const DELTA_TYPE: Record<ChannelKind, string> = {
  text: "response.output_text.delta",
  refusal: "response.refusal.delta",
  arguments: "response.function_call_arguments.delta",
};

/** Channel key: output index first, so one item's channels share a prefix. */
function keyOf(kind: ChannelKind, output: number, content: number): string {
  return kind === "arguments" ? `${output}:a` : `${output}:${kind === "text" ? "t" : "r"}:${content}`;
}

function numberOr0(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

/** The fields of a Responses stream event the mapper reads and writes (other fields pass as they are). */
type EventView = Record<string, unknown> & {
  type?: unknown;
  sequence_number?: unknown;
  item_id?: unknown;
  output_index?: unknown;
  content_index?: unknown;
  delta?: unknown;
  response?: unknown;
  item?: unknown;
  part?: unknown;
  message?: unknown;
};

/** A delta event as the mapper builds or inserts it: a type, its channel's place, the text, then a number. */
type DeltaEvent = EventView & { type: string; item_id: unknown; output_index: number; delta: string };

/** A delta event's varying fields: its text, its number, and OpenAI's random `obfuscation` padding. */
const DELTA_HOLES: readonly Hole[] = [
  { field: "delta", kind: "text", read: (data) => data.delta },
  { field: "sequence_number", kind: "number", read: (data) => data.sequence_number, optional: true },
  { field: "obfuscation", kind: "string", read: (data) => data.obfuscation, optional: true },
];

/** What a delta of a template's shape does: push its text to `key` and record the channel's `info`. */
interface Shape {
  readonly key: string;
  readonly info: ChannelInfo;
}

/** Options of a stream mapper: `passThrough: false` maps every event in full (tests compare both). */
export interface ResponsesStreamOptions {
  readonly passThrough?: boolean;
}

/** Creates the mapper for one streamed Responses response. */
export function createResponsesStreamMapper(
  index: ScopeIndex,
  options: ResponsesStreamOptions = {},
): StreamMapper {
  const channels = new ChannelRestorers(index);
  const step = new StreamStep<Shape>(options.passThrough !== false);
  const info = new Map<string, ChannelInfo>();
  /** Placeholders restored in complete text (outside the channels). */
  let whole = 0;
  /** Events inserted so far: added to every upstream sequence number. */
  let shift = 0;
  let lastSeq: number | undefined;

  /** The delta event (data only, unnumbered) carrying text flushed from channel `key`. */
  const flushedDelta = (key: string, text: string): DeltaEvent => {
    const c = info.get(key) ?? { kind: "text", itemId: undefined, output: 0, content: 0 };
    const base = { type: DELTA_TYPE[c.kind], item_id: c.itemId, output_index: c.output };
    if (c.kind === "arguments") return { ...base, delta: text };
    if (c.kind === "refusal") return { ...base, content_index: c.content, delta: text };
    return { ...base, content_index: c.content, delta: text, logprobs: [] };
  };
  const flushKey = (key: string): DeltaEvent[] => {
    const text = channels.flush(key);
    return text.length === 0 ? [] : [flushedDelta(key, text)];
  };
  const flushPrefix = (prefix: string): DeltaEvent[] =>
    channels.flushPrefix(prefix).map(([key, text]) => flushedDelta(key, text));

  /** Serialises inserted events, numbering them from `seq` (the upstream number they precede). */
  const emit = (extras: DeltaEvent[], seq: number | undefined): SseEvent[] =>
    extras.map((data) => {
      if (seq !== undefined) {
        data.sequence_number = seq + shift;
        lastSeq = seq + shift;
        shift++;
      }
      return { event: String(data.type), data: JSON.stringify(data) };
    });

  /** Pushes a delta through its channel; returns whether its text changed and the delta's shape. */
  const push = (kind: ChannelKind, data: EventView): { changed: boolean; shape?: Shape } => {
    if (typeof data.delta !== "string") return { changed: false };
    const output = numberOr0(data.output_index);
    const content = numberOr0(data.content_index);
    const key = keyOf(kind, output, content);
    const channel: ChannelInfo = { kind, itemId: data.item_id, output, content };
    info.set(key, channel);
    const text = data.delta;
    data.delta = channels.push(key, text, jsonModeOf(kind));
    return { changed: data.delta !== text, shape: { key, info: channel } };
  };

  /** A delta shaped like the template's: restored through its channel and renumbered in place, unparsed. */
  const via =
    (event: SseEvent) =>
    (m: TemplateMatch, shape: Shape): SseEvent => {
      info.set(shape.key, shape.info);
      const text = channels.push(shape.key, m.text, jsonModeOf(shape.info.kind));
      if (m.number === undefined) return spliceEvent(event, m, text);
      lastSeq = m.number.value + shift;
      return spliceEvent(event, m, text, lastSeq);
    };

  /** Flushes the channel a `.done` event closes, then restores its complete field. */
  const done = (kind: ChannelKind, data: EventView, field: string): DeltaEvent[] => {
    const key = keyOf(kind, numberOr0(data.output_index), numberOr0(data.content_index));
    const extras = flushKey(key);
    whole += restoreField(data, field, index, jsonModeOf(kind));
    return extras;
  };

  const issued = new Set<string>();
  return {
    map(event) {
      const begun = step.begin(event, via(event));
      if (begun?.data === undefined) return [begun?.out ?? event];
      const data: EventView = begun.data;
      const seq = typeof data.sequence_number === "number" ? data.sequence_number : undefined;
      const output = numberOr0(data.output_index);
      if (isRecord(data.response)) {
        for (const id of [
          data.response.id,
          isRecord(data.response.conversation) ? data.response.conversation.id : undefined,
        ])
          if (typeof id === "string" && id.length > 0) issued.add(id);
      }
      let extras: DeltaEvent[] = [];
      let changed = true;
      let pushed: ReturnType<typeof push> | undefined;
      switch (data.type) {
        case "response.created":
        case "response.in_progress":
        case "response.queued":
          whole += restoreResponsesResponse(data.response, index);
          break;
        case "response.completed":
        case "response.incomplete":
        case "response.failed":
          extras = flushPrefix("");
          whole += restoreResponsesResponse(data.response, index);
          break;
        case "response.output_item.added":
          if (isRecord(data.item)) whole += restoreResponsesItem(data.item, index);
          break;
        case "response.output_item.done":
          extras = flushPrefix(`${output}:`);
          if (isRecord(data.item)) whole += restoreResponsesItem(data.item, index);
          break;
        case "response.content_part.added":
          if (isRecord(data.part)) whole += restoreResponsesPart(data.part, index);
          break;
        case "response.content_part.done": {
          const content = numberOr0(data.content_index);
          extras = [
            ...flushKey(keyOf("text", output, content)),
            ...flushKey(keyOf("refusal", output, content)),
          ];
          if (isRecord(data.part)) whole += restoreResponsesPart(data.part, index);
          break;
        }
        case "response.output_text.delta":
          pushed = push("text", data);
          break;
        case "response.output_text.done":
          extras = done("text", data, "text");
          break;
        case "response.refusal.delta":
          pushed = push("refusal", data);
          break;
        case "response.refusal.done":
          extras = done("refusal", data, "refusal");
          break;
        case "response.function_call_arguments.delta":
          pushed = push("arguments", data);
          break;
        case "response.function_call_arguments.done":
          extras = done("arguments", data, "arguments");
          break;
        case "error":
          extras = flushPrefix("");
          whole += restoreField(data, "message", index);
          break;
        default:
          changed = false;
      }
      if (pushed !== undefined) {
        changed = pushed.changed;
        if (pushed.shape !== undefined) step.learn(event, DELTA_HOLES, pushed.shape);
      }
      const out = emit(extras, seq);
      if (seq !== undefined) {
        data.sequence_number = seq + shift;
        lastSeq = seq + shift;
      }
      if (!changed && (seq === undefined || shift === 0)) return [...out, event];
      return [...out, { ...event, data: JSON.stringify(data) }];
    },
    end() {
      return emit(flushPrefix(""), lastSeq === undefined ? undefined : lastSeq + 1 - shift);
    },
    error(err: ProxyError): SseEvent {
      // The Responses stream's error event carries the family's error fields at its top level.
      const { code, message, param } = openAIErrorBody(err).error;
      const data: Record<string, unknown> = { type: "error", code, message, param };
      if (lastSeq !== undefined) data.sequence_number = lastSeq + 1;
      return { event: "error", data: JSON.stringify(data) };
    },
    get restored() {
      return channels.restored + whole;
    },
    issued: () => [...issued],
  };
}
