/**
 * Security regression: scope isolation. A placeholder issued to one credential or session is
 * never restored for another — neither by `/v1/restore` nor in a chat response, streamed or not — and a
 * caller cannot enumerate another scope's values by sending `<Type_1>`…`<Type_50>`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { placeholderNameFor } from "../../src/taxonomy/placeholder.js";
import { STANDARD_TYPES } from "../../src/taxonomy/types.js";
import { testApp } from "../helpers/app.js";
import { CANARY, CANARY_TEXT, CANARY_VALUES } from "../helpers/canaries.js";
import { chatView, type ChatView } from "../helpers/chat-client.js";
import { secretsIn } from "../helpers/leak-check.js";
import { sendJson, startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";

type App = Awaited<ReturnType<typeof testApp>>["app"];
let upstream: MockUpstream;
let app: App;

const ALICE = { authorization: "Bearer sk-alice-0000000000000001" };
/** Every identity that is not Alice's scope. */
const OTHERS: Record<string, Record<string, string>> = {
  "another credential": { authorization: "Bearer sk-bob-00000000000000002" },
  "Alice's credential with a session": { ...ALICE, "x-memprivacy-session": "s2" },
  "Alice's key as x-api-key": { "x-api-key": "sk-alice-0000000000000001" },
  anonymous: {},
  "a session spelled like scope syntax": { ...ALICE, "x-memprivacy-session": "|session:" },
};

async function chat(headers: Record<string, string>, text: string, stream: boolean): Promise<ChatView> {
  const res = await app.inject({
    method: "POST",
    url: "/v1/chat/completions",
    headers: { ...headers, "content-type": "application/json", "x-memprivacy-user-name": CANARY.name },
    payload: { model: "m", stream, messages: [{ role: "user", content: text }] },
  });
  expect(res.statusCode).toBe(200);
  return chatView(res.headers["content-type"] as string | undefined, res.body);
}

async function restore(headers: Record<string, string>, text: string): Promise<string> {
  const res = await app.inject({ method: "POST", url: "/v1/restore", headers, payload: { text } });
  expect(res.statusCode).toBe(200);
  return res.json<{ text: string }>().text;
}

/** What the upstream received as the last user message (Alice's text with her placeholders). */
let aliceSanitized = "";
/** Placeholders Alice's request was given. */
let alicePlaceholders: string[] = [];

beforeAll(async () => {
  upstream = await startMockUpstream();
  upstream.handle(openAIEcho);
  ({ app } = await testApp({ upstream: upstream.url }));
  const view = await chat(ALICE, CANARY_TEXT, false);
  expect(view.content).toBe(`You said: ${CANARY_TEXT}`);
  const sent = JSON.parse(upstream.received.at(-1)?.body ?? "{}") as { messages: { content: string }[] };
  aliceSanitized = sent.messages[0]?.content ?? "";
  alicePlaceholders = aliceSanitized.match(/<[A-Za-z0-9_]+_\d+>/g) ?? [];
});
afterAll(async () => {
  await app.close();
  await upstream.close();
});

describe("scope isolation", () => {
  it("Alice's request was masked (the premise of every other test)", () => {
    expect(secretsIn(aliceSanitized, CANARY_VALUES)).toEqual([]);
    expect(alicePlaceholders.length).toBeGreaterThanOrEqual(CANARY_VALUES.length);
  });

  it.each(Object.keys(OTHERS))("never restores Alice's placeholders for %s (/v1/restore)", async (who) => {
    const text = await restore(OTHERS[who] as Record<string, string>, aliceSanitized);
    expect(text).toBe(aliceSanitized);
    // positive control: the owner gets her values back
    expect(await restore(ALICE, aliceSanitized)).toBe(CANARY_TEXT);
  });

  it.each(Object.keys(OTHERS).flatMap((who) => [[who, false] as const, [who, true] as const]))(
    "never restores Alice's placeholders in a chat response for %s (stream: %s)",
    async (who, stream) => {
      const view = await chat(OTHERS[who] as Record<string, string>, aliceSanitized, stream);
      expect(secretsIn(view.content + view.args, CANARY_VALUES)).toEqual([]);
      for (const p of alicePlaceholders) expect(view.content).toContain(p);
    },
  );

  it("never restores placeholders that the model invents on its own, in any scope", async () => {
    const invented = `Reminder: ${alicePlaceholders.join(" ")}`;
    upstream.handle((_req, res) =>
      sendJson(res, 200, {
        id: "x",
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: invented }, finish_reason: "stop" }],
      }),
    );
    try {
      const bob = await chat(OTHERS["another credential"] as Record<string, string>, "hello", false);
      expect(bob.content).toBe(invented);
      // Not even in Alice's own scope: this exchange never sent those values (restoration is bound to it).
      const alice = await chat(ALICE, "hello", false);
      expect(alice.content).toBe(invented);
    } finally {
      upstream.handle(openAIEcho);
    }
  });

  it("cannot be enumerated: <Type_1>…<Type_50> of every type come back unchanged in another scope", async () => {
    const names = new Set<string>(alicePlaceholders.map((p) => p.slice(1).replace(/_\d+>$/, "")));
    for (const tag of Object.values(STANDARD_TYPES).flat()) names.add(placeholderNameFor(tag));
    const probes: string[] = [];
    for (const name of names) for (let n = 1; n <= 50; n++) probes.push(`<${name}_${n}>`);
    const mangled = [...names].map((name) => `[${name.replace(/_/g, " ").toLowerCase()} 1]`);
    const text = [...probes, ...mangled].join(" ");
    // A caller that has sent nothing yet: its scope is empty, so every probe must come back as sent.
    const carol = { authorization: "Bearer sk-carol-000000000000003" };
    expect(await restore(carol, text)).toBe(text);
    const view = await chat(carol, text, true);
    expect(secretsIn(view.content + view.args, CANARY_VALUES)).toEqual([]);
    // what Carol sent came back as she sent it (her probes were reserved, never issued to another value)
    expect(view.content).toBe(`You said: ${text}`);
    expect(secretsIn(await restore(carol, text), CANARY_VALUES)).toEqual([]);
  });

  it("leaves unknown placeholders as they are, also in the owner's scope", async () => {
    const text = "<Email_99> <Phone_Number_0> <Made_Up_Type_1> [email 77] <Email_1x> <Email_>";
    expect(await restore(ALICE, text)).toBe(text);
  });
});
