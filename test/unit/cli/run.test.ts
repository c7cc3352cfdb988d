import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { exitStatusOf, probeProxy, splitRunArgs } from "../../../src/cli/run.js";

describe("splitRunArgs", () => {
  const booleans = new Set(["ephemeral", "help"]);
  it("splits at -- or at the first word that is not an option or its value", () => {
    expect(splitRunArgs(["--port", "9000", "--", "node", "--help"], booleans)).toEqual({
      options: ["--port", "9000"],
      command: ["node", "--help"],
    });
    expect(splitRunArgs(["--ephemeral", "--port=1", "claude", "--model", "x"], booleans)).toEqual({
      options: ["--ephemeral", "--port=1"],
      command: ["claude", "--model", "x"],
    });
    expect(splitRunArgs(["--no-ephemeral", "aider"], booleans).command).toEqual(["aider"]);
    expect(splitRunArgs(["--port", "1"], booleans)).toEqual({ options: ["--port", "1"], command: [] });
  });
});

describe("exitStatusOf", () => {
  it("passes codes through and maps signals to 128+n", () => {
    expect(exitStatusOf(0, null)).toBe(0);
    expect(exitStatusOf(3, null)).toBe(3);
    expect(exitStatusOf(null, "SIGINT")).toBe(130);
    expect(exitStatusOf(null, "SIGTERM")).toBe(143);
    expect(exitStatusOf(null, "SIGKILL")).toBe(137);
  });
});

describe("probeProxy", () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });
  async function serve(handler: http.RequestListener): Promise<string> {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const json = (res: http.ServerResponse, body: unknown): void => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  it("tells a MemPrivacy proxy from nothing and from something else", async () => {
    const proxy = await serve((req, res) =>
      req.url === "/healthz"
        ? json(res, { status: "ok" })
        : json(res, { status: "ready", detector: { kind: "rules", id: "rules" }, vault: "memory" }),
    );
    expect(await probeProxy(proxy)).toBe("memprivacy");
    // Any other service with a /healthz is not taken for the proxy.
    const other = await serve((_req, res) => json(res, { status: "ok" }));
    expect(await probeProxy(other)).toBe("other");
    const html = await serve((_req, res) => res.end("<html>"));
    expect(await probeProxy(html)).toBe("other");
    const silent = await serve(() => undefined);
    expect(await probeProxy(silent, 200)).toBe("other");
    const port = new URL(other).port;
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
    expect(await probeProxy(`http://127.0.0.1:${port}`)).toBe("none");
  });
});
