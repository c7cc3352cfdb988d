/**
 * Wire schema of the legacy `POST /v1/completions` (OpenAI). Only what the proxy reads is checked; every
 * other field passes through unchanged. These wire types are not used as internal types.
 */
import { z } from "zod";
import { OpenAITextOrTokens } from "../openai/schema.js";

/** The legacy completions request body. */
export const OpenAICompletionsRequest = z.looseObject({
  model: z.string().optional(),
  prompt: OpenAITextOrTokens.nullable().optional(),
  suffix: z.string().nullable().optional(),
  stream: z.boolean().nullable().optional(),
});
export type OpenAICompletionsRequest = z.infer<typeof OpenAICompletionsRequest>;

/** A legacy completion (also one stream chunk): its choices. */
export const OpenAICompletionsResponse = z.looseObject({ choices: z.array(z.unknown()).nullish() });

/** One choice of a completion: its text. */
export const OpenAICompletionsChoice = z.looseObject({ text: z.string().nullish() });
