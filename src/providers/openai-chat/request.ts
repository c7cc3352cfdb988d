/**
 * Request coverage for Chat Completions: every string of the body is redacted except the fields declared
 * opaque here (ids, model and tool names, protocol enums, base64 media). Tool-call arguments and `role: tool`
 * content are JSON tool data (strings, numbers and keys). Assistant turns are echoes of earlier responses:
 * only the light (rule) detector runs on them, plus masking of every known value.
 */
import { collectCoverage, opaque, type NodeSpec } from "../shared/coverage.js";
import type { TextSlot } from "../shared/slots.js";
import * as spec from "../shared/specs.js";
import type { OpenAIChatRequest } from "./schema.js";

/** A content part; unknown part types are walked whole. */
const PART: NodeSpec = spec.withVariants(
  { fields: { type: spec.ENUM, cache_control: spec.CACHE_CONTROL } },
  {
    image_url: { fields: { image_url: { fields: { url: spec.MEDIA_URL, detail: spec.ENUM } } } },
    input_audio: spec.INPUT_AUDIO_PART,
    file: { fields: { file: { fields: { file_data: spec.BASE64, file_id: spec.FILE_ID } } } },
  },
);

const CONTENT: NodeSpec = { items: PART };

const TOOL_CALL: NodeSpec = {
  fields: {
    id: spec.ID,
    type: spec.ENUM,
    function: { fields: { name: spec.TOOL_NAME, arguments: spec.JSON_TEXT } },
    custom: { fields: { name: spec.TOOL_NAME } },
  },
};

const MESSAGE_BASE: NodeSpec = {
  context: spec.roleContext(),
  fields: {
    role: spec.ENUM,
    tool_call_id: spec.ID,
    content: CONTENT,
    tool_calls: { items: TOOL_CALL },
    function_call: { fields: { name: spec.TOOL_NAME, arguments: spec.JSON_TEXT } },
    audio: { fields: { id: spec.ID } },
  },
};

/** Tool output may be JSON text: a string or the text of its parts. */
const TOOL_CONTENT = spec.jsonTextOrParts(PART);

const MESSAGE: NodeSpec = spec.withVariants(
  MESSAGE_BASE,
  {
    tool: { fields: { content: TOOL_CONTENT } },
    function: { fields: { name: spec.TOOL_NAME, content: TOOL_CONTENT } },
  },
  "role",
);

const TOOL: NodeSpec = {
  context: spec.DEFINITION_CONTEXT,
  fields: {
    type: spec.ENUM,
    function: { fields: { name: spec.TOOL_NAME, parameters: spec.JSON_SCHEMA, strict: spec.ENUM } },
    custom: { fields: { name: spec.TOOL_NAME, format: spec.CUSTOM_TOOL_FORMAT } },
  },
};

/** The whole Chat Completions request. */
export const CHAT_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: {
    model: spec.MODEL,
    messages: { items: MESSAGE },
    tools: { items: TOOL },
    functions: {
      items: {
        context: spec.DEFINITION_CONTEXT,
        fields: { name: spec.TOOL_NAME, parameters: spec.JSON_SCHEMA },
      },
    },
    tool_choice: spec.TOOL_CHOICE,
    function_call: opaque("`auto`, `none` or a function name"),
    response_format: {
      context: spec.DEFINITION_CONTEXT,
      fields: {
        type: spec.ENUM,
        json_schema: { fields: { name: spec.SCHEMA_NAME, schema: spec.JSON_SCHEMA, strict: spec.ENUM } },
      },
    },
    reasoning_effort: spec.ENUM,
    service_tier: spec.ENUM,
    modalities: spec.ENUM,
    verbosity: spec.ENUM,
    prompt_cache_retention: spec.ENUM,
    audio: { fields: { voice: opaque("voice name"), format: spec.ENUM } },
    prediction: { fields: { type: spec.ENUM, content: CONTENT } },
    metadata: spec.METADATA,
    web_search_options: {
      fields: { search_context_size: spec.ENUM, user_location: { fields: { type: spec.ENUM } } },
    },
    logit_bias: spec.LOGIT_BIAS,
  },
};

/** Every text slot of a chat request, in document order. */
export function collectChatSlots(body: OpenAIChatRequest): TextSlot[] {
  return collectCoverage(body, CHAT_REQUEST);
}
