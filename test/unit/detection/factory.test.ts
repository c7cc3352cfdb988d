/**
 * The detector a configuration builds receives the configuration's settings, not defaults of its own: the
 * remote detector is checked against a real OpenAI-compatible mock on 127.0.0.1:0 that records each request.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDetectorFromConfig, createRulesFromConfig } from "../../../src/detection/factory.js";
import { testConfig } from "../../helpers/app.js";

let server: Server;
let base = "";
const bodies: Record<string, unknown>[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      bodies.push(JSON.parse(raw) as Record<string, unknown>);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          choices: [{ index: 0, message: { role: "assistant", content: "[]" }, finish_reason: "stop" }],
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe("createRulesFromConfig", () => {
  // A French national number: a phone number for FR (in the default regions), not for US alone.
  const short = "Rendez-vous: 04 90 75 40 81.";
  // Long enough for a worker thread (texts from 16 KiB).
  const long = `${short} ${"The cat sat on the mat. ".repeat(800)}`;

  it.each([0, 1])(
    "gives the rules the configured phone regions (detectWorkers %i)",
    async (detectWorkers) => {
      const phones = async (phoneRegions: string | undefined, text: string): Promise<string[]> => {
        const rules = createRulesFromConfig(
          testConfig({ detectWorkers, ...(phoneRegions === undefined ? {} : { phoneRegions }) }),
        );
        try {
          return (await rules.detect({ text })).filter((s) => s.type === "Phone Number").map((s) => s.text);
        } finally {
          await rules.close();
        }
      };
      for (const text of [short, long]) {
        expect(await phones(undefined, text)).toEqual(["04 90 75 40 81"]);
        expect(await phones("US", text)).toEqual([]);
        expect(await phones("FR", text)).toEqual(["04 90 75 40 81"]);
      }
    },
  );
});

describe("createDetectorFromConfig", () => {
  it("gives the remote detector the configured generation cap", async () => {
    for (const modelMaxTokens of [2048, 777]) {
      const config = testConfig({
        detector: "remote",
        remoteUrl: base,
        detectWorkers: 0,
        ...(modelMaxTokens === 2048 ? {} : { modelMaxTokens }),
      });
      const detector = await createDetectorFromConfig(config);
      try {
        expect(detector.info().kind).toBe("rules+remote");
        await detector.detect({ text: "tea please" });
        expect(bodies.at(-1)?.max_tokens).toBe(modelMaxTokens);
      } finally {
        await detector.close();
      }
    }
  });
});
