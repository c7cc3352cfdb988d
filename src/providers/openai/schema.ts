/**
 * Wire pieces several OpenAI endpoints share: text given as a string or an array of strings — or token ids,
 * which carry no text and pass through (embeddings `input`, legacy completions `prompt`).
 */
import { z } from "zod";

/** A string, or an array of strings, token ids and token-id arrays. */
export const OpenAITextOrTokens = z.union([
  z.string(),
  z.array(z.union([z.string(), z.number(), z.array(z.number())])),
]);
