/**
 * Default-deny coverage, proven on a corpus: for every redacting route, a request that uses every item,
 * block and part type of the current APIs (and a made-up future one) carries a canary in every string leaf,
 * and in every number and key of tool data. No canary may reach the upstream — raw, JSON-escaped,
 * `\uXXXX`-escaped, percent-encoded, or inside JSON text inside JSON — and a response that echoes what the
 * upstream received gives the client back every original value, with its JSON type.
 */
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxyAndMock, stopProxyAndMock, type ProxyAndMock } from "../helpers/app.js";
import { sendJson, type Recorded } from "../helpers/mock-upstream.js";

/** Canaries the rule detector finds: e-mail addresses for strings and keys, CN mobiles for numbers. */
class Canaries {
  readonly strings: string[] = [];
  readonly numbers: number[] = [];
  #n = 0;
  /** A string canary. */
  s(prefix = ""): string {
    const value = `cov${++this.#n}.canary@example.org`;
    this.strings.push(value);
    return `${prefix}${value}`;
  }
  /** A number canary (a mobile number, as a JSON number). */
  n(): number {
    const value = 13900000000 + ++this.#n;
    this.numbers.push(value);
    return value;
  }
  get all(): string[] {
    return [...this.strings, ...this.numbers.map(String)];
  }
}

/** Every string inside `value`, descending into strings that are JSON text themselves. */
function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") {
    out.push(value);
    const t = value.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
      try {
        allStrings(JSON.parse(t), out);
      } catch {
        // not JSON text
      }
    }
  } else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allStrings(v, out);
    }
  else if (typeof value === "number") out.push(String(value));
  return out;
}

/** Canaries visible in what the upstream received, in any encoding. */
function leaked(rec: Recorded, canaries: readonly string[]): string[] {
  let decodedUrl = rec.url;
  try {
    decodedUrl = decodeURIComponent(rec.url);
  } catch {
    // keep the raw URL
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(rec.body);
  } catch {
    parsed = rec.body;
  }
  const haystack = [rec.body, rec.url, decodedUrl, JSON.stringify(rec.headers), ...allStrings(parsed)].join(
    "\n",
  );
  return canaries.filter((c) => haystack.includes(c));
}

/** A JSON text whose every character of the string is `\uXXXX`-escaped (as Python's json.dumps can be). */
function escapedJson(key: string, value: string): string {
  const esc = (s: string): string =>
    [...s].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
  return `{"${esc(key)}": "${esc(value)}"}`;
}

const SCHEMA = (c: Canaries) => ({
  type: "object",
  description: c.s("schema "),
  properties: {
    to: { type: "string", description: c.s(), enum: [c.s(), "plain"], default: c.s() },
    nested: { type: "array", items: { type: "string", description: c.s() } },
  },
  required: ["to"],
});

function chatBody(c: Canaries) {
  const args = { [c.s()]: c.s(), phone: c.n(), nested: { list: [c.s(), c.n()] } };
  return {
    body: {
      model: "gpt-test",
      messages: [
        { role: "system", content: c.s("sys ") },
        { role: "developer", content: [{ type: "text", text: c.s() }] },
        {
          role: "user",
          name: c.s(),
          content: [
            { type: "text", text: c.s("hi ") },
            { type: "image_url", image_url: { url: `https://img.example.org/${c.s()}`, detail: "low" } },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "file", file: { filename: c.s(), file_data: "JVBERi0xLjQK" } },
            { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
            { type: "future_part", text: c.s(), extra: { note: c.s() } },
          ],
        },
        {
          role: "assistant",
          content: c.s("earlier answer "),
          refusal: c.s(),
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "lookup", arguments: JSON.stringify(args) } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: JSON.stringify({ result: c.s(), n: c.n() }) },
        { role: "tool", tool_call_id: "call_2", content: escapedJson("customer", c.s()) },
        { role: "tool", tool_call_id: "call_3", content: [{ type: "text", text: c.s() }] },
      ],
      tools: [{ type: "function", function: { name: "lookup", description: c.s(), parameters: SCHEMA(c) } }],
      response_format: { type: "json_schema", json_schema: { name: "out", schema: SCHEMA(c) } },
      prediction: { type: "content", content: c.s() },
      metadata: { [c.s()]: c.s() },
      user: c.s(),
      safety_identifier: c.s(),
      prompt_cache_key: c.s(),
      stop: [c.s(), "\n\n"],
      web_search_options: { user_location: { type: "approximate", approximate: { city: c.s() } } },
      future_field: { anything: [c.s(), { deeper: c.s() }] },
    },
    args,
  };
}

