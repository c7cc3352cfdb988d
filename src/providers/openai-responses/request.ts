/**
 * Request coverage for OpenAI Responses: every string of the body is redacted except the fields declared
 * opaque here (ids, model and tool names, protocol enums, encrypted reasoning, base64 media, MCP server
 * credentials). Function and tool-call arguments and tool outputs are JSON tool data (strings, numbers and
 * keys). Item types the adapter does not know are walked whole. Assistant items are echoes of earlier
 * responses: only the light (rule) detector runs on them, plus masking of every known value.
 */
import { collectCoverage, opaque, type NodeSpec } from "../shared/coverage.js";
import type { TextSlot } from "../shared/slots.js";
import * as spec from "../shared/specs.js";
import type { OpenAIResponsesRequest } from "./schema.js";

/** A content part of a message or a tool output; unknown part types are walked whole. */
const PART: NodeSpec = spec.withVariants(
  { fields: { type: spec.ENUM, file_id: spec.FILE_ID, detail: spec.ENUM } },
  {
    output_text: {
      fields: {
        logprobs: opaque("token log-probabilities"),
        annotations: { items: { fields: { type: spec.ENUM, file_id: spec.FILE_ID, container_id: spec.ID } } },
      },
    },
    input_image: { fields: { image_url: spec.MEDIA_URL } },
    input_file: { fields: { file_data: spec.BASE64, file_url: spec.MEDIA_URL } },
    input_audio: spec.INPUT_AUDIO_PART,
  },
);

/** Tool output: JSON text, or parts whose text may be JSON. */
const OUTPUT = spec.jsonTextOrParts(PART);

/** Safety checks of a computer call: issued by the API, echoed back when acknowledged. */
const SAFETY_CHECKS: NodeSpec = { items: { fields: { id: spec.ID, code: spec.ENUM } } };

const ITEM_BASE: NodeSpec = {
  context: spec.roleContext(),
  fields: {
    type: spec.ENUM,
    id: spec.ID,
    call_id: spec.ID,
    status: spec.ENUM,
    role: spec.ENUM,
    content: { items: PART },
    approval_request_id: spec.ID,
    server_label: opaque("MCP server label declared in tools"),
    name: spec.TOOL_NAME,
    container_id: spec.ID,
  },
};

/** One input item; unknown item types are walked whole. */
const ITEM: NodeSpec = spec.withVariants(ITEM_BASE, {
  function_call: { context: spec.ECHO_CONTEXT, fields: { arguments: spec.JSON_TEXT } },
  function_call_output: { context: spec.TOOL_OUTPUT_CONTEXT, fields: { output: OUTPUT } },
  custom_tool_call: { context: spec.ECHO_CONTEXT },
  custom_tool_call_output: { context: spec.TOOL_OUTPUT_CONTEXT, fields: { output: OUTPUT } },
  reasoning: {
    context: spec.ECHO_CONTEXT,
    fields: { encrypted_content: opaque("encrypted reasoning, issued by the API") },
  },
  computer_call: {
    context: spec.ECHO_CONTEXT,
    fields: { pending_safety_checks: SAFETY_CHECKS },
  },
  computer_call_output: {
    context: spec.TOOL_OUTPUT_CONTEXT,
    fields: {
      output: { fields: { type: spec.ENUM, image_url: spec.MEDIA_URL, file_id: spec.FILE_ID } },
      acknowledged_safety_checks: SAFETY_CHECKS,
    },
  },
  local_shell_call: { context: spec.ECHO_CONTEXT },
  local_shell_call_output: { context: spec.TOOL_OUTPUT_CONTEXT, fields: { output: OUTPUT } },
  shell_call: { context: spec.ECHO_CONTEXT },
  shell_call_output: { context: spec.TOOL_OUTPUT_CONTEXT },
  apply_patch_call: { context: spec.ECHO_CONTEXT },
  apply_patch_call_output: { context: spec.TOOL_OUTPUT_CONTEXT, fields: { output: OUTPUT } },
  mcp_call: { context: spec.ECHO_CONTEXT, fields: { arguments: spec.JSON_TEXT, output: OUTPUT } },
  mcp_approval_request: { context: spec.ECHO_CONTEXT, fields: { arguments: spec.JSON_TEXT } },
  mcp_list_tools: {
    context: spec.ECHO_CONTEXT,
    fields: {
      tools: {
        items: { fields: { name: spec.TOOL_NAME, input_schema: spec.JSON_SCHEMA, annotations: spec.ENUM } },
      },
    },
  },
  image_generation_call: { context: spec.ECHO_CONTEXT, fields: { result: spec.BASE64 } },
  code_interpreter_call: { context: spec.ECHO_CONTEXT },
  web_search_call: { context: spec.ECHO_CONTEXT },
  file_search_call: { context: spec.ECHO_CONTEXT },
  item_reference: {},
});

const TOOL_BASE: NodeSpec = {
  context: spec.DEFINITION_CONTEXT,
  fields: { type: spec.ENUM, name: spec.TOOL_NAME, parameters: spec.JSON_SCHEMA, strict: spec.ENUM },
};

/** Tool definitions; unknown tool types are walked whole. */
const TOOL: NodeSpec = spec.withVariants(TOOL_BASE, {
  custom: { fields: { format: spec.CUSTOM_TOOL_FORMAT } },
  file_search: { fields: { vector_store_ids: opaque("vector store ids issued by the API") } },
  mcp: {
    fields: {
      server_label: opaque("MCP server label"),
      headers: spec.MCP_CREDENTIAL,
      authorization: spec.MCP_CREDENTIAL,
      connector_id: spec.ID,
      require_approval: spec.ENUM,
      allowed_tools: spec.MCP_ALLOWED_TOOLS,
    },
  },
  code_interpreter: { fields: { container: opaque("container id or settings") } },
});

/** The whole Responses request (and `input_tokens`). */
export const RESPONSES_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: {
    model: spec.MODEL,
    instructions: { context: { role: "system" } },
    input: { items: ITEM },
    tools: { items: TOOL },
    tool_choice: spec.TOOL_CHOICE,
    previous_response_id: spec.ID,
    conversation: opaque("conversation id issued by the API"),
    include: opaque("list of protocol enums"),
    reasoning: { fields: { effort: spec.ENUM, summary: spec.ENUM, generate_summary: spec.ENUM } },
    text: {
      context: spec.DEFINITION_CONTEXT,
      fields: {
        verbosity: spec.ENUM,
        format: {
          fields: { type: spec.ENUM, name: spec.SCHEMA_NAME, schema: spec.JSON_SCHEMA, strict: spec.ENUM },
        },
      },
    },
    prompt: { fields: { id: spec.ID, version: opaque("stored prompt version") } },
    metadata: spec.METADATA,
    service_tier: spec.ENUM,
    truncation: spec.ENUM,
    prompt_cache_retention: spec.ENUM,
    stream_options: spec.ENUM,
  },
};

/** Every text slot of a Responses request, in document order. */
export function collectResponsesSlots(body: OpenAIResponsesRequest): TextSlot[] {
  return collectCoverage(body, RESPONSES_REQUEST);
}
