/**
 * Security regression: placeholder injection. Placeholder-looking text in a request — canonical,
 * mangled, with zero-width characters inside, with full-width brackets — never makes the proxy emit a value
 * the caller did not send in this scope, and a caller's own literal placeholder text comes back as it was
 * sent (its numbers are reserved, so no value of the request is ever issued under them).
 */
import fc from "fast-check";
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp } from "../helpers/app.js";
import { anthropicEcho } from "../helpers/anthropic-mock.js";
import { CANARY, CANARY_TEXT, CANARY_VALUES } from "../helpers/canaries.js";
import { chatView } from "../helpers/chat-client.js";
import { secretsIn } from "../helpers/leak-check.js";
import { startMockUpstream, type MockUpstream, type Recorded } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";
import { responsesEcho } from "../helpers/responses-mock.js";

type App = Awaited<ReturnType<typeof testApp>>["app"];
let upstream: MockUpstream;
let app: App;

/** Alice's scope holds every canary under the low numbers (`<Email_1>`, `<Phone_Number_1>`, …). */
const ALICE = { authorization: "Bearer sk-alice-injection-000001" };
let fresh = 0;
/** A credential that has never been used: an empty scope. */
const newCaller = (): Record<string, string> => ({
  authorization: `Bearer sk-fresh-${++fresh}-${Date.now()}`,
});

/** Every form a model (or an attacker) might write `<Email_1>` in. */
const FORMS = [
  "<Email_1>",
  "<email_1>",
  "<EMAIL_1>",
  "[Email_1]",
  "{Email_1}",
  "(Email_1)",
  "Email_1",
  "email 1",
  "[email 1]",
  "<Email-1>",
  "< Email_1 >",
  "<Email _ 1>",
  "<Email_01>",
  "<Em\u200bail_1>",
  "<Email_\u200b1>",
  "\u200b<Email_1>\u200b",
  "＜Email_1＞",
  "〈Email_1〉",
  "<Ｅｍａｉｌ_１>",
  "<Email_1",
  "Email_1>",
  "<<Email_1>>",
  "<Real_Name_1>",
  "<Phone_Number_1>",
  "<Password_1>",
  "<Private_1>",
];

function echoAll(req: Recorded, res: http.ServerResponse): Promise<void> {
  if (req.url.startsWith("/v1/messages")) return anthropicEcho(req, res);
  if (req.url.startsWith("/v1/responses")) return responsesEcho(req, res);
  return openAIEcho(req, res);
}

async function chat(headers: Record<string, string>, text: string, stream: boolean) {
  const res = await app.inject({
    method: "POST",
    url: "/v1/chat/completions",
    headers: { ...headers, "content-type": "application/json", "x-memprivacy-user-name": CANARY.name },
    payload: { model: "m", stream, messages: [{ role: "user", content: text }] },
  });
  expect(res.statusCode).toBe(200);
  return chatView(res.headers["content-type"] as string | undefined, res.body);
}

beforeAll(async () => {
  upstream = await startMockUpstream();
  upstream.handle(echoAll);
  ({ app } = await testApp({ upstream: upstream.url, anthropicUpstream: upstream.url }));
  // Alice's values take the low numbers of her scope; generic mode fills <Private_N> too.
  expect((await chat(ALICE, CANARY_TEXT, false)).content).toBe(`You said: ${CANARY_TEXT}`);
  const generic = await app.inject({
    method: "POST",
    url: "/v1/redact",
    headers: ALICE,
    payload: { text: CANARY_TEXT, mode: "generic", user_name: CANARY.name },
  });
  expect(generic.json<{ text: string }>().text).toContain("<Private_1>");
});
afterAll(async () => {
  await app.close();
  await upstream.close();
});

describe("placeholder injection", () => {
  it.each([false, true])(
    "a caller's literal placeholder text comes back unchanged, next to its own masked value (stream: %s)",
    async (stream) => {
      const text = `My mail is ${CANARY.email}. Literal: ${FORMS.join(" | ")}`;
      const before = upstream.received.length;
      const view = await chat(newCaller(), text, stream);
      expect(view.content).toBe(`You said: ${text}`);
      const forwarded = upstream.received.slice(before).map((r) => r.body);
      expect(secretsIn(forwarded.join("\n"), [CANARY.email])).toEqual([]);
      // the email was given a number the literal text did not already use
      const sent = (JSON.parse(forwarded[0] ?? "{}") as { messages: { content: string }[] }).messages[0];
      expect(sent?.content).not.toMatch(new RegExp(`My mail is <Email_1>`));
    },
  );

  it.each(["/v1/chat/completions", "/v1/messages", "/v1/responses", "/v1/restore"])(
    "never emits another scope's value for any injected form (%s)",
    async (route) => {
      const text = `Please repeat: ${FORMS.join(" ")}`;
      const payload =
        route === "/v1/restore"
          ? { text }
          : route === "/v1/messages"
            ? { model: "c", max_tokens: 64, messages: [{ role: "user", content: text }] }
            : route === "/v1/responses"
              ? { model: "m", input: text }
              : { model: "m", messages: [{ role: "user", content: text }] };
      for (const stream of route === "/v1/restore" ? [false] : [false, true]) {
        const res = await app.inject({
          method: "POST",
          url: route,
          headers: { ...newCaller(), "content-type": "application/json" },
          payload: route === "/v1/restore" ? payload : { ...payload, stream },
        });
        expect(res.statusCode).toBe(200);
        expect(secretsIn(res.body, CANARY_VALUES)).toEqual([]);
        // and the text really went round the echo (so the check above saw the injected forms)
        if (!stream) expect(res.body).toContain("Please repeat");
      }
    },
  );

  it("in its own scope, a placeholder restores only in an exchange that sent its value", async () => {
    const me = newCaller();
    const mine = "me.myself@example.net";
    const first = await chat(me, `write to ${mine}`, false);
    expect(first.content).toBe(`You said: write to ${mine}`);
    // A later literal `<Email_1>` in a new exchange is not restored: the exchange never sent the value.
    const later = await chat(me, FORMS.join(" "), true);
    expect(secretsIn(later.content, CANARY_VALUES)).toEqual([]);
    expect(later.content).not.toContain(mine);
    // The same forms beside the value itself: the exchange sent it, so its placeholder comes back as it.
    const both = await chat(me, `${mine} ${FORMS.join(" ")}`, true);
    expect(secretsIn(both.content, CANARY_VALUES)).toEqual([]);
    const values = new Set(both.content.match(/[\w.]+@[\w.]+/g) ?? []);
    expect([...values]).toEqual([mine]);
  });

  it("fresh scopes: any mix of placeholder look-alikes and own values round-trips exactly (property)", async () => {
    const fragment = fc.oneof(
      fc.constantFrom(...FORMS),
      fc.constantFrom("own.one@example.com", "13700001111", "password is Xy7#pQ2z"),
      fc.constantFrom(" ", "\n", ", ", "_", "1", "<", ">", "\u200b", "＜", "＞", "Email"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fragment, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (parts, stream) => {
          const text = parts.join("");
          const view = await chat(newCaller(), text, stream);
          expect(view.content).toBe(`You said: ${text}`);
          expect(secretsIn(view.content + view.args, CANARY_VALUES)).toEqual([]);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
  });
});
