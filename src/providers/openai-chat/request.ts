/**
 * Request coverage for Chat Completions: every string of the body is redacted except the fields declared
 * opaque here (ids, model and tool names, protocol enums, base64 media). Tool-call arguments and `role: tool`
 * content are JSON tool data (strings, numbers and keys). Assistant turns are echoes of earlier responses:
 * only the light (rule) detector runs on them, plus masking of every known value.
 */
import { collectCoverage, opaque, type NodeSpec } from "../shared/coverage.js";
import type { TextSlot } from "../shared/slots.js";
import {
  BASE64,
  DEFINITION_CONTEXT,
  ENUM,
  FILE_ID,
  ID,
  JSON_SCHEMA,
  JSON_TEXT,
  MEDIA_URL,
  METADATA,
  MODEL,
  TOOL_NAME,
  roleContext,
  variantsOf,
} from "../shared/specs.js";

const PART_BASE: NodeSpec = { fields: { type: ENUM, cache_control: opaque("cache directive") } };

/** A content part; unknown part types are walked whole. */
const PART: NodeSpec = {
  ...PART_BASE,
  variants: variantsOf(PART_BASE, {
    image_url: { fields: { image_url: { fields: { url: MEDIA_URL, detail: ENUM } } } },
    input_audio: { fields: { input_audio: { fields: { data: BASE64, format: ENUM } } } },
    file: { fields: { file: { fields: { file_data: BASE64, file_id: FILE_ID } } } },
  }),
};

const CONTENT: NodeSpec = { items: PART };

const TOOL_CALL: NodeSpec = {
  fields: {
    id: ID,
    type: ENUM,
    function: { fields: { name: TOOL_NAME, arguments: JSON_TEXT } },
    custom: { fields: { name: TOOL_NAME } },
  },
};

const MESSAGE_BASE: NodeSpec = {
  context: roleContext(),
  fields: {
    role: ENUM,
    tool_call_id: ID,
    content: CONTENT,
    tool_calls: { items: TOOL_CALL },
    function_call: { fields: { name: TOOL_NAME, arguments: JSON_TEXT } },
    audio: { fields: { id: ID } },
  },
};

/** Tool output may be JSON text: a string or the text of its parts. */
const TOOL_CONTENT: NodeSpec = {
  ...JSON_TEXT,
  items: { ...PART, fields: { ...PART.fields, text: JSON_TEXT } },
};

const MESSAGE: NodeSpec = {
  ...MESSAGE_BASE,
  variantKey: "role",
  variants: variantsOf(MESSAGE_BASE, {
    tool: { fields: { content: TOOL_CONTENT } },
    function: { fields: { name: TOOL_NAME, content: TOOL_CONTENT } },
  }),
};

const TOOL: NodeSpec = {
  context: DEFINITION_CONTEXT,
  fields: {
    type: ENUM,
    function: { fields: { name: TOOL_NAME, parameters: JSON_SCHEMA, strict: ENUM } },
    custom: { fields: { name: TOOL_NAME, format: { fields: { type: ENUM, syntax: ENUM } } } },
  },
};

/** The whole Chat Completions request. */
export const CHAT_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: {
    model: MODEL,
    messages: { items: MESSAGE },
    tools: { items: TOOL },
    functions: {
      items: { context: DEFINITION_CONTEXT, fields: { name: TOOL_NAME, parameters: JSON_SCHEMA } },
    },
    tool_choice: opaque("`auto`, `none`, `required` or a tool name"),
    function_call: opaque("`auto`, `none` or a function name"),
    response_format: {
      context: DEFINITION_CONTEXT,
      fields: {
        type: ENUM,
        json_schema: { fields: { name: opaque("schema name"), schema: JSON_SCHEMA, strict: ENUM } },
      },
    },
    reasoning_effort: ENUM,
    service_tier: ENUM,
    modalities: ENUM,
    verbosity: ENUM,
    prompt_cache_retention: ENUM,
    audio: { fields: { voice: opaque("voice name"), format: ENUM } },
    prediction: { fields: { type: ENUM, content: CONTENT } },
    metadata: METADATA,
    web_search_options: {
      fields: { search_context_size: ENUM, user_location: { fields: { type: ENUM } } },
    },
    logit_bias: opaque("token ids and numeric biases"),
  },
};

/** Every text slot of a chat request, in document order. */
export function collectChatSlots(body: Record<string, unknown>): TextSlot[] {
  return collectCoverage(body, CHAT_REQUEST);
}
