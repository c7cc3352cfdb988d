/**
 * Anthropic Message Batches through the proxy, against a mock that answers each request of a batch by
 * echoing its (redacted) user text: creation is redacted request by request, batch objects point
 * `results_url` at the proxy, and the JSON-lines results come back restored — split at random byte offsets,
 * for the caller's scope only, and through the official SDK's `batches.results()`.
 */
import type http from "node:http";
import Anthropic from "@anthropic-ai/sdk";
import type { BatchCreateParams } from "@anthropic-ai/sdk/resources/messages/batches";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY, CANARY_TEXT, CANARY_VALUES, leakedCanaries } from "../helpers/canaries.js";
import { startProxyAndMock, stopProxyAndMock, type LogSink, type TestApp } from "../helpers/app.js";
import { sendJson, type MockUpstream, type Recorded } from "../helpers/mock-upstream.js";

interface BatchRequest {
  custom_id: string;
  params: { messages: { role: string; content: unknown }[] };
}

let upstream: MockUpstream;
let app: TestApp;
let sink: LogSink;
let base: string;
let batch: BatchRequest[] = [];
let cuts: number[] = [];

function batchObject(): Record<string, unknown> {
  return {
    id: "msgbatch_1",
    type: "message_batch",
    processing_status: "ended",
    request_counts: { processing: 0, succeeded: batch.length - 1, errored: 1, canceled: 0, expired: 0 },
    results_url: `${upstream.url}/v1/messages/batches/msgbatch_1/results`,
  };
}

function textOf(content: unknown): string {
  return typeof content === "string"
    ? content
    : (content as { type: string; text?: string }[]).map((b) => b.text ?? "").join("");
}

/** One succeeded line per request (echoing its last user text), except the last, which errored. */
function resultsFile(): string {
  return batch
    .map((r, i) =>
      JSON.stringify(
        i === batch.length - 1
          ? { custom_id: r.custom_id, result: { type: "errored", error: { type: "invalid_request_error" } } }
          : {
              custom_id: r.custom_id,
              result: {
                type: "succeeded",
                message: {
                  id: `msg_${i}`,
                  type: "message",
                  role: "assistant",
                  content: [{ type: "text", text: `You said: ${textOf(r.params.messages.at(-1)?.content)}` }],
                  stop_reason: "end_turn",
                },
              },
            },
      ),
    )
    .map((line) => `${line}\n`)
    .join("");
}

async function batchesMock(req: Recorded, res: http.ServerResponse): Promise<void> {
  if (req.method === "POST" && req.url === "/v1/messages/batches") {
    batch = (JSON.parse(req.body) as { requests: BatchRequest[] }).requests;
    sendJson(res, 200, { ...batchObject(), processing_status: "in_progress", results_url: null });
    return;
  }
  if (req.url === "/v1/messages/batches/msgbatch_1") return sendJson(res, 200, batchObject());
  if (req.url.startsWith("/v1/messages/batches?")) return sendJson(res, 200, { data: [batchObject()] });
  if (req.url === "/v1/messages/batches/msgbatch_1/results") {
    res.writeHead(200, { "content-type": "application/binary" });
    const bytes = Buffer.from(resultsFile());
    let at = 0;
    for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
      if (cut <= at || cut >= bytes.length) continue;
      res.write(bytes.subarray(at, cut));
      at = cut;
      await new Promise((r) => setImmediate(r));
    }
    res.end(bytes.subarray(at));
    return;
  }
  sendJson(res, 404, { type: "error", error: { type: "not_found_error", message: "no such path" } });
}

beforeAll(async () => {
  ({ upstream, app, sink, base } = await startProxyAndMock(batchesMock, (url) => ({
    anthropicUpstream: url,
  })));
});
afterAll(() => stopProxyAndMock({ app, upstream }));

const headers = {
  "x-api-key": "sk-ant-caller-1",
  "anthropic-version": "2023-06-01",
  "content-type": "application/json",
  "x-memprivacy-user-name": CANARY.name,
};

