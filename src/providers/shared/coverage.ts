/**
 * Default-deny coverage of a request body: one walk over the parsed JSON that yields a text slot for every
 * string (and, inside structured tool data, every number and every object key) unless a declaration marks
 * the field opaque, with its reason. Declarations are data: a tree of nodes keyed by field name, with
 * variants chosen by a discriminator (`type`), compiled once at start-up; the walk only looks fields up in
 * maps. A field, item or block type nobody declared is walked like any other text, so a new API feature
 * cannot open a side door. See docs/architecture.md ("Coverage").
 */
import type { TextRole } from "../../detection/span.js";
import type { TextItem } from "../../redaction/pipeline.js";
import { checkJsonShape } from "../../json/shape.js";
import type { TextSlot } from "./slots.js";

/** Deepest JSON text inside a string field (tool-call arguments) that is parsed into slots. */
export const MAX_JSON_TEXT_DEPTH = 128;

type Detect = TextItem["detect"];

/** What a string inherits from the fields above it. */
export interface WalkContext {
  readonly role: TextRole | undefined;
  readonly detect: Detect;
  /** Inside structured tool data: numbers and object keys are slots too. */
  readonly data: boolean;
}

/** A field the proxy never changes, with the reason (shown in the README's coverage table). */
export interface OpaqueSpec {
  readonly opaque: string;
  /**
   * The shape an opaque value must have (a protocol enum is an identifier): a string that does not fit —
   * an e-mail address in `type`, a sentence in `role` — is redacted like any other text.
   */
  readonly shape?: RegExp;
}

/** How a field and everything below it is walked. Every part is optional: the default walks all strings. */
export interface NodeSpec {
  /** Rules per field name of an object; fields not named here follow `other`. */
  readonly fields?: Readonly<Record<string, Spec>>;
  /** The rule for fields not named in `fields` (default: walk them, inheriting the context). */
  readonly other?: Spec;
  /** The rule for each element of an array (default: this same node). */
  readonly items?: Spec;
  /** Variants by the value of the object's `variantKey` field; an unknown value walks with this node itself. */
  readonly variants?: Readonly<Record<string, Spec>>;
  /** The discriminator field of `variants` (default `type`). */
  readonly variantKey?: string;
  /** Sets the role / detection for this subtree, possibly from the object itself (a message's `role`). */
  readonly context?:
    Partial<WalkContext> | ((obj: Readonly<Record<string, unknown>>) => Partial<WalkContext>);
  /** A string here may hold JSON text (tool arguments, tool results): walked as tool data when it parses. */
  readonly jsonText?: boolean;
  /** A string here may be inline media (a `data:` URL or long base64): left alone when it is. */
  readonly media?: boolean;
  /** Documentation for the README table: what this field is. */
  readonly doc?: string;
}

export type Spec = OpaqueSpec | NodeSpec | (() => Spec);

/** Marks a field opaque; with `shape`, only values of that shape (others are redacted as text). */
export function opaque(reason: string, shape?: RegExp): OpaqueSpec {
  return shape === undefined ? { opaque: reason } : { opaque: reason, shape };
}

/** The shape of a protocol enum or discriminator: an identifier or a media type, never free text. */
export const ENUM_SHAPE = /^[A-Za-z][A-Za-z0-9_./+-]{0,63}$/;

/** A compiled node: maps instead of records, recursion resolved lazily. */
class Node {
  readonly opaque: string | undefined;
  readonly shape: RegExp | undefined;
  readonly #spec: NodeSpec;
  #fields: Map<string, Node> | undefined;
  #other: Node | undefined;
  #items: Node | undefined;
  #variants: Map<string, Node> | undefined;

  constructor(spec: OpaqueSpec | NodeSpec) {
    this.opaque = "opaque" in spec ? spec.opaque : undefined;
    this.shape = "opaque" in spec ? spec.shape : undefined;
    this.#spec = "opaque" in spec ? {} : spec;
  }

  get spec(): NodeSpec {
    return this.#spec;
  }

