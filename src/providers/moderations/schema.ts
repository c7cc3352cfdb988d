/**
 * Wire schema of `POST /v1/moderations` (OpenAI): `input` is a string, an array of strings, or an array of
 * multimodal parts (`{type: "text", text}`, `{type: "image_url", …}`). Only what the proxy reads is
 * checked; every other field passes through unchanged.
 */
import { z } from "zod";

const Part = z.looseObject({ type: z.string() });

/** The moderations request body. */
export const OpenAIModerationsRequest = z.looseObject({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(z.union([z.string(), Part]))]),
});
export type OpenAIModerationsRequest = z.infer<typeof OpenAIModerationsRequest>;
