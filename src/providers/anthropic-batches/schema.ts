/**
 * Wire schema of `POST /v1/messages/batches` (Anthropic Message Batches): each request's `params` is a
 * Messages request. Only what the proxy reads is checked; every other field passes through unchanged.
 */
import { z } from "zod";
import { AnthropicMessagesRequest } from "../anthropic/schema.js";

/** The batch creation body. */
export const AnthropicBatchRequest = z.looseObject({
  requests: z.array(z.looseObject({ custom_id: z.string(), params: AnthropicMessagesRequest })),
});