const REQUESTS: BatchCreateParams.Request[] = [
  {
    custom_id: "a",
    params: { model: "claude-test", max_tokens: 64, messages: [{ role: "user", content: CANARY_TEXT }] },
  },
  {
    custom_id: "b",
    params: {
      model: "claude-test",
      max_tokens: 64,
      system: `Assistant of ${CANARY.name}`,
      messages: [{ role: "user", content: [{ type: "text", text: `Mail ${CANARY.email}` }] }],
    },
  },
  {
    custom_id: "c",
    params: { model: "claude-test", max_tokens: 64, messages: [{ role: "user", content: "fails upstream" }] },
  },
];

async function create(): Promise<Response> {
  return fetch(`${base}/v1/messages/batches`, {
    method: "POST",
    headers,
    body: JSON.stringify({ requests: REQUESTS }),
  });
}

describe("Anthropic Message Batches", () => {
  it("redacts every request of a batch; nothing private reaches the upstream or the logs", async () => {
    const res = await create();
    expect(res.status).toBe(200);
    const sent = upstream.received.at(-1)?.body ?? "";
    expect(leakedCanaries(sent)).toEqual([]);
    expect(batch.map((r) => r.custom_id)).toEqual(["a", "b", "c"]);
    expect(JSON.stringify(batch[1])).toContain("<Real_Name_1>");
    for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
  });

  it("points results_url at the proxy in batch look-ups and lists", async () => {
    await create();
    for (const path of ["/v1/messages/batches/msgbatch_1", "/v1/messages/batches?limit=1"]) {
      const res = await fetch(`${base}${path}`, { headers });
      expect(res.status, path).toBe(200);
      const text = await res.text();
      expect(text, path).toContain(`"results_url":"${base}/v1/messages/batches/msgbatch_1/results"`);
      expect(text, path).not.toContain(upstream.url);
    }
  });

  it("restores the results line by line, however the bytes are split; errored lines pass as they are", async () => {
    await create();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 1200 }), { maxLength: 8 }), async (at) => {
        cuts = at;
        const res = await fetch(`${base}/v1/messages/batches/msgbatch_1/results`, { headers });
        expect(res.status).toBe(200);
        const lines = (await res.text())
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { custom_id: string; result: Record<string, unknown> });
        expect(lines.map((l) => l.custom_id)).toEqual(["a", "b", "c"]);
        const texts = lines.map((l) => JSON.stringify(l.result));
        expect(texts[0]).toContain(`You said: ${JSON.stringify(CANARY_TEXT).slice(1, -1)}`);
        expect(texts[1]).toContain(`You said: Mail ${CANARY.email}`);
        expect(lines[2]?.result).toEqual({ type: "errored", error: { type: "invalid_request_error" } });
      }),
      { seed: 5, numRuns: 12 },
    );
    cuts = [];
  });

  it("does not restore results for another credential", async () => {
    await create();
    const res = await fetch(`${base}/v1/messages/batches/msgbatch_1/results`, {
      headers: { ...headers, "x-api-key": "sk-ant-someone-else" },
    });
    const text = await res.text();
    expect(leakedCanaries(text)).toEqual([]);
    expect(text).toContain("<Email_1>");
  });

  it("works with the official SDK: batches.create, then batches.results() through the proxy", async () => {
    const client = new Anthropic({
      apiKey: "sk-ant-caller-1",
      baseURL: base,
      maxRetries: 0,
      defaultHeaders: { "x-memprivacy-user-name": CANARY.name },
    });
    const created = await client.messages.batches.create({ requests: REQUESTS });
    expect(created.id).toBe("msgbatch_1");
    const seen: string[] = [];
    for await (const entry of await client.messages.batches.results("msgbatch_1")) {
      if (entry.result.type === "succeeded") {
        const block = entry.result.message.content[0];
        seen.push(block?.type === "text" ? block.text : "");
      }
    }
    expect(seen).toEqual([`You said: ${CANARY_TEXT}`, `You said: Mail ${CANARY.email}`]);
    expect(leakedCanaries(upstream.allBytes())).toEqual([]);
  });
});
