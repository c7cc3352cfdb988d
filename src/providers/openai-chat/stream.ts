/**
 * Stream mapping for Chat Completions: each `chat.completion.chunk` is restored per channel — choice ×
 * content, refusal, each tool-call index — holding back only a possible placeholder prefix. Held text is
 * flushed at the choice's `finish_reason` and before `[DONE]`; `[DONE]`, usage chunks and unknown events
 * pass through untouched. A chunk is read with a scan of its text fields (json-scan.ts) and what restoration
 * changed is spliced back into it; only a chunk the scan gives up on, or one that finishes a choice, is parsed
 * and re-serialised whole.
 */
import type { ProxyError } from "../../errors/catalogue.js";
import type { ScopeIndex } from "../../redaction/scope-index.js";
import type { SseEvent } from "../../sse/events.js";
import type { StreamMapper } from "../shared/adapter.js";
import { ChannelRestorers } from "../shared/channels.js";
import {
  compileSelection,
  memberOf,
  scanJson,
  spliceJsonStrings,
  type JsonNode,
} from "../shared/json-scan.js";
import { isRecord, records } from "../shared/slots.js";

interface ChunkMeta {
  id?: unknown;
  object?: unknown;
  created?: unknown;
  model?: unknown;
}

/** The fields of a `chat.completion.chunk` that the mapper reads. */
const CHUNK_FIELDS = compileSelection({
  id: true,
  object: true,
  created: true,
  model: true,
  choices: [
    {
      index: true,
      finish_reason: true,
      delta: { content: true, refusal: true, tool_calls: [{ index: true, function: { arguments: true } }] },
    },
  ],
});

const META_KEYS = ["id", "object", "created", "model"] as const;

/** The last chunk's meta fields as the scan found them: parsed only if `end()` needs them. */
function scannedMeta(data: string, root: JsonNode): () => ChunkMeta {
  const nodes = META_KEYS.map((key) => memberOf(root, key));
  return () => {
    const meta: ChunkMeta = {};
    META_KEYS.forEach((key, i) => {
      const n = nodes[i];
      if (n !== undefined) meta[key] = JSON.parse(data.slice(n.start, n.end));
    });
    return meta;
  };
}

/** A choice's or tool call's `index` as the mapper keys channels by it (0 unless a number). */
function indexOf(n: JsonNode | undefined): number {
  return n?.kind === "number" ? (n.value as number) : 0;
}

/** A scanned value's string, when it is one. */
function stringOf(n: JsonNode | undefined): string | undefined {
  return n?.kind === "string" ? (n.value as string) : undefined;
}

/** Creates the mapper for one streamed chat response. */
export function createChatStreamMapper(index: ScopeIndex): StreamMapper {
  const channels = new ChannelRestorers(index);
  let meta: () => ChunkMeta = () => ({});

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

  /** The whole-chunk path: parse, restore every choice in place, re-serialise if anything changed. */
  const mapParsed = (event: SseEvent): SseEvent[] => {
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      return [event];
    }
    if (!isRecord(chunk) || !Array.isArray(chunk.choices)) return [event];
    const parsed = { id: chunk.id, object: chunk.object, created: chunk.created, model: chunk.model };
    meta = () => parsed;
    let changed = false;
    for (const choice of records(chunk.choices)) if (restoreChoice(choice)) changed = true;
    // An untouched chunk goes out as it came (no re-serialisation).
    return changed ? [{ ...event, data: JSON.stringify(chunk) }] : [event];
  };

  /**
   * The scanned path: the same pushes, in the same order, as {@link restoreChoice}; the restored strings are
   * spliced into the chunk's text. Undefined when the chunk needs the whole-chunk path.
   */
  const mapScanned = (event: SseEvent): SseEvent[] | undefined => {
    const data = event.data;
    const root = scanJson(data, CHUNK_FIELDS);
    if (root === undefined) return undefined;
    const choices = memberOf(root, "choices");
    if (root.kind !== "object" || choices?.kind !== "array") return [event];
    const list = (choices.items ?? []).filter((c) => c.kind === "object");
    // A finishing choice takes its flushed text into its delta: once per choice, done by the parse path.
    for (const choice of list) {
      const finish = memberOf(choice, "finish_reason");
      if (finish !== undefined && finish.kind !== "null") return undefined;
    }
    meta = scannedMeta(data, root);
    const edits: [number, number, string][] = [];
    const push = (key: string, n: JsonNode | undefined, json: boolean | "auto"): void => {
      const text = stringOf(n);
      if (text === undefined || n === undefined) return;
      const out = channels.push(key, text, json);
      if (out !== text) edits.push([n.start, n.end, out]);
    };
    for (const choice of list) {
      const i = indexOf(memberOf(choice, "index"));
      const delta = memberOf(choice, "delta");
      if (delta?.kind !== "object") continue;
      push(`${i}:content`, memberOf(delta, "content"), "auto");
      push(`${i}:refusal`, memberOf(delta, "refusal"), false);
      const calls = memberOf(delta, "tool_calls");
      for (const call of calls?.kind === "array" ? (calls.items ?? []) : []) {
        if (call.kind !== "object") continue;
        const fn = memberOf(call, "function");
        if (fn?.kind === "object")
          push(`${i}:tool:${indexOf(memberOf(call, "index"))}`, memberOf(fn, "arguments"), true);
      }
    }
    if (edits.length === 0) return [event];
    edits.sort((a, b) => a[0] - b[0]);
    return [{ ...event, data: spliceJsonStrings(data, edits) }];
  };

  return {
    map(event) {
      if (event.data === "[DONE]") return [...this.end(), event];
      return mapScanned(event) ?? mapParsed(event);
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
      const last = meta();
      return [{ data: JSON.stringify({ ...last, object: last.object ?? "chat.completion.chunk", choices }) }];
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
