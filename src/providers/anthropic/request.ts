/**
 * Request coverage for Anthropic Messages (and count_tokens, batches): every string of the body is redacted
 * except the fields declared opaque here (ids, model and tool names, protocol enums, signed thinking, base64
 * media, MCP server credentials). `tool_use.input` is structured tool data (strings, numbers and keys);
 * `tool_result` content may be JSON text. Block types the adapter does not know are walked whole. Assistant
 * turns are echoes of earlier responses: only the light (rule) detector runs on them, plus masking of every
 * known value.
 */
import { collectCoverage, opaque, type NodeSpec } from "../shared/coverage.js";
import type { TextSlot } from "../shared/slots.js";
import * as spec from "../shared/specs.js";
import type { AnthropicMessagesRequest } from "./schema.js";

/** An image or document source: base64 data is opaque, plain text and URLs are redacted. */
const SOURCE: NodeSpec = spec.withVariants(
  { fields: { type: spec.ENUM, media_type: spec.ENUM, file_id: spec.FILE_ID } },
  {
    base64: { fields: { data: spec.BASE64 } },
    content: { fields: { content: { items: () => BLOCK } } },
  },
);

const CITATION: NodeSpec = {
  fields: {
    type: spec.ENUM,
    encrypted_index: opaque("encrypted index, issued by the API"),
    file_id: spec.FILE_ID,
  },
};

const BLOCK_BASE: NodeSpec = {
  fields: {
    type: spec.ENUM,
    id: spec.ID,
    tool_use_id: spec.ID,
    cache_control: spec.CACHE_CONTROL,
    citations: { items: CITATION },
    source: SOURCE,
    name: spec.TOOL_NAME,
    server_name: opaque("MCP server name declared in mcp_servers"),
  },
};

/** One content block; unknown block types are walked whole. */
const BLOCK: NodeSpec = spec.withVariants(BLOCK_BASE, {
  tool_use: { fields: { input: spec.TOOL_DATA } },
  server_tool_use: { fields: { input: spec.TOOL_DATA } },
  mcp_tool_use: { fields: { input: spec.TOOL_DATA } },
  tool_result: {
    context: spec.TOOL_OUTPUT_CONTEXT,
    fields: { content: () => TOOL_RESULT_CONTENT },
  },
  mcp_tool_result: {
    context: spec.TOOL_OUTPUT_CONTEXT,
    fields: { content: () => TOOL_RESULT_CONTENT },
  },
  thinking: {
    fields: {
      thinking: opaque("signed by the API: a changed thinking block is refused"),
      signature: opaque("signature of the thinking block"),
    },
  },
  redacted_thinking: { fields: { data: opaque("encrypted thinking, issued by the API") } },
  web_search_tool_result: {
    context: spec.TOOL_OUTPUT_CONTEXT,
    fields: {
      content: {
        items: {
          fields: {
            type: spec.ENUM,
            encrypted_content: opaque("encrypted search result, issued by the API"),
            page_age: opaque("date string"),
          },
        },
      },
    },
  },
  web_fetch_tool_result: {
    context: spec.TOOL_OUTPUT_CONTEXT,
    fields: {
      content: { fields: { type: spec.ENUM, retrieved_at: opaque("timestamp"), content: () => BLOCK } },
    },
  },
  search_result: { context: spec.TOOL_OUTPUT_CONTEXT, fields: { content: { items: () => BLOCK } } },
  container_upload: {},
});

/** A tool result's content: JSON text, or blocks whose text may be JSON. */
const TOOL_RESULT_CONTENT = spec.jsonTextOrParts(BLOCK);

const MESSAGE: NodeSpec = {
  context: spec.roleContext(),
  fields: { role: spec.ENUM, content: { items: BLOCK } },
};

const TOOL: NodeSpec = {
  context: spec.DEFINITION_CONTEXT,
  fields: {
    type: spec.ENUM,
    name: spec.TOOL_NAME,
    input_schema: spec.JSON_SCHEMA,
    cache_control: spec.CACHE_CONTROL,
    allowed_callers: spec.ENUM,
  },
};

/** The whole Messages request (also `count_tokens`, and each batch request's `params`). */
export const ANTHROPIC_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: {
    model: spec.MODEL,
    system: { context: { role: "system" }, items: BLOCK },
    messages: { items: MESSAGE },
    tools: { items: TOOL },
    tool_choice: { fields: { type: spec.ENUM, name: spec.TOOL_NAME } },
    thinking: { fields: { type: spec.ENUM } },
    service_tier: spec.ENUM,
    container: opaque("container id issued by the API"),
    metadata: spec.METADATA,
    mcp_servers: {
      items: {
        context: spec.DEFINITION_CONTEXT,
        fields: {
          type: spec.ENUM,
          name: opaque("MCP server name"),
          authorization_token: spec.MCP_CREDENTIAL,
          tool_configuration: { fields: { allowed_tools: spec.MCP_ALLOWED_TOOLS } },
        },
      },
    },
    context_management: {
      context: spec.DEFINITION_CONTEXT,
      fields: { edits: { items: { fields: { type: spec.ENUM } } } },
    },
  },
};

/** Every text slot of a Messages (or count_tokens) request, in document order. */
export function collectAnthropicSlots(body: AnthropicMessagesRequest): TextSlot[] {
  return collectCoverage(body, ANTHROPIC_REQUEST);
}
