/**
 * Wire schemas of `POST /v1/responses` (OpenAI Responses): the request, and the parts of a response (also
 * embedded in stream events) the proxy reads. Only what the proxy reads is checked; every other field passes
 * through unchanged. These wire types are not used as internal types.
 */
import { z } from "zod";

const InputItem = z.looseObject({ type: z.string().optional() });

/** A conversation given by id or as `{ id }`. */
const ConversationRef = z.union([z.string(), z.looseObject({ id: z.string().optional() })]);

/** The request body. `input` may be absent (a stored prompt or `previous_response_id` carries the turn). */
export const OpenAIResponsesRequest = z.looseObject({
  model: z.string().optional(),
  instructions: z.string().nullable().optional(),
  input: z.union([z.string(), z.array(InputItem)]).optional(),
  stream: z.boolean().nullable().optional(),
  previous_response_id: z.string().nullish(),
  conversation: ConversationRef.nullish(),
  text: z.looseObject({ format: z.looseObject({ type: z.string().optional() }).nullish() }).nullish(),
});
export type OpenAIResponsesRequest = z.infer<typeof OpenAIResponsesRequest>;

/** A response object: the output it carries. */
export const OpenAIResponsesResponse = z.looseObject({
  // Each read where it is restored, so one of an odd type never hides the other.
  output_text: z.unknown().optional(),
  output: z.unknown().optional(),
});

/** A response object: the ids it issues (read apart from the output, so an odd id never stops restoration). */
export const OpenAIResponsesIssued = z.looseObject({
  id: z.string().nullish(),
  conversation: ConversationRef.nullish(),
});
export type OpenAIResponsesIssued = z.infer<typeof OpenAIResponsesIssued>;

/** An output item: a message, a call, or a type the proxy leaves alone. */
export const OpenAIResponsesItem = z.looseObject({ type: z.string() });

/** A message item: its content parts. */
export const OpenAIResponsesMessage = z.looseObject({ content: z.array(z.unknown()).nullish() });

/** A function, MCP or custom tool call item: its arguments (JSON text) or its input (free text). */
export const OpenAIResponsesCall = z.looseObject({
  arguments: z.unknown().optional(),
  input: z.unknown().optional(),
});

/** A content part: `output_text` text, or a refusal. */
export const OpenAIResponsesPart = z.looseObject({
  type: z.string(),
  text: z.unknown().optional(),
  refusal: z.unknown().optional(),
});
