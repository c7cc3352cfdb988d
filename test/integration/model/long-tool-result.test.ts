/**
 * A coding agent's large tool result through the proxy with the (tiny) local model: a 40 KB file read is
 * chunked, every chunk reaches the model, no structured value reaches the upstream raw, placeholders sit at
 * the values' offsets, and resending the history with one paragraph edited re-detects one chunk.
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
  });
});
