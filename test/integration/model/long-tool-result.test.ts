/**
 * A coding agent's large tool result through the proxy with the (tiny) local model: a 40 KB file read is
 * chunked, every chunk reaches the model, no structured value reaches the upstream raw, placeholders sit at
 * the values' offsets, resending the history with one paragraph edited re-detects one chunk, and the work shows
 * in per-chunk log lines, on the status page and in the metrics (counts only).
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { tinyModelDir } from "../../fixtures/tiny-model/tiny-gguf.js";
import { startProxyAndMock, stopProxyAndMock, type ProxyAndMock } from "../../helpers/app.js";
import { sendJson } from "../../helpers/mock-upstream.js";

vi.setConfig({ testTimeout: 240_000 });

/** Values the rules find (validated formats), planted through the text. */
const VALUES = [
  "priya.raman@example.org",
  "DE89370400440532013000",
  "10.20.30.40",
  "ops-oncall@example.net",
  "GB82WEST12345698765432",
  "192.168.17.4",
];

const WORDS = [
  "config",
  "service",
  "retry",
  "handler",
  "queue",
  "batch",
  "token",
  "parser",
  "cache",
  "route",
];

/** About 40 KB of paragraphs, like a file or command output an agent reads. */
function fileRead(edit?: number): string {
  let x = 16;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648);
  const paragraphs: string[] = [];
  for (let p = 0; paragraphs.join("\n\n").length < 40_000; p++) {
    const words = Array.from({ length: 40 + (next() % 50) }, () => WORDS[next() % WORDS.length]);
    let text = `Section ${p}: ${words.join(" ")}.`;
    if (p % 15 === 7) text += ` Contact ${VALUES[(p / 15) | 0] ?? VALUES[0]} for this part.`;
    if (p === edit) text += " This paragraph was edited by the agent.";
    paragraphs.push(text);
  }
  return paragraphs.join("\n\n");
}

function chatBody(toolText: string): object {
  return {
    model: "gpt-test",
    messages: [
      { role: "user", content: "Read the deployment notes and summarise them." },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "read_file", arguments: '{"path":"notes.md"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: toolText },
    ],
  };
}

interface ChunkLine {
  msg: string;
  chunks: number;
  chunksEvaluated: number;
}

let running: ProxyAndMock;
let modelDir = "";

beforeAll(async () => {
  const tiny = await tinyModelDir();
  modelDir = tiny.dir;
  running = await startProxyAndMock(
    (_req, res) =>
      sendJson(res, 200, {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: "gpt-test",
        choices: [{ index: 0, message: { role: "assistant", content: "Summary." }, finish_reason: "stop" }],
      }),
    (upstream) => ({
      upstream,
      detector: "model",
      modelPath: tiny.modelPath,
      gpu: "off",
      modelThreads: 1,
      modelSequences: 2,
      modelContextSize: 2048,
      modelMaxTokens: 128,
      modelRoles: ["user", "tool"],
      modelMaxRequestTokens: 100_000,
    }),
  );
}, 240_000);

afterAll(async () => {
  await stopProxyAndMock(running);
  await rm(modelDir, { recursive: true, force: true });
});

function chunkLines(): ChunkLine[] {
  return running.sink.lines
    .map((l) => JSON.parse(l) as ChunkLine)
    .filter((l) => l.msg === "model text detected in chunks");
}

