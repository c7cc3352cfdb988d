/**
 * Wire schema of `POST /v1/chat/completions` (OpenAI Chat Completions). Only what the proxy reads is checked;
 * every other field passes through unchanged. These wire types are not used as internal types.
 */
import { z } from "zod";

const ContentPart = z.looseObject({ type: z.string() });

const ToolCall = z.looseObject({
  function: z.looseObject({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
});

const Message = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(ToolCall).optional(),
});

/** The request body. */
export const OpenAIChatRequest = z.looseObject({
  model: z.string().optional(),
  messages: z.array(Message).min(1),
  stream: z.boolean().nullable().optional(),
});
