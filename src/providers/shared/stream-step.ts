/**
 * The step every stream mapper starts with: parse an upstream event's data as a JSON object, or pass the
 * event on untouched — either because it is not JSON, or because it has the same shape as a text delta the
 * mapper already mapped without change ({@link EventTemplate}), so nothing in it can need restoring and
 * `JSON.parse` / `JSON.stringify` are skipped. See docs/architecture.md (the path of a streamed response).
 */
import type { SseEvent } from "../../sse/events.js";
import { isRecord } from "./slots.js";

/** An event's data as a JSON object, or undefined when it is not one (such an event passes as it is). */
export function parseEventData(event: SseEvent): Record<string, unknown> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return undefined;
  }
  return isRecord(data) ? data : undefined;
}

/**
 * A varying part of a templated event: the text restored through a channel (`text`), a number the mapper may
 * renumber (`number`: a `sequence_number`), or a string nothing reads (`string`: OpenAI's `obfuscation`).
 */
export interface Hole {
  readonly field: string;
  readonly kind: "text" | "number" | "string";
  /** The field's value in the parsed event: where the hole must be (checked when the template is learned). */
  readonly read: (data: Record<string, unknown>) => unknown;
  /** An optional hole is left out of the template when the learned event lacks the field. */
  readonly optional?: boolean;
}

/** What {@link EventTemplate.match} found: the text hole's decoded text and place, and the number hole. */
export interface TemplateMatch {
  /** The `text` hole's content, decoded (empty when the template has none). */
  readonly text: string;
  /** Where the text hole's raw content starts and ends in `data`. */
  readonly textStart: number;
  readonly textEnd: number;
  /** The `number` hole's value and where its digits start and end, when the template has one. */
  readonly number?: { readonly value: number; readonly start: number; readonly end: number };
}

/** Where the unescaped `"` closing a JSON string that starts at `from` is, or -1. */
function closingQuote(data: string, from: number): number {
  let q = data.indexOf('"', from);
  while (q !== -1) {
    let slashes = 0;
    for (let i = q - 1; i >= from && data.charCodeAt(i) === 0x5c; i--) slashes++;
    if (slashes % 2 === 0) return q;
    q = data.indexOf('"', q + 1);
  }
  return -1;
}

/** Escapes JSON allows after a backslash (`u` is checked for its four hex digits). */
const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * The JSON string content `raw` (between the quotes) decoded; undefined when it is not valid JSON string
 * content (a control character, an unknown escape), so the event is left to the full parse.
 */
function decodeString(raw: string): string | undefined {
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20) return undefined;
    if (c !== 0x5c) continue;
    escaped = true;
    const next = raw.charCodeAt(++i);
    if (next === 0x75) {
      if (!HEX4.test(raw.slice(i + 1, i + 5))) return undefined;
      i += 4;
    } else if (!ESCAPES.has(next)) return undefined;
  }
  return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
}