function responsesBody(c: Canaries) {
  return {
    model: "gpt-test",
    instructions: c.s("be brief "),
    input: [
      { role: "user", content: c.s() },
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: c.s() },
          { type: "input_image", image_url: "data:image/png;base64,iVBORw0KGgo=", detail: "auto" },
          { type: "input_file", filename: c.s(), file_data: "data:application/pdf;base64,JVBERi0=" },
        ],
      },
      {
        type: "message",
        role: "assistant",
        id: "msg_1",
        content: [
          {
            type: "output_text",
            text: c.s(),
            annotations: [{ type: "url_citation", url: `https://x.example/${c.s()}`, title: c.s() }],
          },
        ],
      },
      {
        type: "reasoning",
        id: "rs_1",
        summary: [{ type: "summary_text", text: c.s() }],
        encrypted_content: "gAAAAB",
      },
      {
        type: "function_call",
        call_id: "c1",
        name: "f",
        arguments: JSON.stringify({ [c.s()]: c.n(), a: c.s() }),
      },
      { type: "function_call_output", call_id: "c1", output: JSON.stringify({ ok: c.s() }) },
      { type: "function_call_output", call_id: "c2", output: escapedJson("who", c.s()) },
      { type: "custom_tool_call", call_id: "c3", name: "g", input: c.s() },
      { type: "custom_tool_call_output", call_id: "c3", output: c.s() },
      {
        type: "local_shell_call",
        call_id: "c4",
        action: { type: "exec", command: ["echo", c.s()], env: { K: c.s() } },
      },
      { type: "local_shell_call_output", call_id: "c4", output: c.s() },
      {
        type: "shell_call_output",
        call_id: "c5",
        output: [{ stdout: c.s(), stderr: c.s(), outcome: { type: "exit", exit_code: 0 } }],
      },
      { type: "apply_patch_call_output", call_id: "c6", output: c.s() },
      {
        type: "mcp_call",
        id: "m1",
        server_label: "srv",
        name: "t",
        arguments: JSON.stringify({ q: c.s() }),
        output: c.s(),
      },
      { type: "mcp_approval_response", approval_request_id: "a1", approve: false, reason: c.s() },
      {
        type: "computer_call_output",
        call_id: "c7",
        output: { type: "computer_screenshot", image_url: "data:image/png;base64,iVBO" },
        acknowledged_safety_checks: [{ id: "s", code: "x", message: c.s() }],
      },
      { type: "item_reference", id: "msg_0" },
      { type: "future_item", text: c.s(), payload: { deep: [c.s()] } },
    ],
    tools: [
      { type: "function", name: "f", description: c.s(), parameters: SCHEMA(c) },
      { type: "custom", name: "g", description: c.s() },
      {
        type: "mcp",
        server_label: "srv",
        server_url: "https://mcp.example.org",
        headers: { Authorization: "Bearer mcp-token" },
      },
    ],
    text: { format: { type: "json_schema", name: "out", schema: SCHEMA(c) } },
    prompt: { id: "pmpt_1", variables: { name: c.s() } },
    metadata: { [c.s()]: c.s() },
    user: c.s(),
    safety_identifier: c.s(),
    prompt_cache_key: c.s(),
  };
}

