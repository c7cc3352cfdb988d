/**
 * Wire schemas of `POST /v1/chat/completions` (OpenAI Chat Completions): the request, and the parts of a
 * response the proxy restores. Only what the proxy reads is checked; every other field passes through
 * unchanged. These wire types are not used as internal types.
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
  response_format: z.looseObject({ type: z.string().optional() }).nullish(),
});
export type OpenAIChatRequest = z.infer<typeof OpenAIChatRequest>;

/** A tool call's `function`, or a legacy `function_call`: its arguments (JSON text). */
export const OpenAIChatArguments = z.looseObject({ arguments: z.unknown().optional() });

/**
 * A message of a response choice (also the shape of a stream `delta`): the fields that carry text. Each is
 * read where it is restored (a leaf only when it is a string), so one field of an odd type never hides another.
 */
export const OpenAIChatMessage = z.looseObject({
  content: z.unknown().optional(),
  refusal: z.unknown().optional(),
  tool_calls: z.unknown().optional(),
  function_call: z.unknown().optional(),
});
export type OpenAIChatMessage = z.infer<typeof OpenAIChatMessage>;

/** A content part of a response message. */
export const OpenAIChatPart = z.looseObject({
  text: z.unknown().optional(),
  refusal: z.unknown().optional(),
});

/** A tool call of a response message. */
export const OpenAIChatToolCall = z.looseObject({ function: z.unknown().optional() });

/** A choice of a chat completion. */
export const OpenAIChatChoice = z.looseObject({ message: z.unknown().optional() });

/** A chat completion: its choices. */
export const OpenAIChatResponse = z.looseObject({ choices: z.array(z.unknown()).nullish() });
