/**
 * What a Chat Completions client sees: the assistant text and tool-call arguments of a response, assembled
 * from a JSON body or from an SSE stream (deltas joined per choice and tool index), plus the error events.
 */

export interface ChatView {
  /** Content of choice 0. */
  readonly content: string;
  /** Tool-call arguments of choice 0, tool index 0. */
  readonly args: string;
  /** Error objects sent as stream events (or the JSON body's error). */
  readonly errors: { code?: string; message?: string }[];
  /** True when a stream ended with `data: [DONE]`. */
  readonly done: boolean;
}

interface ChoiceShape {
  index?: number;
  message?: { content?: string | null; tool_calls?: { function?: { arguments?: string } }[] };
  delta?: { content?: string | null; tool_calls?: { index?: number; function?: { arguments?: string } }[] };
}

/** Reads a non-streamed chat completion body. */
export function chatViewOfJson(text: string): ChatView {
  const body = JSON.parse(text) as { choices?: ChoiceShape[]; error?: { code?: string; message?: string } };
  const message = body.choices?.[0]?.message;
  return {
    content: message?.content ?? "",
    args: message?.tool_calls?.[0]?.function?.arguments ?? "",
    errors: body.error === undefined ? [] : [body.error],
    done: false,
  };
}

/** Reads an SSE wire of chat completion chunks. */
export function chatViewOfStream(wire: string): ChatView {
  let content = "";
  let args = "";
  let done = false;
  const errors: { code?: string; message?: string }[] = [];
  for (const block of wire.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((l) => l.startsWith("data:"))
      .map((l) => l.slice(5).replace(/^ /, ""))
      .join("\n");
    if (data === "") continue;
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    let chunk: { choices?: ChoiceShape[]; error?: { code?: string; message?: string } };
    try {
      chunk = JSON.parse(data) as typeof chunk;
    } catch {
      continue;
    }
    if (chunk.error !== undefined) errors.push(chunk.error);
    for (const c of chunk.choices ?? []) {
      if ((c.index ?? 0) !== 0) continue;
      content += c.delta?.content ?? "";
      for (const t of c.delta?.tool_calls ?? [])
        if ((t.index ?? 0) === 0) args += t.function?.arguments ?? "";
    }
  }
  return { content, args, errors, done };
}

/** Reads either kind, by the response's content type. */
export function chatView(contentType: string | null | undefined, text: string): ChatView {
  return String(contentType).startsWith("text/event-stream") ? chatViewOfStream(text) : chatViewOfJson(text);
}
