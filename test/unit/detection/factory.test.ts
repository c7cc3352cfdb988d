/**
 * The detector a configuration builds receives the configuration's settings, not defaults of its own: the
 * remote detector is checked against a real OpenAI-compatible mock on 127.0.0.1:0 that records each request.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDetectorFromConfig } from "../../../src/detection/factory.js";
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
