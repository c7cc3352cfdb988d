/**
 * Wire schema of `POST /v1/messages` and `POST /v1/messages/count_tokens` (Anthropic Messages). Only what
 * the proxy reads is checked; every other field passes through unchanged. These wire types are not used as
 * internal types.
 */
import { z } from "zod";

const ContentBlock = z.looseObject({ type: z.string() });

const Message = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(ContentBlock)]),
});

/** The request body of both routes (count_tokens takes the same fields, without `stream`). */
export const AnthropicMessagesRequest = z.looseObject({
  model: z.string().optional(),
  messages: z.array(Message),
  system: z.union([z.string(), z.array(ContentBlock)]).optional(),
  stream: z.boolean().optional(),
});
export type AnthropicMessagesRequest = z.infer<typeof AnthropicMessagesRequest>;

/** A Messages response (also the `message` of a `message_start` event): its content blocks. */
export const AnthropicMessagesResponse = z.looseObject({ content: z.array(z.unknown()).nullish() });

/** A content block of a response: its type picks what is restored. */
export const AnthropicBlock = z.looseObject({ type: z.string() });

/** A `text` block: its text and the quoted text of its citations. */
export const AnthropicTextBlock = z.looseObject({
  // Each read where it is restored, so an odd `citations` never hides the text (nor the reverse).
  text: z.unknown().optional(),
  citations: z.unknown().optional(),
});

/** A citation of a text block. */
export const AnthropicCitation = z.looseObject({ cited_text: z.string().nullish() });

/** A `tool_use` / `server_tool_use` block: its input, structured tool data. */
export const AnthropicToolUseBlock = z.looseObject({ input: z.unknown().optional() });
