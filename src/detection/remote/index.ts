/**
 * The remote MemPrivacy detector: the same input/output contract as the local model, sent to an
 * OpenAI-compatible `/v1/chat/completions` server (vLLM, llama.cpp server) with JSON-schema structured
 * output and the paper's decoding settings. Fails closed like the local detector.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isProxyError, proxyError } from "../../errors/catalogue.js";
import type { Detector, DetectorInfo, DetectInput, Span } from "../span.js";
import { DEFAULT_INSTRUCTIONS, hashInstructions } from "../model/instructions.js";
import { findingsToSpans, ModelOutputError, OUTPUT_SCHEMA, parseModelOutput } from "../model/output.js";
import { buildUserText } from "../model/prompt.js";

/** Options of {@link createRemoteDetector}. */
export interface RemoteDetectorOptions {
  /** Server base URL (`http://host:8000`, `…/v1`, or the full `…/v1/chat/completions`). */
  readonly url: string;
  /** Model name as the server knows it. */
  readonly model: string;
  /** Sent as a bearer token; never logged. */
  readonly apiKey?: string;
  /** Deadline of one detect call (configuration: `detectTimeoutMs`). */
  readonly timeoutMs: number;
  /** Instruction file replacing our default text. */
  readonly instructionsFile?: string;
  /** Generation cap; a truncated answer is a failure (configuration: `modelMaxTokens`). */
  readonly maxTokens: number;
}

/** Resolves the chat-completions URL from a base URL. */
export function chatCompletionsUrl(url: string): string {
  const base = url.replace(/\/+$/, "");
  if (base.endsWith("/chat/completions")) return base;
  if (base.endsWith("/v1")) return `${base}/chat/completions`;
  return `${base}/v1/chat/completions`;
}

/** The request body for one turn (exported for tests and documentation). */
export function buildRemoteRequest(
  model: string,
  instructions: string,
  input: DetectInput,
  maxTokens: number,
): Record<string, unknown> {
  return {
    model,
    messages: [
      {
        role: "user",
        content: buildUserText(instructions, input.text, input.userName, input.role ?? "user"),
      },
    ],
    temperature: 0.1,
    top_p: 0.1,
    // Not part of the OpenAI API: vLLM and llama.cpp server accept it; others ignore unknown fields.
    repetition_penalty: 1.05,
    max_tokens: maxTokens,
    stream: false,
    response_format: {
      type: "json_schema",
      json_schema: { name: "privacy_findings", strict: true, schema: OUTPUT_SCHEMA },
    },
    chat_template_kwargs: { enable_thinking: false },
  };
}

/** Extracts the answer text from a chat-completions response; throws when absent or truncated. */
function answerOf(body: unknown): string {
  const choice = (body as { choices?: unknown[] } | null)?.choices?.[0] as
    { message?: { content?: unknown }; finish_reason?: unknown } | undefined;
  if (choice?.finish_reason === "length")
    throw proxyError("PRX_DETECT_FAILED", { detail: "answer truncated" });
  const content = choice?.message?.content;
  if (typeof content !== "string") throw proxyError("PRX_DETECT_FAILED", { detail: "no answer in response" });
  // Tolerate one markdown code fence around the JSON; anything else fails the parse.
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(content);
  return fenced?.[1] ?? content.trim();
}

/** Creates the remote detector; reads the instruction file at once (PRX_CONFIG_INVALID when unreadable). */
export function createRemoteDetector(options: RemoteDetectorOptions): Detector {
  let instructions = DEFAULT_INSTRUCTIONS;
  if (options.instructionsFile !== undefined) {
    try {
      instructions = readFileSync(options.instructionsFile, "utf8").replace(/\s+$/u, "");
    } catch (cause) {
      throw proxyError("PRX_CONFIG_INVALID", {
        cause,
        detail: "remote detector instructions file unreadable",
      });
    }
  }
  const endpoint = chatCompletionsUrl(options.url);
  const { timeoutMs, maxTokens } = options;
  const hash = createHash("sha256")
    .update(`${endpoint}\0${options.model}\0${hashInstructions(instructions)}`)
    .digest("hex")
    .slice(0, 16);
  const id = `remote:${options.model}@${hash}`;
  const source = `model:${options.model}`;
  let closed = false;
  const inflight = new Set<AbortController>();

  return {
    info(): DetectorInfo {
      return {
        kind: "remote",
        id,
        ready: !closed,
        details: { model: options.model, endpoint: new URL(endpoint).host },
      };
    },
    async detect(input: DetectInput, signal?: AbortSignal): Promise<Span[]> {
      if (closed) throw proxyError("PRX_DETECT_FAILED", { detail: "closed" });
      const ctl = new AbortController();
      inflight.add(ctl);
      const onAbort = (): void => ctl.abort(proxyError("PRX_DETECT_ABORTED"));
      if (signal?.aborted === true) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
      const timer = setTimeout(
        () => ctl.abort(proxyError("PRX_DETECT_TIMEOUT", { detail: `${timeoutMs} ms` })),
        timeoutMs,
      );
      try {
        const res = await fetch(endpoint, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(options.apiKey === undefined || options.apiKey === ""
              ? {}
              : { authorization: `Bearer ${options.apiKey}` }),
          },
          body: JSON.stringify(buildRemoteRequest(options.model, instructions, input, maxTokens)),
          signal: ctl.signal,
        });
        if (!res.ok) {
          await res.body?.cancel();
          throw proxyError("PRX_DETECT_FAILED", { detail: `remote detector HTTP ${res.status}` });
        }
        const body = await res.json();
        return findingsToSpans(input.text, parseModelOutput(answerOf(body)), source);
      } catch (err) {
        const reason: unknown = ctl.signal.reason;
        if (ctl.signal.aborted && isProxyError(reason)) throw reason;
        if (isProxyError(err)) throw err;
        if (err instanceof ModelOutputError)
          throw proxyError("PRX_DETECT_FAILED", { cause: err, detail: "invalid answer" });
        throw proxyError("PRX_DETECT_FAILED", {
          cause: err,
          detail: "remote detector unreachable or bad response",
        });
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        inflight.delete(ctl);
      }
    },
    close(): Promise<void> {
      closed = true;
      for (const c of inflight) c.abort(proxyError("PRX_DETECT_ABORTED"));
      return Promise.resolve();
    },
  };
}
