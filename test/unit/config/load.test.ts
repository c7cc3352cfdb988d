/** loadConfig: one validated configuration, frozen all the way down, defaults from the schema alone. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/load.js";
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
});