/** The JSON string content (between the quotes) of `text`, escaped as `JSON.stringify` escapes it. */
export function encodeString(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** The end of the JSON number (digits only: a sequence number) starting at `from`; `from` when none. */
function digitsEnd(data: string, from: number): number {
  let i = from;
  while (i < data.length) {
    const c = data.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    i++;
  }
  return i;
}

/**
 * The raw data of a mapped event cut around its holes: literal segments with a hole between each two. An
 * event whose data is the same segments around other valid hole contents parses to the learned event with
 * only those fields changed, so a mapper can map it without `JSON.parse` / `JSON.stringify`: restore the
 * text hole and splice the result in ({@link spliceEvent}). `S` is what the mapper keeps beside the template
 * (the channel the text goes to, the state the event would set).
 */
export class EventTemplate<S> {
  readonly #name: string | undefined;
  readonly #segments: readonly string[];
  readonly #kinds: readonly Hole["kind"][];
  readonly state: S;

  private constructor(name: string | undefined, segments: string[], kinds: Hole["kind"][], state: S) {
    this.#name = name;
    this.#segments = segments;
    this.#kinds = kinds;
    this.state = state;
  }

  /**
   * The template of `event` (parsed and mapped in full by the caller) around `holes`, or undefined when a
   * hole's field is missing (and not optional), not a string or digits, or written more than once. At most
   * one hole of each kind `text` and `number`. Only the compact `"field":value` form is recognised; an event
   * written otherwise is simply never templated. The cut is proven once: the event with every hole's content
   * altered is parsed, and each hole's `read` must see its alteration (so a hole is the field it names).
   */
  static learn<S>(event: SseEvent, holes: readonly Hole[], state: S): EventTemplate<S> | undefined {
    if (event.id !== undefined || event.retry !== undefined) return undefined;
    const { data } = event;
    const cuts: { start: number; end: number; kind: Hole["kind"]; hole: Hole }[] = [];
    for (const hole of holes) {
      const marker = hole.kind === "number" ? `"${hole.field}":` : `"${hole.field}":"`;
      const at = data.indexOf(marker);
      if (at === -1) {
        if (hole.optional === true) continue;
        return undefined;
      }
      if (data.indexOf(marker, at + 1) !== -1) return undefined;
      const start = at + marker.length;
      const end = hole.kind === "number" ? digitsEnd(data, start) : closingQuote(data, start);
      if (end === -1 || (hole.kind === "number" && end === start)) return undefined;
      cuts.push({ start, end, kind: hole.kind, hole });
    }
    cuts.sort((a, b) => a.start - b.start);
    const segments: string[] = [];
    let probe = "";
    const expected: unknown[] = [];
    let at = 0;
    for (const cut of cuts) {
      const segment = data.slice(at, cut.start);
      const raw = data.slice(cut.start, cut.end);
      segments.push(segment);
      if (cut.kind === "number") {
        const altered = Number(raw) + 1;
        probe += segment + String(altered);
        expected.push(altered);
      } else {
        const decoded = decodeString(raw);
        if (decoded === undefined) return undefined;
        probe += `${segment}${raw}\\u0001`;
        expected.push(`${decoded}\u0001`);
      }
      at = cut.end;
    }
    segments.push(data.slice(at));
    probe += data.slice(at);
    const parsed = parseEventData({ data: probe });
    if (parsed === undefined || cuts.some((cut, i) => cut.hole.read(parsed) !== expected[i]))
      return undefined;
    return new EventTemplate(
      event.event,
      segments,
      cuts.map((c) => c.kind),
      state,
    );
  }

  /** The holes of `event` when it has this template's shape and valid hole contents; undefined otherwise. */
  match(event: SseEvent): TemplateMatch | undefined {
    if (event.event !== this.#name || event.id !== undefined || event.retry !== undefined) return undefined;
    const { data } = event;
    const segments = this.#segments;
    const first = segments[0] as string;
    // A slice compared with `===` (memcmp) is many times faster in V8 than `startsWith` on these strings.
    if (data.slice(0, first.length) !== first) return undefined;
    let text = "";
    let textStart = 0;
    let textEnd = 0;
    let number: TemplateMatch["number"];
    let at = first.length;
    for (let h = 0; h < this.#kinds.length; h++) {
      const kind = this.#kinds[h];
      const end = kind === "number" ? digitsEnd(data, at) : closingQuote(data, at);
      if (end === -1) return undefined;
      const raw = data.slice(at, end);
      // A hole must leave the event valid JSON, as the learned one was.
      if (kind === "number") {
        if (raw.length === 0 || (raw.length > 1 && raw[0] === "0")) return undefined;
        number = { value: Number(raw), start: at, end };
      } else {
        const decoded = decodeString(raw);
        if (decoded === undefined) return undefined;
        if (kind === "text") {
          text = decoded;
          textStart = at;
          textEnd = end;
        }
      }
      at = end;
      const segment = segments[h + 1] as string;
      if (data.slice(at, at + segment.length) !== segment) return undefined;
      at += segment.length;
    }
    if (at !== data.length) return undefined;
    return number === undefined ? { text, textStart, textEnd } : { text, textStart, textEnd, number };
  }
}

/**
 * `event` with its matched holes rewritten: the text hole holding `text` (when it differs from the matched
 * text) and the number hole holding `number` (when given and different). `event` itself when nothing changes.
 */
export function spliceEvent(event: SseEvent, m: TemplateMatch, text: string, number?: number): SseEvent {
  const renumber = number !== undefined && m.number !== undefined && number !== m.number.value;
  if (text === m.text && !renumber) return event;
  const { data } = event;
  const parts: { start: number; end: number; value: string }[] = [];
  if (text !== m.text) parts.push({ start: m.textStart, end: m.textEnd, value: encodeString(text) });
  if (renumber && m.number !== undefined)
    parts.push({ start: m.number.start, end: m.number.end, value: String(number) });
  parts.sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const p of parts) {
    out += data.slice(at, p.start) + p.value;
    at = p.end;
  }
  return { ...event, data: out + data.slice(at) };
}

/** What {@link StreamStep.begin} gives: the event mapped through the template, or its data to map in full. */
export type Step =
  { readonly out: SseEvent; readonly data?: undefined } | { readonly data: Record<string, unknown> };

/** Templates a step keeps: one per channel a stream interleaves (choices, content parts), newest first. */
/** Templates learned before learning must earn its keep (as many events mapped through them as learned). */
const LEARN_FREELY = 8;
const MAX_TEMPLATES = 4;

/**
 * The first step of every mapper's `map`, with the templates it keeps: an event of a template's shape is
 * mapped by `via` (which does with the text what the full mapping does, and splices the result back); any
 * other event is parsed for the full mapping, or, when it is not a JSON object, left to pass as it is.
 * `enabled: false` maps every event in full (tests compare both ways).
 */
export class StreamStep<S> {
  readonly #enabled: boolean;
  readonly #templates: EventTemplate<S>[] = [];
  /** Templates learned, and events they mapped: a stream whose events never repeat a shape stops learning. */
  #learned = 0;
  #hits = 0;

  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  /** The event through a template, or its parsed data; undefined when it is not a JSON object. */
  begin(event: SseEvent, via: (m: TemplateMatch, state: S) => SseEvent): Step | undefined {
    for (const template of this.#templates) {
      const m = template.match(event);
      if (m !== undefined) {
        this.#hits++;
        return { out: via(m, template.state) };
      }
    }
    const data = parseEventData(event);
    return data === undefined ? undefined : { data };
  }

  /** How many templates are held now. */
  get held(): number {
    return this.#templates.length;
  }

  /** After a full mapping: `event` (as it came) becomes a template around `holes`, when it can be one. */
  learn(event: SseEvent, holes: readonly Hole[], state: S): void {
    if (!this.#enabled) return;
    if (this.#learned >= LEARN_FREELY && this.#hits < this.#learned) {
      // Templates are not paying for themselves (every event differs outside its text: per-chunk logprobs,
      // usage…): stop learning, and stop trying the ones held, so the stream costs what the full mapping does.
      this.#templates.length = 0;
      return;
    }
    const template = EventTemplate.learn(event, holes, state);
    if (template === undefined) return;
    this.#learned++;
    this.#templates.unshift(template);
    if (this.#templates.length > MAX_TEMPLATES) this.#templates.pop();
  }
}
