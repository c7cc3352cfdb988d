// The per-request record (src/server/plugins/request-log.ts): one log line with the request's value-free facts
// at info and below, none above; the live-traffic entry either way.
import { afterEach, describe, expect, it } from "vitest";
import { CANARY_TEXT, CANARY_VALUES } from "../helpers/canaries.js";
import { startProxyAndMock, stopProxyAndMock, type LogSink, type ProxyAndMock } from "../helpers/app.js";
import { openAIEcho } from "../helpers/openai-mock.js";

let running: ProxyAndMock | undefined;
afterEach(async () => {
  if (running !== undefined) await stopProxyAndMock(running);
  running = undefined;
});

async function chat(logLevel: "info" | "warn", stream = false): Promise<ProxyAndMock> {
  running = await startProxyAndMock(openAIEcho, (url) => ({ upstream: url, logLevel }));
  const res = await fetch(`${running.base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-caller-key-123", "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-test", stream, messages: [{ role: "user", content: CANARY_TEXT }] }),
  });
  await res.text();
  expect(res.status).toBe(200);
  return running;
}

describe("request log", () => {
  it("writes one line per request with its facts, and no value", async () => {
    const { sink } = await chat("info");
    const line = JSON.parse(await lineWith(sink, "request completed")) as Record<string, unknown>;
    expect(line).toMatchObject({
      method: "POST",
      route: "/v1/chat/completions",
      status: 200,
      upstreamStatus: 200,
    });
    for (const timing of ["ms", "redactionMs", "upstreamMs"]) expect(typeof line[timing]).toBe("number");
    const spans = line.spans as { PL2: number; PL3: number; PL4: number };
    expect(spans.PL2 + spans.PL3 + spans.PL4).toBeGreaterThan(0);
    // A fact that is not set is left out, not written as null.
    expect(line).not.toHaveProperty("streamed");
    for (const v of CANARY_VALUES) expect(sink.text).not.toContain(v);
  });

  it("says a streamed request was streamed", async () => {
    const { sink } = await chat("info", true);
    const line = JSON.parse(await lineWith(sink, "request completed")) as Record<string, unknown>;
    expect(line).toMatchObject({ route: "/v1/chat/completions", status: 200, streamed: true });
  });

  it("writes no line above info, and still records the request for the live traffic page", async () => {
    const { base, sink } = await chat("warn");
    expect(sink.lines.filter((l) => l.includes("request completed"))).toEqual([]);
    // The record is made once the response has gone out, so it may land just after the client has read it.
    let entries = await trafficReplay(base);
    for (let i = 0; i < 50 && entries.length === 0; i++) entries = await trafficReplay(base);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      method: "POST",
      route: "/v1/chat/completions",
      status: 200,
      upstreamStatus: 200,
      streamed: false,
    });
    expect(typeof entries[0]?.redactionMs).toBe("number");
  });
});

/** The first line holding `text`: one written already, or the next one (the record follows the response). */
function lineWith(sink: LogSink, text: string): Promise<string> {
  const written = sink.lines.find((l) => l.includes(text));
  return written === undefined ? sink.next(text) : Promise.resolve(written);
}

/** The entries the live traffic stream replays on connecting, up to its `ready` event. */
async function trafficReplay(base: string): Promise<Record<string, unknown>[]> {
  const ctl = new AbortController();
  const res = await fetch(`${base}/v1/memprivacy/traffic`, { signal: ctl.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("event: ready")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  ctl.abort();
  return text
    .split("\n\n")
    .filter((event) => event.split("\n").includes("event: traffic"))
    .map((event) => JSON.parse(/^data: (.*)$/m.exec(event)?.[1] ?? "null") as Record<string, unknown>);
}
