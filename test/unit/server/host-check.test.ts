/** The Host check: strict grammar, loopback names, the literal listen address, allowedHosts — on every listener. */
import { describe, expect, it } from "vitest";
import { isAllowedHost, parseHost } from "../../../src/server/host-check.js";

const LISTENERS = ["127.0.0.1", "127.1", "localhost", "::1", "0.0.0.0", "::", "192.168.1.20"];

describe("parseHost", () => {
  it.each([
    ["localhost", { name: "localhost" }],
    ["LOCALHOST:8787", { name: "localhost", port: 8787 }],
    ["127.0.0.1:8787", { name: "127.0.0.1", port: 8787 }],
    ["[::1]:8787", { name: "[::1]", port: 8787 }],
    ["[::1]", { name: "[::1]" }],
    ["memprivacy:8787", { name: "memprivacy", port: 8787 }],
    ["app.localhost.", { name: "app.localhost" }],
    ["my_proxy-1", { name: "my_proxy-1" }],
  ])("reads %s", (value, parsed) => {
    expect(parseHost(value)).toEqual(parsed);
  });

  it.each([
    undefined,
    "",
    " ",
    "[::1]evil.example",
    "[::1]:80evil",
    "[::1",
    "[evil.example]",
    "127.0.0.1:1@evil.example",
    "user@localhost",
    "localhost:8787/path",
    "localhost:",
    "localhost:0",
    "localhost:65536",
    "localhost:+80",
    "localhost:80:80",
    "evil.example\tlocalhost",
    "local host",
    "127.1",
    "127.000.000.001",
    "0x7f.0.0.1",
    "2130706433",
    "1.2.3.4.5",
    "evil..example",
    "-evil.example",
    "evil.123",
    "a".repeat(64),
    "localhost%2f",
  ])("refuses %j", (value) => {
    expect(parseHost(value)).toBeUndefined();
  });
});

describe("isAllowedHost", () => {
  it.each(LISTENERS)("serves loopback names on a listener at %s", (listen) => {
    for (const host of [
      "localhost",
      "localhost:8787",
      "app.localhost:8787",
      "127.0.0.1:8787",
      "127.0.0.2",
      "[::1]:8787",
    ]) {
      expect(isAllowedHost(listen, host, []), `${listen} ${host}`).toBe(true);
    }
  });

  it.each(LISTENERS)("refuses foreign names and odd Hosts on a listener at %s (DNS rebinding)", (listen) => {
    for (const host of [
      "evil.test",
      "evil.test:8787",
      "localhost.evil.test",
      "[::1]evil.example",
      "127.0.0.1:1@evil.example",
      "127.1:8787",
      "0.0.0.0:8787",
      "[::]:8787",
      undefined,
      "",
    ]) {
      expect(isAllowedHost(listen, host, []), `${listen} ${String(host)}`).toBe(false);
    }
  });

  it("serves the literal address it listens on, never a wildcard", () => {
    expect(isAllowedHost("192.168.1.20", "192.168.1.20:8787", [])).toBe(true);
    expect(isAllowedHost("fd00::5", "[fd00::5]:8787", [])).toBe(true);
    expect(isAllowedHost("0.0.0.0", "0.0.0.0:8787", [])).toBe(false);
    expect(isAllowedHost("::", "[::]:8787", [])).toBe(false);
    expect(isAllowedHost("192.168.1.20", "192.168.1.21:8787", [])).toBe(false);
  });

  it("serves names listed in allowedHosts, on any listener, any port, any case", () => {
    for (const listen of LISTENERS) {
      expect(isAllowedHost(listen, "memprivacy:8787", ["memprivacy"])).toBe(true);
      expect(isAllowedHost(listen, "MemPrivacy", [" memprivacy "])).toBe(true);
      expect(isAllowedHost(listen, "memprivacy.evil.test", ["memprivacy"])).toBe(false);
      expect(isAllowedHost(listen, "memprivacy:8787@evil.test", ["memprivacy"])).toBe(false);
    }
  });
});
