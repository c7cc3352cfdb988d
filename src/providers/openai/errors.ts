/**
 * OpenAI's error shape for a catalogue error: `{ error: { message, type, code, param } }`, for a JSON
 * answer and inside the final event of a failed stream.
 */
import type { ProxyError } from "../../errors/catalogue.js";

/** The OpenAI error body of a catalogue error (`type` and message from the catalogue, `param` null). */
export function openAIErrorBody(err: ProxyError): Record<string, unknown> {
  return { error: { message: err.message, type: err.type, code: err.code, param: null } };
}