describe("a 40 KB tool result through the proxy with the local model", () => {
  it("answers 200, detects every chunk, and forwards no raw structured value", async () => {
    const text = fileRead();
    expect(text.length).toBeGreaterThanOrEqual(40_000);
    const res = await fetch(`${running.base}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
      body: JSON.stringify(chatBody(text)),
    });
    expect(res.status).toBe(200);
    await res.json();
    const upstream = running.upstream.allBytes();
    for (const v of VALUES) {
      expect(text).toContain(v);
      expect(upstream).not.toContain(v);
    }
    const lines = chunkLines();
    expect(lines).toHaveLength(1);
    const first = lines[0] as ChunkLine;
    expect(first.chunks).toBeGreaterThan(10);
    expect(first.chunksEvaluated).toBe(first.chunks);
    for (const v of VALUES) expect(running.sink.text).not.toContain(v);
  });

  it("re-detects only the edited chunk when the history is resent with one paragraph changed", async () => {
    const res = await fetch(`${running.base}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-test" },
      body: JSON.stringify(chatBody(fileRead(40))),
    });
    expect(res.status).toBe(200);
    await res.json();
    const lines = chunkLines();
    expect(lines).toHaveLength(2);
    const resend = lines[1] as ChunkLine;
    expect(resend.chunks).toBe(lines[0]?.chunks);
    expect(resend.chunksEvaluated).toBe(1);
  });

  it("puts each placeholder exactly where its value was, and reports throughput on the status page", async () => {
    const text = fileRead();
    const sent = JSON.parse(running.upstream.received[0]?.body ?? "{}") as {
      messages: { role: string; content: string | null }[];
    };
    const forwarded = sent.messages.find((m) => m.role === "tool")?.content ?? "";
    // The forwarded text is the original with every planted value, and nothing else, turned into a placeholder.
    const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = VALUES.reduce((re, v) => re.split(escape(v)).join("<[A-Za-z0-9_]+_\\d+>"), escape(text));
    expect(new RegExp(`^${pattern}$`).test(forwarded)).toBe(true);
    const status = (await (await fetch(`${running.base}/v1/memprivacy/status`)).json()) as {
      detector: { details: Record<string, number | string> };
    };
    expect(Number(status.detector.details.tokensPerSecond)).toBeGreaterThan(0);
    expect(Number(status.detector.details.chunksEvaluated)).toBeGreaterThan(10);
    expect(status.detector.details.sharedBatches).toBe(true);
    expect(Number(status.detector.details.forwardPasses)).toBeGreaterThan(0);
  });

  it("logs progress per chunk and exports the model's figures as metrics: numbers only, never text", async () => {
    const [first, resend] = chunkLines();
    const chunkLog = running.sink.lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === "model chunk detected");
    // Long texts report each chunk at info level; a one-chunk text (the user turn) at debug level.
    const progress = chunkLog.filter((l) => (l.textChunks as number) > 1);
    // One line per evaluated chunk of a long text: every chunk of the first request, one of the resend.
    expect(progress).toHaveLength((first?.chunksEvaluated ?? 0) + (resend?.chunksEvaluated ?? 0));
    const numeric = ["chunk", "of", "textChunks", "chunkChars", "promptTokens", "outputTokens"];
    for (const line of progress) {
      for (const key of [...numeric, "tokensPerSecond", "draftsAccepted", "spans", "ms", "queueDepth"])
        expect(typeof line[key], key).toBe("number");
      expect(line.chunk as number).toBeLessThanOrEqual(line.of as number);
    }
    expect(progress.map((l) => l.chunk).slice(0, first?.chunks)).toEqual(
      Array.from({ length: first?.chunks ?? 0 }, (_, i) => i + 1),
    );
    const metrics = await (await fetch(`${running.base}/metrics`)).text();
    const model = metrics.split("\n").filter((l) => l.startsWith("memprivacy_model_"));
    // No labels on any model metric: a name and a number.
    for (const l of model) expect(l).toMatch(/^memprivacy_model_[a-z_]+ [0-9.e+-]+$/);
    const value = (name: string): number =>
      Number(model.find((l) => l.startsWith(`${name} `))?.split(" ")[1] ?? Number.NaN);
    expect(value("memprivacy_model_chunks_evaluated_total")).toBe(chunkLog.length);
    expect(value("memprivacy_model_chunk_cache_hits_total")).toBe((resend?.chunks ?? 0) - 1);
    expect(value("memprivacy_model_tokens_per_second")).toBeGreaterThan(0);
    expect(value("memprivacy_model_forward_passes_total")).toBeGreaterThan(0);
    expect(value("memprivacy_model_input_tokens_total")).toBeGreaterThan(
      value("memprivacy_model_output_tokens_total"),
    );
    expect(value("memprivacy_model_queue_depth")).toBe(0);
    expect(value("memprivacy_model_sequences_busy")).toBe(0);
    expect(Number.isNaN(value("memprivacy_model_drafts_accepted_total"))).toBe(false);
    for (const v of VALUES) expect(metrics).not.toContain(v);
  });
});
