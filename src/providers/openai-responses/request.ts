/**
 * Request coverage for OpenAI Responses: every string of the body is redacted except the fields declared
 * opaque here (ids, model and tool names, protocol enums, encrypted reasoning, base64 media, MCP server
 * credentials). Function and tool-call arguments and tool outputs are JSON tool data (strings, numbers and
 * keys). Item types the adapter does not know are walked whole. Assistant items are echoes of earlier
 * responses: only the light (rule) detector runs on them, plus masking of every known value.
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
  MCP_CREDENTIAL,
  MEDIA_URL,
  METADATA,
  MODEL,
  TOOL_NAME,
  roleContext,
  variantsOf,
} from "../shared/specs.js";

const PART_BASE: NodeSpec = { fields: { type: ENUM, file_id: FILE_ID, detail: ENUM } };

/** A content part of a message or a tool output; unknown part types are walked whole. */
const PART: NodeSpec = {
  ...PART_BASE,
  variants: variantsOf(PART_BASE, {
    output_text: {
      fields: {
        logprobs: opaque("token log-probabilities"),
        annotations: { items: { fields: { type: ENUM, file_id: FILE_ID, container_id: ID } } },
      },
    },
    input_image: { fields: { image_url: MEDIA_URL } },
    input_file: { fields: { file_data: BASE64, file_url: MEDIA_URL } },
    input_audio: { fields: { input_audio: { fields: { data: BASE64, format: ENUM } } } },
  }),
};

/** Tool output: JSON text, or parts whose text may be JSON. */
const OUTPUT: NodeSpec = { ...JSON_TEXT, items: { ...PART, fields: { ...PART.fields, text: JSON_TEXT } } };

const TOOL_OUTPUT_CONTEXT = { role: "tool", detect: true } as const;
const ECHO_CONTEXT = { role: "assistant", detect: "light" } as const;

const ITEM_BASE: NodeSpec = {
  context: roleContext(),
  fields: {
    type: ENUM,
    id: ID,
    call_id: ID,
    status: ENUM,
    role: ENUM,
    content: { items: PART },
    approval_request_id: ID,
    server_label: opaque("MCP server label declared in tools"),
    name: TOOL_NAME,
    container_id: ID,
  },
};

/** One input item; unknown item types are walked whole. */
const ITEM: NodeSpec = {
  ...ITEM_BASE,
  variants: variantsOf(ITEM_BASE, {
    function_call: { context: ECHO_CONTEXT, fields: { arguments: JSON_TEXT } },
    function_call_output: { context: TOOL_OUTPUT_CONTEXT, fields: { output: OUTPUT } },
    custom_tool_call: { context: ECHO_CONTEXT },
    custom_tool_call_output: { context: TOOL_OUTPUT_CONTEXT, fields: { output: OUTPUT } },
    reasoning: {
      context: ECHO_CONTEXT,
      fields: { encrypted_content: opaque("encrypted reasoning, issued by the API") },
    },
    computer_call: {
      context: ECHO_CONTEXT,
      fields: { pending_safety_checks: { items: { fields: { id: ID, code: ENUM } } } },
    },
    computer_call_output: {
      context: TOOL_OUTPUT_CONTEXT,
      fields: {
        output: { fields: { type: ENUM, image_url: MEDIA_URL, file_id: FILE_ID } },
        acknowledged_safety_checks: { items: { fields: { id: ID, code: ENUM } } },
      },
    },
    local_shell_call: { context: ECHO_CONTEXT },
    local_shell_call_output: { context: TOOL_OUTPUT_CONTEXT, fields: { output: OUTPUT } },
    shell_call: { context: ECHO_CONTEXT },
    shell_call_output: { context: TOOL_OUTPUT_CONTEXT },
    apply_patch_call: { context: ECHO_CONTEXT },
    apply_patch_call_output: { context: TOOL_OUTPUT_CONTEXT, fields: { output: OUTPUT } },
    mcp_call: { context: ECHO_CONTEXT, fields: { arguments: JSON_TEXT, output: OUTPUT } },
    mcp_approval_request: { context: ECHO_CONTEXT, fields: { arguments: JSON_TEXT } },
    mcp_list_tools: {
      context: ECHO_CONTEXT,
      fields: {
        tools: { items: { fields: { name: TOOL_NAME, input_schema: JSON_SCHEMA, annotations: ENUM } } },
      },
    },
    image_generation_call: { context: ECHO_CONTEXT, fields: { result: BASE64 } },
    code_interpreter_call: { context: ECHO_CONTEXT },
    web_search_call: { context: ECHO_CONTEXT },
    file_search_call: { context: ECHO_CONTEXT },
    item_reference: {},
  }),
};

const TOOL_BASE: NodeSpec = {
  context: DEFINITION_CONTEXT,
  fields: { type: ENUM, name: TOOL_NAME, parameters: JSON_SCHEMA, strict: ENUM },
};

/** Tool definitions; unknown tool types are walked whole. */
const TOOL: NodeSpec = {
  ...TOOL_BASE,
  variants: variantsOf(TOOL_BASE, {
    custom: { fields: { format: { fields: { type: ENUM, syntax: ENUM } } } },
    file_search: { fields: { vector_store_ids: opaque("vector store ids issued by the API") } },
    mcp: {
      fields: {
        server_label: opaque("MCP server label"),
        headers: MCP_CREDENTIAL,
        authorization: MCP_CREDENTIAL,
        connector_id: ID,
        require_approval: ENUM,
        allowed_tools: opaque("tool names of the MCP server"),
      },
    },
    code_interpreter: { fields: { container: opaque("container id or settings") } },
  }),
};

/** The whole Responses request (and `input_tokens`). */
export const RESPONSES_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: {
    model: MODEL,
    instructions: { context: { role: "system" } },
    input: { items: ITEM },
    tools: { items: TOOL },
    tool_choice: opaque("`auto`, `none`, `required` or a tool name"),
    previous_response_id: ID,
    conversation: opaque("conversation id issued by the API"),
    include: opaque("list of protocol enums"),
    reasoning: { fields: { effort: ENUM, summary: ENUM, generate_summary: ENUM } },
    text: {
      context: DEFINITION_CONTEXT,
      fields: {
        verbosity: ENUM,
        format: { fields: { type: ENUM, name: opaque("schema name"), schema: JSON_SCHEMA, strict: ENUM } },
      },
    },
    prompt: { fields: { id: ID, version: opaque("stored prompt version") } },
    metadata: METADATA,
    service_tier: ENUM,
    truncation: ENUM,
    prompt_cache_retention: ENUM,
    stream_options: ENUM,
  },
};

/** Every text slot of a Responses request, in document order. */
export function collectResponsesSlots(body: Record<string, unknown>): TextSlot[] {
  return collectCoverage(body, RESPONSES_REQUEST);
}
