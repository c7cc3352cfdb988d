/**
 * Wire schema of `POST /v1/responses` (OpenAI Responses). Only what the proxy reads is checked; every other
 * field passes through unchanged. These wire types are not used as internal types.
 */
import { z } from "zod";

const InputItem = z.looseObject({ type: z.string().optional() });

/** The request body. `input` may be absent (a stored prompt or `previous_response_id` carries the turn). */
export const OpenAIResponsesRequest = z.looseObject({
  model: z.string().optional(),
  instructions: z.string().nullable().optional(),
  input: z.union([z.string(), z.array(InputItem)]).optional(),
  stream: z.boolean().nullable().optional(),
});
