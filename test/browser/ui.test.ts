/**
 * The page in a real browser: Debian's Chromium driven headless by playwright-core (never a downloaded
 * browser). The real app runs on 127.0.0.1:0 in front of a mock upstream. Skipped, with a message, where
 * /usr/bin/chromium (or `CHROMIUM_PATH`) is missing (`.ci/run` installs it).
 */
import fs from "node:fs";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp } from "../helpers/app.js";
import { CANARY, CANARY_TEXT, CANARY_VALUES, leakedCanaries } from "../helpers/canaries.js";
import { startMockUpstream, type MockUpstream } from "../helpers/mock-upstream.js";
import { openAIEcho } from "../helpers/openai-mock.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);
}

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const SEED =
  "Hello, my name is Zhang San, and my mobile number is 13800138000. My verification code is 89757.";
const SEED_CLOUD =
  "Hello, my name is <Real_Name_1>, and my mobile number is <Phone_Number_1>. " +
  "My verification code is <Verification_Code_1>.";
const TOKEN = "browser-test-token-0123456789";

/** One attribute of every element a locator matches, in document order. */
async function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (const element of await locator.all()) out.push(await element.getAttribute(name));
  return out;
}

/** What a page did that the tests check at the end: console errors, page errors, every URL it asked for. */
interface Watch {
  readonly errors: string[];
  readonly urls: string[];
}

