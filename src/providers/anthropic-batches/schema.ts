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
export type AnthropicBatchRequest = z.infer<typeof AnthropicBatchRequest>;

/** A batch object: its id, and where its results are fetched. */
export const AnthropicBatch = z.looseObject({ id: z.string().nullish(), results_url: z.string().nullish() });
export type AnthropicBatch = z.infer<typeof AnthropicBatch>;

/** A list of batch objects. */
export const AnthropicBatchList = z.looseObject({ data: z.array(z.unknown()).nullish() });

/** One line of a results file: the request's `custom_id` and, when it succeeded, its message. */
export const AnthropicBatchResult = z.looseObject({
  custom_id: z.string().nullish(),
  result: z.looseObject({ message: z.unknown().optional() }).nullish(),
});
