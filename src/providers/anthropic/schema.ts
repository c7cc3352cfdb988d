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
