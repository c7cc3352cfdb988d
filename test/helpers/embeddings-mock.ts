/**
 * An OpenAI embeddings and legacy completions mock for the mock upstream: embeddings are deterministic
 * vectors of each input (float arrays, or base64 when asked — the official client asks for base64);
 * completions echo the prompt, as one object or as a stream of small chunks.
 */
import { createHash } from "node:crypto";
import type http from "node:http";
import { sendJson, sendSse, sseWire, type Recorded } from "./mock-upstream.js";
import { pieces } from "./openai-mock.js";

const DIMENSIONS = 8;

/** A deterministic vector for an input (same input → same vector). */
export function vectorOf(input: unknown): number[] {
  const digest = createHash("sha256").update(JSON.stringify(input)).digest();
  return [...digest.subarray(0, DIMENSIONS)].map((b) => b / 255);
}

function base64Of(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}

/** Handles `/v1/embeddings`. */
export function embeddingsEcho(req: Recorded, res: http.ServerResponse): void {
  const body = JSON.parse(req.body) as { model?: string; input: unknown; encoding_format?: string };
  const inputs: unknown[] =
    Array.isArray(body.input) && !body.input.every((v) => typeof v === "number") ? body.input : [body.input];
  sendJson(res, 200, {
    object: "list",
    data: inputs.map((input, index) => ({
      object: "embedding",
      index,
      embedding: body.encoding_format === "base64" ? base64Of(vectorOf(input)) : vectorOf(input),
    })),
    model: body.model ?? "text-embedding-test",
    usage: { prompt_tokens: 8, total_tokens: 8 },
  });
}

/** Handles `/v1/completions` like a model that repeats its prompt(s). */
export async function completionsEcho(req: Recorded, res: http.ServerResponse): Promise<void> {
  const body = JSON.parse(req.body) as { model?: string; prompt?: unknown; stream?: boolean };
  const prompts = Array.isArray(body.prompt) ? body.prompt : [body.prompt];
  const texts = prompts.map((p) => `You said: ${typeof p === "string" ? p : JSON.stringify(p)}`);
  const base = {
    id: "cmpl-1",
    object: "text_completion",
    created: 1589478378,
    model: body.model ?? "gpt-test-instruct",
  };
  if (body.stream !== true) {
    sendJson(res, 200, {
      ...base,
      choices: texts.map((text, index) => ({ text, index, logprobs: null, finish_reason: "stop" })),
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
    });
    return;
  }
  const events: unknown[] = [];
  texts.forEach((text, index) => {
    for (const p of pieces(text, 3))
      events.push({ ...base, choices: [{ text: p, index, logprobs: null, finish_reason: null }] });
    events.push({ ...base, choices: [{ text: "", index, logprobs: null, finish_reason: "stop" }] });
  });
  await sendSse(res, sseWire(events));
}

/** Routes `/v1/embeddings` and `/v1/completions` to their mocks. */
export async function embeddingsAndCompletionsEcho(req: Recorded, res: http.ServerResponse): Promise<void> {
  if (req.url.startsWith("/v1/embeddings")) embeddingsEcho(req, res);
  else if (req.url.startsWith("/v1/moderations")) moderationsVerdicts(req, res);
  else await completionsEcho(req, res);
}

/** Handles `/v1/moderations`: one verdict per input (flagged when it holds "attack"), no text echoed. */
export function moderationsVerdicts(req: Recorded, res: http.ServerResponse): void {
  const body = JSON.parse(req.body) as { model?: string; input: unknown };
  const inputs = Array.isArray(body.input) ? (body.input as unknown[]) : [body.input];
  sendJson(res, 200, {
    id: "modr-test",
    model: body.model ?? "omni-moderation-test",
    results: inputs.map((input) => {
      const flagged = JSON.stringify(input).includes("attack");
      return {
        flagged,
        categories: { violence: flagged, harassment: false },
        category_scores: { violence: flagged ? 0.9 : 0.01, harassment: 0.01 },
        category_applied_input_types: { violence: ["text"], harassment: ["text"] },
      };
    }),
  });
}
