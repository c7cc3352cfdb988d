import { describe, expect, it } from "vitest";
import {
  cnResidentIdValid,
  ibanValid,
  isInternalIPv4,
  isInternalIPv6,
  luhnValid,
  parseIPv4,
  parseIPv6,
  ssnValid,
} from "../../../../src/detection/rules/validators.js";

describe("validators", () => {
  it("Luhn accepts known test cards and rejects altered ones", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("378282246310005")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(luhnValid("")).toBe(false);
    expect(luhnValid("4111a11111111111")).toBe(false);
  });

  it("IBAN mod-97", () => {
    expect(ibanValid("GB82 WEST 1234 5698 7654 32")).toBe(true);
    expect(ibanValid("DE89370400440532013000")).toBe(true);
    expect(ibanValid("DE89370400440532013001")).toBe(false);
    expect(ibanValid("XX00")).toBe(false);
  });

  it("CN resident ID MOD 11-2 with X", () => {
    expect(cnResidentIdValid("11010519491231002X")).toBe(true);
    expect(cnResidentIdValid("11010519491231002x")).toBe(true);
    expect(cnResidentIdValid("110105194912310021")).toBe(false);
    expect(cnResidentIdValid("11010519491231002")).toBe(false);
  });

  it("IPv4 parsing and ranges", () => {
    expect(parseIPv4("192.168.1.1")).toEqual([192, 168, 1, 1]);
    expect(parseIPv4("256.1.1.1")).toBeUndefined();
    expect(parseIPv4("01.1.1.1")).toBeUndefined();
    expect(parseIPv4("1.1.1")).toBeUndefined();
    expect(isInternalIPv4([10, 0, 0, 1])).toBe(true);
    expect(isInternalIPv4([172, 20, 0, 1])).toBe(true);
    expect(isInternalIPv4([172, 32, 0, 1])).toBe(false);
    expect(isInternalIPv4([127, 0, 0, 1])).toBe(true);
    expect(isInternalIPv4([169, 254, 3, 4])).toBe(true);
    expect(isInternalIPv4([8, 8, 8, 8])).toBe(false);
  });

  it("IPv6 parsing and ranges", () => {
    expect(parseIPv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6("2001:db8::1")).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6("::ffff:192.0.2.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201]);
    expect(parseIPv6("1:2:3:4:5:6:7:8")).toHaveLength(8);
    expect(parseIPv6("1:2:3:4:5:6:7")).toBeUndefined();
    expect(parseIPv6("1::2::3")).toBeUndefined();
    expect(parseIPv6("12:30:45")).toBeUndefined();
    expect(parseIPv6("g::1")).toBeUndefined();
    expect(isInternalIPv6(parseIPv6("fe80::1") ?? [])).toBe(true);
    expect(isInternalIPv6(parseIPv6("fd00::5") ?? [])).toBe(true);
    expect(isInternalIPv6(parseIPv6("2001:db8::1") ?? [])).toBe(false);
  });

  it("SSN syntax", () => {
    expect(ssnValid("123-45-6789")).toBe(true);
    expect(ssnValid("000-45-6789")).toBe(false);
    expect(ssnValid("666-45-6789")).toBe(false);
    expect(ssnValid("923-45-6789")).toBe(false);
    expect(ssnValid("123-00-6789")).toBe(false);
  });
});
