/** The container healthcheck probes where the proxy listens: the same configuration, file included. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { healthTarget } from "../../../src/cli/health-target.js";
import { tempDir } from "../../helpers/app.js";

const data = tempDir();
afterAll(() => data.cleanup());

describe("healthTarget", () => {
  it("takes the schema's defaults", () => {
    expect(healthTarget({})).toEqual({ host: "127.0.0.1", port: 8787 });
  });

  it("takes host and port from the environment, a wildcard address probed on loopback", () => {
    expect(healthTarget({ MEMPRIVACY_HOST: "0.0.0.0", MEMPRIVACY_PORT: "9001" })).toEqual({
      host: "127.0.0.1",
      port: 9001,
    });
    expect(healthTarget({ MEMPRIVACY_HOST: "::" }).host).toBe("127.0.0.1");
    expect(healthTarget({ MEMPRIVACY_HOST: "10.1.2.3" }).host).toBe("10.1.2.3");
  });

  it("takes host and port from the configuration file too", () => {
    const file = path.join(data.dir, "config.json");
    fs.writeFileSync(file, JSON.stringify({ port: 9123, host: "127.0.0.2" }));
    expect(healthTarget({ MEMPRIVACY_CONFIG: file })).toEqual({ host: "127.0.0.2", port: 9123 });
  });
});