describe.skipIf(!HAS_CHROMIUM)("web page in Chromium", { timeout: 20_000 }, () => {
  let browser: Browser;
  let upstream: MockUpstream;
  let app: Awaited<ReturnType<typeof testApp>>["app"];
  let base: string;
  const watches: Watch[] = [];

  /** A fresh page (own browser context) whose console, errors and requests are recorded. */
  async function openPage(url: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport, colorScheme: "light", reducedMotion: "reduce" });
    const page = await context.newPage();
    const watch: Watch = { errors: [], urls: [] };
    watches.push(watch);
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") watch.errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (err) => watch.errors.push(`pageerror: ${err.message}`));
    page.on("request", (r) => watch.urls.push(r.url()));
    await page.goto(url);
    await page.locator("#traffic-state[data-state=live]").waitFor({ timeout: 5_000 });
    return page;
  }

  beforeAll(async () => {
    upstream = await startMockUpstream();
    upstream.handle(openAIEcho);
    ({ app } = await testApp({ upstream: upstream.url }));
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await upstream?.close();
  });

  describe("playground", () => {
    let page: Page;
    beforeAll(async () => {
      page = await openPage(`${base}/`);
    });

    it("highlights the seed example: three spans PL2, PL2, PL4, and the cloud view shows their placeholders", async () => {
      await page.locator("#user-name").pressSequentially("Zhang San");
      await page.locator("#input").pressSequentially(SEED);
      const spans = page.locator("#highlighted .hl");
      await expect.poll(() => spans.count()).toBe(3);
      expect(await attributes(spans, "data-level")).toEqual(["PL2", "PL2", "PL4"]);
      expect(await spans.allTextContents()).toEqual(["Zhang San", "13800138000", "89757"]);
      expect(await attributes(spans, "data-type")).toEqual([
        "Real Name",
        "Phone Number",
        "Verification Code",
      ]);
      // The highlighted view is the input itself; the level labels are CSS, not text.
      expect(await page.locator("#highlighted").innerText()).toBe(SEED);
      // The cloud view is exactly what the cloud receives.
      await expect.poll(() => page.locator("#cloud").innerText()).toBe(SEED_CLOUD);
      expect(await page.locator("#cloud .ph").allTextContents()).toEqual([
        "<Real_Name_1>",
        "<Phone_Number_1>",
        "<Verification_Code_1>",
      ]);
      expect(await page.locator("#summary").innerText()).toBe("3 spans: 2 × PL2, 1 × PL4");
      // The status panel counts the playground scope.
      await expect
        .poll(() => page.locator("#vault-levels").innerText())
        .toMatch(/PL2\s*2\s*PL3\s*0\s*PL4\s*1/);
    });

    it("shows the type on hover and on keyboard focus", async () => {
      const tip = page.locator("#tip");
      await page.locator("#highlighted .hl").first().hover();
      await expect.poll(() => tip.isVisible()).toBe(true);
      expect(await tip.innerText()).toMatch(/Real Name\s*PL2 · sent as <Real_Name_1>/);
      await page.mouse.move(0, 0);
      await expect.poll(() => tip.isVisible()).toBe(false);

      await page.locator("#highlighted .hl").nth(2).focus();
      await expect.poll(() => tip.isVisible()).toBe(true);
      expect(await tip.innerText()).toMatch(/Verification Code\s*PL4 · sent as <Verification_Code_1>/);
      expect(await page.locator("#highlighted .hl").nth(2).getAttribute("aria-label")).toBe(
        "89757: Verification Code, PL4, sent as <Verification_Code_1>",
      );
      await page.keyboard.press("Escape");
      await expect.poll(() => tip.isVisible()).toBe(false);
    });

    it("restores placeholder text, the cloud view's and a mangled answer", async () => {
      await page.click("#use-cloud");
      expect(await page.locator("#restore-input").inputValue()).toBe(SEED_CLOUD);
      await expect.poll(() => page.locator("#restored").innerText()).toBe(SEED);

      await page.fill("#restore-input", "I will call [Phone Number 1] for <real_name_1>.");
      await page.click("#restore-btn");
      await expect
        .poll(() => page.locator("#restored").innerText())
        .toBe("I will call 13800138000 for Zhang San.");
    });

    it("levels and mode change what is masked", async () => {
      await page.uncheck('input[name="level"][value="PL2"]');
      await expect.poll(() => page.locator("#highlighted .hl").count()).toBe(1);
      expect(await page.locator("#cloud").innerText()).toBe(
        "Hello, my name is Zhang San, and my mobile number is 13800138000. " +
          "My verification code is <Verification_Code_1>.",
      );
      await page.selectOption("#mode", "complete");
      await expect
        .poll(() => page.locator("#cloud").innerText())
        .toBe(
          "Hello, my name is Zhang San, and my mobile number is 13800138000. My verification code is [REDACTED].",
        );
      await page.check('input[name="level"][value="PL2"]');
      await page.selectOption("#mode", "type_specific");
      await expect.poll(() => page.locator("#cloud").innerText()).toBe(SEED_CLOUD);
    });

    it("is keyboard-usable: Tab reaches the fields, the controls and the spans", async () => {
      await page.evaluate("document.activeElement && document.activeElement.blur()");
      const reached: string[] = [];
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press("Tab");
        reached.push(
          await page.evaluate<string>(
            `(() => { const e = document.activeElement; if (!e) return ""; ` +
              `return e.id || (e.getAttribute("data-level") ? "span:" + e.getAttribute("data-level") : "") || ` +
              `(e.getAttribute("name") === "level" ? "level:" + e.getAttribute("value") : e.tagName); })()`,
          ),
        );
      }
      for (const id of [
        "user-name",
        "mode",
        "level:PL2",
        "level:PL3",
        "level:PL4",
        "input",
        "span:PL2",
        "span:PL4",
        "restore-input",
        "restore-btn",
        "use-cloud",
        "hide-local",
      ]) {
        expect(reached, id).toContain(id);
      }
      // Every control has a label.
      const unlabelled = await page.evaluate<string[]>(
        `[...document.querySelectorAll("input, select, textarea")].filter((e) => e.labels.length === 0 && ` +
          `!e.getAttribute("aria-label")).map((e) => e.id || e.name)`,
      );
      expect(unlabelled).toEqual([]);
    });
  });

  it("shows a chat request through the proxy in the live view within a second, with counts and no values", async () => {
    const page = await openPage(`${base}/`);
    const headers = {
      authorization: "Bearer sk-browser-caller",
      "x-memprivacy-user-name": CANARY.name,
      "content-type": "application/json",
    };
    const messages = [
      { role: "system", content: `Assistant for ${CANARY.name} (${CANARY.email}).` },
      { role: "user", content: CANARY_TEXT },
    ];
    for (const stream of [false, true]) {
      const rows = page.locator("#traffic-rows tr", { hasText: "/v1/chat/completions" });
      const before = await rows.count();
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers,
        body: JSON.stringify({ model: "gpt-test", stream, messages }),
      });
      const counts = res.headers.get("x-memprivacy-redacted");
      const body = await res.text();
      expect(res.status).toBe(200);
      expect(body).toContain(CANARY.email);
      const t0 = Date.now();
      await expect.poll(() => rows.count(), { timeout: 1_000, interval: 20 }).toBe(before + 1);
      expect(Date.now() - t0).toBeLessThan(1_000);
      const cells = await rows.first().locator("td").allInnerTexts();
      expect(cells[1]).toBe("POST /v1/chat/completions");
      expect(cells[2]).toBe("200");
      expect(cells[3]).toBe("200");
      expect(`PL2=${cells[4]},PL3=${cells[5]},PL4=${cells[6]}`).toBe(counts);
      expect(Number(cells[4]) + Number(cells[5]) + Number(cells[6])).toBeGreaterThan(0);
      expect(cells[7]).toMatch(/^\d+(\.\d)? ms$/);
      expect(cells[8]).toMatch(/^\d+(\.\d)? ms$/);
      expect(cells[9]).toBe(stream ? "Yes" : "No");
    }
    const text = await page.evaluate<string>("document.body.innerText");
    const html = await page.content();
    for (const value of CANARY_VALUES) {
      expect(text, value).not.toContain(value);
      expect(html, value).not.toContain(value);
    }
    expect(leakedCanaries(html)).toEqual([]);
    expect(html).not.toContain("sk-browser-caller");
  });

  it("works in a narrow window and at 200 % zoom without horizontal scrolling", async () => {
    for (const width of [360, 640]) {
      const page = await openPage(`${base}/`, { width, height: 800 });
      await page.fill("#user-name", "Zhang San");
      await page.fill("#input", SEED);
      await expect.poll(() => page.locator("#highlighted .hl").count()).toBe(3);
      const [scrollWidth, innerWidth] = await page.evaluate<number[]>(
        "[document.documentElement.scrollWidth, window.innerWidth]",
      );
      expect(scrollWidth, `width ${width}`).toBeLessThanOrEqual(innerWidth ?? 0);
      await page.context().close();
    }
  });

  it("with a proxy token: the page opens with ?token= and sends it as a header on every call", async () => {
    const secured = (await testApp({ proxyToken: TOKEN, upstream: upstream.url })).app;
    try {
      const securedBase = await secured.listen({ host: "127.0.0.1", port: 0 });
      expect((await fetch(`${securedBase}/`)).status).toBe(401);
      const page = await openPage(`${securedBase}/?token=${TOKEN}`);
      const calls: { url: string; token: string | undefined }[] = [];
      page.on("request", (r) => {
        if (r.url().includes("/v1/")) calls.push({ url: r.url(), token: r.headers()["x-memprivacy-token"] });
      });
      await page.fill("#user-name", "Zhang San");
      await page.fill("#input", SEED);
      await expect.poll(() => page.locator("#highlighted .hl").count()).toBe(3);
      await expect.poll(() => page.locator("#ready-pill").innerText()).toMatch(/^Ready/);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        expect(call.token, call.url).toBe(TOKEN);
        expect(call.url).not.toContain("token=");
      }
      await page.context().close();
    } finally {
      await secured.close();
    }
  });

  it("has no console errors and loads nothing from outside the proxy", () => {
    expect(watches.length).toBeGreaterThan(0);
    for (const watch of watches) {
      expect(watch.errors).toEqual([]);
      expect(watch.urls.length).toBeGreaterThan(0);
      for (const url of watch.urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    }
    const origins = new Set(watches.flatMap((w) => w.urls.map((u) => new URL(u).origin)));
    // Two apps: the main one and the one with a token.
    expect(origins.size).toBeLessThanOrEqual(2);
  });
});
