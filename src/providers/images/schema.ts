/**
 * Wire schema of `POST /v1/images/generations` (OpenAI): a text `prompt` and image options. Only what the
 * proxy reads is checked; every other field passes through unchanged. (Edits and variations are multipart
 * uploads of images: they stay on the passthrough.)
 */
import { z } from "zod";

/** The image generation request body. */
export const OpenAIImagesRequest = z.looseObject({
  model: z.string().optional(),
  prompt: z.string(),
  stream: z.boolean().nullable().optional(),
});
export type OpenAIImagesRequest = z.infer<typeof OpenAIImagesRequest>;

/** An image generation response: its image records. */
export const OpenAIImagesResponse = z.looseObject({ data: z.array(z.unknown()).nullish() });

/** One image record (also a stream event's payload): the prompt the model actually used. */
export const OpenAIImageRecord = z.looseObject({ revised_prompt: z.string().nullish() });
