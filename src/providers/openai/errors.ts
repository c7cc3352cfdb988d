/**
 * OpenAI's error shape for a catalogue error: `{ error: { message, type, code, param } }`, for a JSON
 * answer and inside the final event of a failed stream.
 */
import type { ProxyError } from "../../errors/catalogue.js";

/** OpenAI's error object, as its API sends it. */
export interface OpenAIErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly code: string;
    readonly param: null;
  };
}

/** The OpenAI error body of a catalogue error (`type` and message from the catalogue, `param` null). */
export function openAIErrorBody(err: ProxyError): OpenAIErrorBody {
  return { error: { message: err.message, type: err.type, code: err.code, param: null } };
}