function anthropicBody(c: Canaries) {
  const input = { [c.s()]: { phone: c.n(), note: c.s() } };
  return {
    body: {
      model: "claude-test",
      max_tokens: 32,
      system: [{ type: "text", text: c.s() }],
      metadata: { user_id: c.s() },
      stop_sequences: [c.s()],
      tools: [{ name: "lookup", description: c.s(), input_schema: SCHEMA(c) }],
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: c.s() },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
            {
              type: "document",
              title: c.s(),
              context: c.s(),
              source: { type: "text", media_type: "text/plain", data: c.s() },
            },
            {
              type: "search_result",
              source: `https://s.example/${c.s()}`,
              title: c.s(),
              content: [{ type: "text", text: c.s() }],
            },
            { type: "future_text", text: c.s() },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "signed reasoning", signature: "sig" },
            {
              type: "text",
              text: c.s(),
              citations: [
                {
                  type: "char_location",
                  cited_text: c.s(),
                  document_index: 0,
                  start_char_index: 0,
                  end_char_index: 4,
                },
              ],
            },
            { type: "tool_use", id: "toolu_1", name: "lookup", input },
          ],
        },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: "toolu_1",
              content: JSON.stringify({ found: c.s(), n: c.n() }),
            },
            { type: "tool_result", tool_use_id: "toolu_2", content: escapedJson("who", c.s()) },
            {
              type: "tool_result",
              tool_use_id: "toolu_3",
              content: [
                { type: "text", text: c.s() },
                {
                  type: "search_result",
                  source: "s",
                  title: c.s(),
                  content: [{ type: "text", text: c.s() }],
                },
              ],
            },
            { type: "mcp_tool_result", tool_use_id: "mcptoolu_1", content: [{ type: "text", text: c.s() }] },
            {
              type: "web_fetch_tool_result",
              tool_use_id: "srvtoolu_1",
              content: {
                type: "web_fetch_result",
                url: `https://f.example/${c.s()}`,
                content: {
                  type: "document",
                  source: { type: "text", media_type: "text/plain", data: c.s() },
                },
              },
            },
          ],
        },
      ],
    },
    input,
  };
}

/** A chat upstream that echoes every string it received, and the first tool call's arguments as sent. */
const echoChat = () => (req: Recorded, res: ServerResponse) => {
  const body = JSON.parse(req.body) as { messages: { tool_calls?: { function: { arguments: string } }[] }[] };
  const sentArgs = body.messages.flatMap((m) => m.tool_calls ?? [])[0]?.function.arguments ?? "{}";
  sendJson(res, 200, {
    id: "chatcmpl-1",
    object: "chat.completion",
    choices: [
      {
        index: 0,
        finish_reason: "tool_calls",
        message: {
          role: "assistant",
          content: JSON.stringify(allStrings(JSON.parse(req.body))),
          tool_calls: [{ id: "call_9", type: "function", function: { name: "lookup", arguments: sentArgs } }],
        },
      },
    ],
  });
};

