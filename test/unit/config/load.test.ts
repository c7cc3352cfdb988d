/** loadConfig: one validated configuration, frozen all the way down, defaults from the schema alone. */
import { describe, expect, it } from "vitest";
import { ConfigError, describeConfig, loadConfig } from "../../../src/config/load.js";
import { ConfigSchema } from "../../../src/config/schema.js";

describe("loadConfig", () => {
  it("freezes the configuration deeply: no key, list or nested value can change", () => {
    const config = loadConfig({ env: {}, flags: { allow: "a,b" } });
    expect(() => (config.levels as string[]).push("PL1")).toThrow(TypeError);
    expect(() => (config.allow as string[]).splice(0, 1)).toThrow(TypeError);
    expect(() => ((config as { port: number }).port = 1)).toThrow(TypeError);
    expect(config.levels).toEqual(["PL2", "PL3", "PL4"]);
    expect(config.allow).toEqual(["a", "b"]);
    for (const value of Object.values(config)) {
      if (typeof value === "object" && value !== null) expect(Object.isFrozen(value)).toBe(true);
    }
  });

  it("leaves the schema's shared defaults untouched across loads", () => {
    const a = loadConfig({ env: {} });
    const b = loadConfig({ env: {}, flags: { levels: "PL4" } });
    expect(a.levels).toEqual(["PL2", "PL3", "PL4"]);
    expect(b.levels).toEqual(["PL4"]);
    // A fresh parse still yields the defaults (freezing one result froze no shared default object).
    expect(ConfigSchema.parse({}).levels).toEqual(["PL2", "PL3", "PL4"]);
  });

  it("takes a shared vault URL, masks it when printed, and refuses it with an ephemeral vault", () => {
    const url = "postgres://memprivacy:hunter2-secret@db:5432/memprivacy";
    const config = loadConfig({ env: { MEMPRIVACY_VAULT_URL: url } });
    expect(config.vaultUrl).toBe(url);
    expect(config.vaultPoolSize).toBe(10);
    expect(JSON.stringify(describeConfig(config))).not.toContain("hunter2-secret");
    const refuse = (env: Record<string, string>): string => {
      try {
        loadConfig({ env });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect(String((err as Error).message)).not.toContain("hunter2-secret");
        return (err as ConfigError).problems.join("; ");
      }
      throw new Error("accepted");
    };
    expect(refuse({ MEMPRIVACY_VAULT_URL: url, MEMPRIVACY_EPHEMERAL: "true" })).toMatch(/vaultUrl/);
    expect(refuse({ MEMPRIVACY_VAULT_URL: "mysql://u:hunter2-secret@db/x" })).toMatch(/vaultUrl/);
  });
});
