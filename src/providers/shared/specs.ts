/**
 * Coverage declarations shared by the adapters: JSON Schema (tool parameters, structured outputs), tool
 * data, and the helpers that build variants on a common base. What is not declared here or in an adapter's
 * request.ts is redacted.
 */
import type { TextRole } from "../../detection/span.js";
import { ENUM_SHAPE, opaque, type NodeSpec, type Spec, type WalkContext } from "./coverage.js";

export const ENUM = opaque("protocol enum", ENUM_SHAPE);
export const ID = opaque("identifier issued by the API");
export const MODEL = opaque("model name");
export const TOOL_NAME = opaque("tool name the model calls back by");
export const BASE64 = opaque("base64 media");
export const FILE_ID = opaque("file id issued by the API");
export const MCP_CREDENTIAL = opaque("credential the API presents to your MCP server on your behalf");
export const MCP_ALLOWED_TOOLS = opaque("tool names of the MCP server");
export const CACHE_CONTROL = opaque("cache directive");
export const TOOL_CHOICE = opaque("`auto`, `none`, `required` or a tool name");
export const SCHEMA_NAME = opaque("schema name");
export const LOGIT_BIAS = opaque("token ids and numeric biases");

/** A JSON Schema: keywords and structure opaque, human text (`description`, `enum`, `default`, …) redacted. */
export const JSON_SCHEMA: NodeSpec = {
  doc: "JSON Schema: keywords (`type`, `format`, `required`, `$ref`, `pattern`, …) opaque; `description`, `title`, `enum`, `const`, `default`, `examples` redacted",
  context: { role: "system", detect: "light" },
  fields: {
    type: opaque("JSON Schema keyword"),
    format: opaque("JSON Schema keyword"),
    required: opaque("property names, declared as keys of `properties`"),
    $ref: opaque("JSON Schema reference"),
    $schema: opaque("JSON Schema dialect"),
    $id: opaque("JSON Schema identifier"),
    pattern: opaque("regular expression the output must match"),
    additionalProperties: () => JSON_SCHEMA,
    properties: { other: () => JSON_SCHEMA },
    patternProperties: { other: () => JSON_SCHEMA },
    $defs: { other: () => JSON_SCHEMA },
    definitions: { other: () => JSON_SCHEMA },
    items: () => JSON_SCHEMA,
    prefixItems: { items: () => JSON_SCHEMA },
    anyOf: { items: () => JSON_SCHEMA },
    oneOf: { items: () => JSON_SCHEMA },
    allOf: { items: () => JSON_SCHEMA },
    not: () => JSON_SCHEMA,
  },
};

/** Structured tool data given as an object (Anthropic `tool_use.input`): strings, numbers and keys. */
export const TOOL_DATA: NodeSpec = { context: { data: true } };

/** A string holding JSON tool data (tool-call arguments, tool output): plain text when it is not JSON. */
export const JSON_TEXT: NodeSpec = { jsonText: true };

/**
 * Tool output that may be JSON text: a string, or content parts of `part`'s kinds whose `text` may be JSON
 * (a Chat `role: tool` message, a Responses `*_output` item, an Anthropic `tool_result`).
 */
export function jsonTextOrParts(part: NodeSpec): NodeSpec {
  return { ...JSON_TEXT, items: { ...part, fields: { ...part.fields, text: JSON_TEXT } } };
}

/** An OpenAI `input_audio` content part: base64 audio and its format. */
export const INPUT_AUDIO_PART: NodeSpec = {
  fields: { input_audio: { fields: { data: BASE64, format: ENUM } } },
};

/** The grammar of an OpenAI custom tool (`format: { type, syntax, definition }`): the definition is redacted. */
export const CUSTOM_TOOL_FORMAT: NodeSpec = { fields: { type: ENUM, syntax: ENUM } };

/** A URL that may be a `data:` URL (inline media). */
export const MEDIA_URL: NodeSpec = { media: true };

/** Caller-supplied labels and metadata: keys and values redacted with the rules. */
export const METADATA: NodeSpec = { context: { role: "system", detect: "light", data: true } };

/** Tool and format definitions: redacted with the rules (they are the caller's, and resent every turn). */
export const DEFINITION_CONTEXT: Partial<WalkContext> = { role: "system", detect: "light" };

/** Tool results the client sends: the tool's role, every detector (new data from outside). */
export const TOOL_OUTPUT_CONTEXT: Partial<WalkContext> = { role: "tool", detect: true };

/** Items that echo an earlier response (calls the model made): rules and known values only. */
export const ECHO_CONTEXT: Partial<WalkContext> = { role: "assistant", detect: "light" };

/** A message's role as the detectors know it (`function` is a tool; anything unknown counts as the user). */
export function messageRole(value: unknown): TextRole {
  switch (value) {
    case "system":
    case "developer":
    case "assistant":
    case "tool":
      return value;
    case "function":
      return "tool";
    default:
      return "user";
  }
}

/** The role of a message from its `role` field; assistant turns are echoes (rules and known values only). */
export function roleContext(
  roleOf: (role: unknown) => TextRole = messageRole,
): (obj: Readonly<Record<string, unknown>>) => Partial<WalkContext> {
  return (obj) => {
    const role = roleOf(obj.role);
    return { role, detect: role === "assistant" ? "light" : true };
  };
}

/** A variant: the base node's fields plus its own (its own win). */
export function extend(base: NodeSpec, spec: NodeSpec): NodeSpec {
  const { variants: _variants, ...rest } = base;
  return { ...rest, ...spec, fields: { ...base.fields, ...spec.fields } };
}

/** Variants that all share `base`'s fields. */
export function variantsOf(base: NodeSpec, variants: Record<string, NodeSpec>): Record<string, Spec> {
  return Object.fromEntries(Object.entries(variants).map(([k, v]) => [k, extend(base, v)]));
}

/**
 * `base` with variants chosen by its `variantKey` field (default `type`), each extending `base`; an
 * unknown value walks with `base` itself.
 */
export function withVariants(
  base: NodeSpec,
  variants: Record<string, NodeSpec>,
  variantKey?: string,
): NodeSpec {
  return {
    ...base,
    ...(variantKey === undefined ? {} : { variantKey }),
    variants: variantsOf(base, variants),
  };
}