describe("default-deny coverage corpus", () => {
  let proxy: ProxyAndMock;
  beforeAll(async () => {
    proxy = await startProxyAndMock(
      (_req, res) => sendJson(res, 200, {}),
      (url) => ({ upstream: url, anthropicUpstream: url }),
    );
  });
  afterAll(async () => stopProxyAndMock(proxy));

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${proxy.base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-corpus-test", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };

  it("chat completions: nothing leaks; the echo restores every value and the arguments' JSON types", async () => {
    const c = new Canaries();
    const { body, args } = chatBody(c);
    proxy.upstream.handle(echoChat());
    const before = proxy.upstream.received.length;
    const res = await post("/v1/chat/completions", body);
    expect(res.status).toBe(200);
    const rec = proxy.upstream.received[before] as Recorded;
    expect(leaked(rec, c.all)).toEqual([]);
    const out = JSON.parse(res.text) as {
      choices: { message: { content: string; tool_calls: { function: { arguments: string } }[] } }[];
    };
    const message = out.choices[0]?.message;
    const echoed = JSON.parse(message?.content ?? "[]") as string[];
    for (const value of c.all) expect(echoed.join("\n")).toContain(value);
    expect(JSON.parse(message?.tool_calls[0]?.function.arguments ?? "")).toEqual(args);
  });

  it("the query string of a redacted route is redacted too; an ordinary one goes as it is", async () => {
    const c = new Canaries();
    proxy.upstream.handle((_req, res) => sendJson(res, 200, { id: "x", choices: [] }));
    const before = proxy.upstream.received.length;
    const body = { model: "gpt-test", messages: [{ role: "user", content: "hi" }] };
    const res = await post(
      `/v1/chat/completions?api-version=2024-06-01&note=${encodeURIComponent(c.s())}`,
      body,
    );
    expect(res.status).toBe(200);
    const rec = proxy.upstream.received[before] as Recorded;
    expect(leaked(rec, c.all)).toEqual([]);
    expect(rec.url).toContain("api-version=2024-06-01&note=%3CEmail_");
  });

  it("responses: nothing leaks; every value comes back", async () => {
    const c = new Canaries();
    const body = responsesBody(c);
    proxy.upstream.handle((req, res) =>
      sendJson(res, 200, {
        id: "resp_1",
        object: "response",
        output: [
          {
            type: "message",
            role: "assistant",
            id: "msg_9",
            content: [
              {
                type: "output_text",
                text: JSON.stringify(allStrings(JSON.parse(req.body))),
                annotations: [],
              },
            ],
          },
        ],
      }),
    );
    const before = proxy.upstream.received.length;
    const res = await post("/v1/responses", body);
    expect(res.status).toBe(200);
    expect(leaked(proxy.upstream.received[before] as Recorded, c.all)).toEqual([]);
    const out = JSON.parse(res.text) as { output: { content: { text: string }[] }[] };
    const echoed = (JSON.parse(out.output[0]?.content[0]?.text ?? "[]") as string[]).join("\n");
    for (const value of c.all) expect(echoed).toContain(value);
  });

  it("anthropic messages: nothing leaks; the echo restores every value and tool_use.input with its types", async () => {
    const c = new Canaries();
    const { body, input } = anthropicBody(c);
    proxy.upstream.handle((req, res) => {
      const sent = JSON.parse(req.body) as { messages: { content: { type: string; input?: unknown }[] }[] };
      const sentInput = sent.messages.flatMap((m) => m.content).find((b) => b.type === "tool_use")?.input;
      sendJson(res, 200, {
        id: "msg_1",
        type: "message",
        role: "assistant",
        content: [
          { type: "text", text: JSON.stringify(allStrings(sent)) },
          { type: "tool_use", id: "toolu_9", name: "lookup", input: sentInput },
        ],
      });
    });
    const before = proxy.upstream.received.length;
    const res = await post("/v1/messages", body);
    expect(res.status).toBe(200);
    expect(leaked(proxy.upstream.received[before] as Recorded, c.all)).toEqual([]);
    const out = JSON.parse(res.text) as { content: { text?: string; input?: unknown }[] };
    const echoed = (JSON.parse(out.content[0]?.text ?? "[]") as string[]).join("\n");
    for (const value of c.all) expect(echoed).toContain(value);
    expect(out.content[1]?.input).toEqual(input);
  });

  it.each([
    [
      "/v1/embeddings",
      (c: Canaries) => ({ model: "e", input: [c.s(), c.s()], user: c.s(), encoding_format: "float" }),
    ],
    [
      "/v1/completions",
      (c: Canaries) => ({ model: "c", prompt: c.s(), suffix: c.s(), stop: [c.s()], user: c.s() }),
    ],
    [
      "/v1/images/generations",
      (c: Canaries) => ({ model: "i", prompt: c.s(), user: c.s(), size: "1024x1024" }),
    ],
    [
      "/v1/moderations",
      (c: Canaries) => ({
        model: "m",
        input: [
          { type: "text", text: c.s() },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBO" } },
        ],
      }),
    ],
    ["/v1/responses/input_tokens", (c: Canaries) => responsesBody(c)],
    ["/v1/messages/count_tokens", (c: Canaries) => anthropicBody(c).body],
    [
      "/v1/messages/batches",
      (c: Canaries) => ({ requests: [{ custom_id: c.s(), params: anthropicBody(c).body }] }),
    ],
  ])("%s: nothing leaks", async (path, make) => {
    const c = new Canaries();
    proxy.upstream.handle((_req, res) => sendJson(res, 200, { id: "x" }));
    const before = proxy.upstream.received.length;
    const res = await post(path, make(c));
    expect(res.status).toBe(200);
    expect(leaked(proxy.upstream.received[before] as Recorded, c.all)).toEqual([]);
  });
});
