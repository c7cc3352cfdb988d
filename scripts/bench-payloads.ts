/** The request and the upstream answers of `npm run bench` (shared by the load generator and the mock). */

const PRIVATE = "I am Zhang San, mail zhang.san@example.com or call 13800138000; my password is Tr0ub4dor9.";
const FILLER =
  " Please summarise the quarterly planning notes and list three follow-up actions for the team.";

/** A ~1 KB chat request holding four private values. */
export const benchRequest = (stream: boolean): string =>
  JSON.stringify({
    model: "gpt-bench",
    stream,
    messages: [
      { role: "system", content: "You are a concise assistant." },
      { role: "user", content: (PRIVATE + FILLER.repeat(9)).slice(0, 1000) },
    ],
  });

/**
 * The same request with a per-request counter in its filler: every body is new to the detection cache (a
 * miss) while its private values stay the same (no vault growth).
 */
export const benchRequestVaried = (stream: boolean, n: number): string =>
  JSON.stringify({
    model: "gpt-bench",
    stream,
    messages: [
      { role: "system", content: "You are a concise assistant." },
      { role: "user", content: `${(PRIVATE + FILLER.repeat(9)).slice(0, 980)} (note ${n})` },
    ],
  });

export const BENCH_COMPLETION = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1700000000,
  model: "gpt-bench",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "Noted, <Real_Name_1>. I will write to <Email_1>." },
      finish_reason: "stop",
    },
  ],
  usage: { prompt_tokens: 250, completion_tokens: 12, total_tokens: 262 },
});

export const BENCH_STREAM_CHUNKS = 40;

/** A streamed answer in {@link BENCH_STREAM_CHUNKS} content chunks, with placeholders, then `[DONE]`. */
export const BENCH_SSE = ((): string => {
  const text = "Sure <Real_Name_1>, here is the plan you asked for, sent to <Email_1>. ".repeat(4);
  const size = Math.ceil(text.length / BENCH_STREAM_CHUNKS);
  const chunk = (delta: object, finish: string | null): string =>
    `data: ${JSON.stringify({
      id: "c",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  let wire = "";
  for (let i = 0; i < text.length; i += size) wire += chunk({ content: text.slice(i, i + size) }, null);
  return `${wire}${chunk({}, "stop")}data: [DONE]\n\n`;
})();
