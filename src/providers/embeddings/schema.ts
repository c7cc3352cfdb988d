/**
 * Wire schemas of `POST /v1/embeddings` and the legacy `POST /v1/completions` (OpenAI). Both take text as a
 * string or an array of strings — or token ids, which carry no text and pass through. Only what the proxy
 * reads is checked; every other field passes through unchanged.
 */
import { z } from "zod";

const TextOrTokens = z.union([z.string(), z.array(z.union([z.string(), z.number(), z.array(z.number())]))]);

/** The embeddings request body. */
export const OpenAIEmbeddingsRequest = z.looseObject({
  model: z.string().optional(),
  input: TextOrTokens,
});

/** The legacy completions request body. */
export const OpenAICompletionsRequest = z.looseObject({
  model: z.string().optional(),
  prompt: TextOrTokens.nullable().optional(),
  suffix: z.string().nullable().optional(),
  stream: z.boolean().nullable().optional(),
});
