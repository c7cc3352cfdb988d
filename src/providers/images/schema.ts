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