  field(key: string): Node {
    this.#fields ??= new Map(Object.entries(this.#spec.fields ?? {}).map(([k, s]) => [k, compile(s)]));
    return (
      this.#fields.get(key) ??
      (this.#other ??= this.#spec.other === undefined ? WALK : compile(this.#spec.other))
    );
  }

  item(): Node {
    return (this.#items ??= this.#spec.items === undefined ? this : compile(this.#spec.items));
  }

  variant(type: unknown): Node {
    if (this.#spec.variants === undefined || typeof type !== "string") return this;
    this.#variants ??= new Map(Object.entries(this.#spec.variants).map(([k, s]) => [k, compile(s)]));
    return this.#variants.get(type) ?? this;
  }
}

const compiled = new WeakMap<object, Node>();

/** Follows lazy references (recursive specs) to the spec itself. */
function resolve(spec: Spec): OpaqueSpec | NodeSpec {
  let s = spec;
  while (typeof s === "function") s = s();
  return s;
}

/** Compiles a spec once (specs are module constants, so each is compiled at most once per process). */
export function compile(spec: Spec): Node {
  const resolved = resolve(spec);
  let node = compiled.get(resolved);
  if (node === undefined) {
    node = new Node(resolved);
    compiled.set(resolved, node);
  }
  return node;
}

/**
 * The default node: every string below it is text, inheriting the context — except `type`, the
 * discriminator of items, blocks and parts, which is a protocol enum wherever it appears outside tool data.
 */
const WALK_SPEC: NodeSpec = {
  fields: { type: opaque("discriminator of an item, block or part", ENUM_SHAPE) },
};
const WALK = new Node(WALK_SPEC);
/** Inside structured tool data nothing is opaque: every key, string and number is the caller's data. */
const DATA_WALK = new Node({});

export type CompiledSpec = Node;

/** A slot's origin, so restoration can give back the JSON type the client sent. */
export type SlotKind = "string" | "number" | "key";

export interface CoverageSlot extends TextSlot {
  readonly kind: SlotKind;
  /** Writes any JSON value in place of this slot's value (restoration gives a number back as a number). */
  readonly put: (value: unknown) => void;
}

/** True for a `data:` URL or a long run of base64 without spaces (inline media, never text). */
function isMedia(text: string): boolean {
  if (text.startsWith("data:")) return true;
  return text.length >= 256 && !/[^A-Za-z0-9+/=_\-\r\n]/.test(text.slice(0, 4096));
}

/**
 * Every slot of `root` under `spec`, in document order. The root context gives the role and detection of
 * strings that no declaration refines. Throws PRX_REQ_TOO_DEEP for JSON text nested too deep.
 */
export function collectCoverage(
  root: unknown,
  spec: Spec,
  context: Partial<WalkContext> = {},
): CoverageSlot[] {
  const out: CoverageSlot[] = [];
  const ctx: WalkContext = {
    role: context.role,
    detect: context.detect ?? true,
    data: context.data ?? false,
  };
  walkValue(root, compile(spec), ctx, out, undefined);
  return out;
}

type Setter = ((value: unknown) => void) | undefined;

function walkValue(value: unknown, node: Node, outer: WalkContext, out: CoverageSlot[], set: Setter): void {
  if (node.opaque !== undefined) {
    // An opaque value of the wrong shape is not what the declaration describes: redact it as text.
    if (node.shape !== undefined && typeof value === "string" && !node.shape.test(value) && set !== undefined)
      out.push({ text: value, role: outer.role, detect: outer.detect, kind: "string", set, put: set });
    return;
  }
  const fixed = node.spec.context;
  const ctx = fixed === undefined || typeof fixed === "function" ? outer : { ...outer, ...fixed };
  if (typeof value === "string") {
    if (value.length === 0 || set === undefined) return;
    const spec = node.spec;
    if (spec.media === true && isMedia(value)) return;
    if (spec.jsonText === true && jsonTextSlots(value, ctx, out, set)) return;
    out.push({ text: value, role: ctx.role, detect: ctx.detect, kind: "string", set, put: set });
    return;
  }
  if (typeof value === "number") {
    if (ctx.data && set !== undefined && Number.isFinite(value)) {
      const text = String(value);
      out.push({
        text,
        role: ctx.role,
        detect: ctx.detect,
        kind: "number",
        // A number whose text changed (it held a private value) becomes the placeholder text.
        set: (t) => t !== text && set(t),
        put: set,
      });
    }
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    const list = value as unknown[];
    const itemNode = node.item();
    for (let i = 0; i < list.length; i++) {
      const at = i;
      walkValue(list[i], itemNode, ctx, out, (v) => (list[at] = v));
    }
    return;
  }
  const record = value as Record<string, unknown>;
  const chosen = node.variant(record[node.spec.variantKey ?? "type"]);
  const spec = chosen.spec;
  // A variant's own context, or one computed from the object (a message's role), refines the node's.
  let here = ctx;
  if (spec.context !== undefined && (chosen !== node || typeof spec.context === "function")) {
    const extra = typeof spec.context === "function" ? spec.context(record) : spec.context;
    here = { ...ctx, ...extra };
  }
  for (const key of Object.keys(record)) {
    const child = here.data ? DATA_WALK : chosen.field(key);
    if (child.opaque !== undefined && child.shape === undefined) continue;
    walkValue(record[key], child, here, out, (v) => (record[key] = v));
    // The key's slot comes after its value's: slots are applied in order, and the value's setter names the
    // key as it was.
    if (here.data) {
      out.push({
        text: key,
        role: here.role,
        detect: here.detect,
        kind: "key",
        set: (t) => renameKey(record, key, t),
        put: (v) => renameKey(record, key, String(v)),
      });
    }
  }
}

/**
 * Renames `key` to `to` in place. The renamed member moves to the end: keeping the order would cost a pass
 * over the object per renamed key, quadratic for a tool result keyed by thousands of addresses, and JSON
 * objects are unordered.
 */
function renameKey(record: Record<string, unknown>, key: string, to: string): void {
  if (to === key || !Object.hasOwn(record, key)) return;
  const value = record[key];
  delete record[key];
  record[to] = value;
}

/**
 * Slots for the values, numbers and keys inside JSON text; false when the text is not a JSON object or
 * array (then it is plain text). The text is re-serialised only when a slot changed, so untouched JSON goes
 * out byte for byte; `\uXXXX` escapes are decoded for detection by the parse itself.
 */
function jsonTextSlots(text: string, ctx: WalkContext, out: CoverageSlot[], set: Setter): boolean {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[" && first !== '"') return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  checkJsonShape(text, { maxDepth: MAX_JSON_TEXT_DEPTH, maxElements: Number.POSITIVE_INFINITY });
  if (set === undefined) return true;
  if (typeof parsed === "string") {
    if (parsed.length > 0)
      out.push({
        text: parsed,
        role: ctx.role,
        detect: ctx.detect,
        kind: "string",
        set: (t) => t !== parsed && set(JSON.stringify(t)),
        put: (v) => set(JSON.stringify(v)),
      });
    return true;
  }
  if (parsed === null || typeof parsed !== "object") return false;
  const json = new JsonText(parsed);
  const before = out.length;
  walkValue(parsed, DATA_WALK, { ...ctx, data: true }, out, (v) => (json.value = v));
  // The first slot that changes puts the text in the body as a JsonText: it is serialised once, when the
  // body is, however many of its slots changed (re-serialising per slot is quadratic in large tool output).
  for (let i = before; i < out.length; i++) {
    const slot = out[i] as CoverageSlot;
    out[i] = {
      ...slot,
      set: (t) => {
        if (t === slot.text) return;
        slot.set(t);
        set(json);
      },
      put: (v) => {
        slot.put(v);
        set(json);
      },
    };
  }
  return true;
}

/** Parsed JSON text standing in for a string field of the body: `JSON.stringify` writes it as that string. */
class JsonText {
  constructor(public value: unknown) {}
  /** The JSON text, as a string (what `JSON.stringify` of the enclosing body writes for this field). */
  toJSON(): string {
    return JSON.stringify(this.value);
  }
  toString(): string {
    return this.toJSON();
  }
}

/** One row of the coverage table: a declared path and what the proxy does with it. */
export interface CoverageRow {
  readonly path: string;
  readonly rule: string;
}

/**
 * The declared paths of a spec, for documentation: opaque fields with their reasons, JSON tool data, media,
 * and variants. Fields not listed are redacted (default-deny).
 */
export function describeCoverage(spec: Spec, path = "", seen = new Set<object>()): CoverageRow[] {
  const resolved = resolve(spec);
  if ("opaque" in resolved) return [{ path: path || "(body)", rule: `opaque: ${resolved.opaque}` }];
  if (seen.has(resolved)) return [];
  seen.add(resolved);
  const rows: CoverageRow[] = [];
  if (resolved.doc !== undefined) {
    seen.delete(resolved);
    return [{ path: path || "(body)", rule: resolved.doc }];
  }
  if (resolved.jsonText === true)
    rows.push({ path: path || "(body)", rule: "JSON tool data: strings, numbers and keys" });
  if (resolved.media === true)
    rows.push({ path: path || "(body)", rule: "inline media left alone; other text redacted" });
  for (const [key, child] of Object.entries(resolved.fields ?? {}))
    rows.push(...describeCoverage(child, path === "" ? key : `${path}.${key}`, seen));
  if (resolved.items !== undefined) rows.push(...describeCoverage(resolved.items, `${path}[]`, seen));
  // A variant lists only what differs from the node it extends.
  const inherited = new Set(rows.map((r) => `${r.path}\u0000${r.rule}`));
  for (const [type, child] of Object.entries(resolved.variants ?? {})) {
    const mark = `${path}{${resolved.variantKey ?? "type"}=${type}}`;
    for (const row of describeCoverage(child, mark, seen)) {
      const asBase = path + row.path.slice(mark.length);
      if (!inherited.has(`${asBase}\u0000${row.rule}`)) rows.push(row);
    }
  }
  seen.delete(resolved);
  return rows;
}
