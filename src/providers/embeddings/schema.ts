/**
 * Wire schema of `POST /v1/embeddings` (OpenAI). Only what the proxy reads is checked; every other field
 * passes through unchanged. These wire types are not used as internal types.
 */
import { z } from "zod";
import { OpenAITextOrTokens } from "../openai/schema.js";

/** The embeddings request body. */
export const OpenAIEmbeddingsRequest = z.looseObject({
  model: z.string().optional(),
  input: OpenAITextOrTokens,
});
export type OpenAIEmbeddingsRequest = z.infer<typeof OpenAIEmbeddingsRequest>;
