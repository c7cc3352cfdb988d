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
import {
  BASE64,
  DEFINITION_CONTEXT,
  ENUM,
  FILE_ID,
  ID,
  JSON_SCHEMA,
  JSON_TEXT,
  MCP_CREDENTIAL,
  METADATA,
  MODEL,
  TOOL_DATA,
  TOOL_NAME,
  roleContext,
  variantsOf,
} from "../shared/specs.js";

const SOURCE_BASE: NodeSpec = { fields: { type: ENUM, media_type: ENUM, file_id: FILE_ID } };

/** An image or document source: base64 data is opaque, plain text and URLs are redacted. */
const SOURCE: NodeSpec = {
  ...SOURCE_BASE,
  variants: variantsOf(SOURCE_BASE, {
    base64: { fields: { data: BASE64 } },
    content: { fields: { content: { items: () => BLOCK } } },
  }),
};

const CITATION: NodeSpec = {
  fields: { type: ENUM, encrypted_index: opaque("encrypted index, issued by the API"), file_id: FILE_ID },
};

const BLOCK_BASE: NodeSpec = {
  fields: {
    type: ENUM,
    id: ID,
    tool_use_id: ID,
    cache_control: opaque("cache directive"),
    citations: { items: CITATION },
    source: SOURCE,
    name: TOOL_NAME,
    server_name: opaque("MCP server name declared in mcp_servers"),
  },
};

const TOOL_RESULT_CONTEXT = { role: "tool", detect: true } as const;

/** One content block; unknown block types are walked whole. */
const BLOCK: NodeSpec = {
  ...BLOCK_BASE,
  variants: variantsOf(BLOCK_BASE, {
    tool_use: { fields: { input: TOOL_DATA } },
    server_tool_use: { fields: { input: TOOL_DATA } },
    mcp_tool_use: { fields: { input: TOOL_DATA } },
    tool_result: {
      context: TOOL_RESULT_CONTEXT,
      fields: { content: { ...JSON_TEXT, items: () => TOOL_BLOCK } },
    },
    mcp_tool_result: {
      context: TOOL_RESULT_CONTEXT,
      fields: { content: { ...JSON_TEXT, items: () => TOOL_BLOCK } },
    },
    thinking: {
      fields: {
        thinking: opaque("signed by the API: a changed thinking block is refused"),
        signature: opaque("signature of the thinking block"),
      },
    },
    redacted_thinking: { fields: { data: opaque("encrypted thinking, issued by the API") } },
    web_search_tool_result: {
      context: TOOL_RESULT_CONTEXT,
      fields: {
        content: {
          items: {
            fields: {
              type: ENUM,
              encrypted_content: opaque("encrypted search result, issued by the API"),
              page_age: opaque("date string"),
            },
          },
        },
      },
    },
    web_fetch_tool_result: {
      context: TOOL_RESULT_CONTEXT,
      fields: {
        content: { fields: { type: ENUM, retrieved_at: opaque("timestamp"), content: () => BLOCK } },
      },
    },
    search_result: { context: TOOL_RESULT_CONTEXT, fields: { content: { items: () => BLOCK } } },
    container_upload: {},
  }),
};

/** Blocks inside a tool result: their text may be JSON. */
const TOOL_BLOCK: NodeSpec = { ...BLOCK, fields: { ...BLOCK.fields, text: JSON_TEXT } };

const MESSAGE: NodeSpec = {
  context: roleContext(),
  fields: { role: ENUM, content: { items: BLOCK } },
};

const TOOL: NodeSpec = {
  context: DEFINITION_CONTEXT,
  fields: {
    type: ENUM,
    name: TOOL_NAME,
    input_schema: JSON_SCHEMA,
    cache_control: opaque("cache directive"),
    allowed_callers: ENUM,
  },
};

/** The whole Messages request (also `count_tokens`, and each batch request's `params`). */
export const ANTHROPIC_REQUEST: NodeSpec = {
  context: { role: "user" },
  fields: {
    model: MODEL,
    system: { context: { role: "system" }, items: BLOCK },
    messages: { items: MESSAGE },
    tools: { items: TOOL },
    tool_choice: { fields: { type: ENUM, name: TOOL_NAME } },
    thinking: { fields: { type: ENUM } },
    service_tier: ENUM,
    container: opaque("container id issued by the API"),
    metadata: METADATA,
    mcp_servers: {
      items: {
        context: DEFINITION_CONTEXT,
        fields: {
          type: ENUM,
          name: opaque("MCP server name"),
          authorization_token: MCP_CREDENTIAL,
          tool_configuration: { fields: { allowed_tools: opaque("tool names of the MCP server") } },
        },
      },
    },
    context_management: {
      context: DEFINITION_CONTEXT,
      fields: { edits: { items: { fields: { type: ENUM } } } },
    },
  },
};

/** Every text slot of a Messages (or count_tokens) request, in document order. */
export function collectAnthropicSlots(body: Record<string, unknown>): TextSlot[] {
  return collectCoverage(body, ANTHROPIC_REQUEST);
}
