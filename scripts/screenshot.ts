/**
 * `npm run screenshot`: builds the page, starts the proxy on port 0 with the rule detector in front of a
 * small local stand-in for the upstream API, sends a few chat requests so the live view has rows, opens the
 * playground in Debian's Chromium (headless, via playwright-core), types the seed example and saves
 * `docs/playground.png`. Nothing leaves the machine.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config/load.js";
import { buildUi } from "./build-ui.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "docs", "playground.png");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags for Debian's Chromium headless in a container, with no network chatter of its own. */
const CHROMIUM_ARGS = [
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
  "Hello, my name is Zhang San, and my mobile number is 13800138000. My verification code is 89757, " +
  "please do not share it.";

/** A stand-in upstream: answers chat completions with a short reply quoting the placeholders it saw. */
async function startUpstream(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as {
        stream?: boolean;
        messages?: { content?: unknown }[];
      };
      const last = body.messages?.at(-1)?.content;
      const said = typeof last === "string" ? last : "";
      const reply = `Noted: ${said.slice(0, 80)}`;
      const base = { id: "chatcmpl-demo", created: 1700000000, model: "demo" };
      if (body.stream === true) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const chunk = { ...base, object: "chat.completion.chunk" };
        res.write(
          `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta: { content: reply } }] })}\n\n`,
        );
        res.end("data: [DONE]\n\n");
        return;
      }
      const text = JSON.stringify({
        ...base,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium).`);
    process.exitCode = 1;
    return;
  }
  await buildUi();
  const upstream = await startUpstream();
  const config = loadConfig({
    env: {},
    flags: { detector: "rules", ephemeral: true, logLevel: "silent", upstream: upstream.url, port: 0 },
  });
  const app = await buildApp(config);
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const chat = async (content: string, stream: boolean): Promise<void> => {
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer sk-demo" },
        body: JSON.stringify({ model: "demo", stream, messages: [{ role: "user", content }] }),
      });
      await res.arrayBuffer();
    };
    await chat("Please summarise my week. Email me at li.wei@example.com.", false);
    await chat("My card is 4539 1488 0343 6467 and my password is Zq9vX2kq.", true);
    await chat("What is the capital of France?", false);
    await chat("Call me on +44 20 7946 0958 after 6pm, I am at 221B Baker Street.", true);
    await chat("Server 10.0.0.12 rejects my token sk-proj-AbCdEf0123456789AbCdEf0123456789.", false);

    const page = await browser.newPage({
      viewport: { width: 1360, height: 900 },
      deviceScaleFactor: 1,
      colorScheme: "light",
      reducedMotion: "reduce",
    });
    await page.goto(`${base}/`);
    await page.locator("#traffic-state[data-state=live]").waitFor();
    await page.fill("#user-name", "Zhang San");
    await page.fill("#input", SEED);
    await page.locator("#highlighted .hl").nth(2).waitFor();
    await page.click("#use-cloud");
    await page.locator("#restored").filter({ hasText: "Zhang San" }).waitFor();
    await page.locator("#vault-types tbody tr").nth(2).waitFor();
    await page.check("#hide-local");
    await page.locator("#highlighted .hl").nth(2).focus();
    await page.waitForTimeout(150);
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT, fullPage: true });
    console.log(`saved ${path.relative(ROOT, OUT)} (${(fs.statSync(OUT).size / 1024).toFixed(0)} KiB)`);
  } finally {
    await browser.close();
    await app.close();
    await upstream.close();
  }
}

await main();
