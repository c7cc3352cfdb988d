/**
 * The browser boundary in a real browser (Debian's Chromium, headless, driven by playwright-core; skipped with
 * a message where it is missing): a page on another origin must not read a restored response even when the
 * upstream grants CORS to everyone, and a DNS-rebinding page (a foreign name that resolves to the proxy) must
 * get 421 whatever address the proxy listens on. Chromium's `--host-resolver-rules` plays the attacker's DNS.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";
import { CANARY } from "../helpers/canaries.js";
import { startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  console.warn(`browser boundary tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
}

/** Names the attacker controls; the browser resolves them to the proxy's loopback addresses. */
const EVIL4 = "evil.test";
const EVIL6 = "evil6.test";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--host-resolver-rules=MAP ${EVIL4} 127.0.0.1, MAP ${EVIL6} [::1]`,
];

/** A tiny "attacker" web server: any path answers an empty HTML page (the page's origin is what matters). */
async function startAttackerSite(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>elsewhere</title><p>an ordinary web page</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the page could read of a fetch: its status and body, or the error the browser raised. */
interface PageRead {
  readonly status?: number;
  readonly text?: string;
  readonly blocked?: string;
}

/** Runs `fetch(url, init)` inside the page and reports what the page script could read. */
async function readFromPage(page: Page, url: string, init: Record<string, unknown>): Promise<PageRead> {
  return page.evaluate(
    async ([target, options]) => {
      try {
        const res = await fetch(target, options);
        return { status: res.status, text: await res.text() };
      } catch (err) {
        return { blocked: String(err) };
      }
    },
    [url, init] as const,
  );
}

describe.skipIf(!HAS_CHROMIUM)("browser boundary in Chromium", { timeout: 30_000 }, () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }

  describe("a page on another origin, with an upstream that grants CORS to everyone", () => {
    let upstream: MockUpstream;
    let app: TestApp;
    let base: string;
    let site: Awaited<ReturnType<typeof startAttackerSite>>;
    let placeholder: string;

    beforeAll(async () => {
      upstream = await startMockUpstream();
      // A permissive OpenAI-compatible upstream: every answer and every preflight allows any origin.
      upstream.handle(async (req, res) => {
        res.setHeader("access-control-allow-origin", "*");
        res.setHeader("access-control-allow-headers", "*");
        res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
        res.setHeader("set-cookie", "upstream_session=abc; Path=/");
        if (req.method === "OPTIONS") {
          res.writeHead(204);
          res.end();
          return;
        }
        if (req.url.startsWith("/v1/chat/completions")) return openAIEcho(req, res);
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"object":"list","data":[]}');
      });
      // The user's own setup: an injected key, so the user's agent sends no credential (anonymous scope).
      ({ app } = await testApp({ upstream: upstream.url, upstreamApiKey: "sk-injected-user-key-0001" }));
      base = await app.listen({ host: "127.0.0.1", port: 0 });
      // The user's agent has sent the value before: the anonymous scope knows it.
      const seeded = await app.inject({
        method: "POST",
        url: "/v1/redact",
        headers: { "content-type": "application/json" },
        payload: { text: `call me at ${CANARY.phone}` },
      });
      placeholder = seeded.json<{ spans: { placeholder: string }[] }>().spans[0]?.placeholder ?? "";
      expect(placeholder).toMatch(/^<Phone_Number_\d+>$/);
      site = await startAttackerSite();
    });
    afterAll(async () => {
      await app?.close();
      await upstream?.close();
      await site?.close();
    });

    it("cannot read a restored chat completion (preflighted JSON), and nothing reaches the upstream", async () => {
      const page = await newPage();
      await page.goto(`http://${EVIL4}:${site.port}/`);
      const before = upstream.received.length;
      const read = await readFromPage(page, `${base}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-test", messages: [{ role: "user", content: placeholder }] }),
      });
      expect(read.blocked, JSON.stringify(read)).toBeDefined();
      expect(JSON.stringify(read)).not.toContain(CANARY.phone);
      // Neither the preflight nor the request went on: the injected key served no foreign page.
      expect(upstream.received.slice(before)).toEqual([]);
      await page.context().close();
    });

    it("cannot read /v1/restore of the anonymous scope", async () => {
      const page = await newPage();
      await page.goto(`http://${EVIL4}:${site.port}/`);
      const read = await readFromPage(page, `${base}/v1/restore`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: placeholder }),
      });
      expect(read.blocked, JSON.stringify(read)).toBeDefined();
      expect(JSON.stringify(read)).not.toContain(CANARY.phone);
      await page.context().close();
    });

    it("cannot read a passthrough GET answered with CORS headers by the upstream", async () => {
      const page = await newPage();
      await page.goto(`http://${EVIL4}:${site.port}/`);
      const before = upstream.received.length;
      const read = await readFromPage(page, `${base}/v1/models`, {});
      expect(read.blocked, JSON.stringify(read)).toBeDefined();
      expect(upstream.received.slice(before)).toEqual([]);
      await page.context().close();
    });

    it("a page whose origin is listed in allowedOrigins can read (so the refusals above are the proxy's)", async () => {
      const origin = `http://${EVIL4}:${site.port}`;
      const { app: listed } = await testApp({ upstream: upstream.url, allowedOrigins: origin });
      try {
        const listedBase = await listed.listen({ host: "127.0.0.1", port: 0 });
        const page = await newPage();
        await page.goto(`${origin}/`);
        const read = await readFromPage(page, `${listedBase}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "gpt-test", messages: [{ role: "user", content: "hello" }] }),
        });
        expect(read.status, JSON.stringify(read)).toBe(200);
        expect(read.text).toContain("You said: hello");
        await page.context().close();
      } finally {
        await listed.close();
      }
    });

    it("the proxy's own page, same-origin, still reads its answers", async () => {
      const page = await newPage();
      const res = await page.goto(`${base}/`);
      expect(res?.status()).toBe(200);
      const read = await readFromPage(page, "/v1/restore", {
        method: "POST",
        headers: { "content-type": "application/json", "x-memprivacy-session": "playground" },
        body: JSON.stringify({ text: "nothing to restore" }),
      });
      expect(read.status, JSON.stringify(read)).toBe(200);
      await page.context().close();
    });
  });

  describe("a DNS-rebinding page (a foreign name resolving to the proxy)", () => {
    const listeners: { listen: string; evil: string }[] = [
      { listen: "0.0.0.0", evil: EVIL4 },
      { listen: "127.1", evil: EVIL4 },
      { listen: "::1", evil: EVIL6 },
    ];

    it.each(listeners)("gets 421 from a proxy started with --host $listen", async ({ listen, evil }) => {
      const { app } = await testApp({ host: listen });
      try {
        await app.listen({ host: listen, port: 0 });
        const port = (app.server.address() as AddressInfo).port;
        const page = await newPage();
        const nav = await page.goto(`http://${evil}:${port}/`);
        expect(nav?.status()).toBe(421);
        expect(await nav?.text()).not.toContain("<html");
        // The rebound page is same-origin with itself: its fetch reaches the proxy, and must still be refused.
        const read = await readFromPage(page, "/v1/restore", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ text: "<Phone_Number_1>" }),
        });
        expect(read.status, JSON.stringify(read)).toBe(421);
        const status = await readFromPage(page, "/v1/memprivacy/status", {});
        expect(status.status, JSON.stringify(status)).toBe(421);
        await page.context().close();
      } finally {
        await app.close();
      }
    });
  });
});
