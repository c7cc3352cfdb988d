import { describe, expect, it } from "vitest";
import {
  findPlaceholderTokens,
  formatPlaceholder,
  levelRank,
  maxLevel,
  parseLevelSelection,
  placeholderNameFor,
  standardLevelOf,
} from "../../../src/taxonomy/index.js";

describe("levels", () => {
  it("orders PL1 < PL2 < PL3 < PL4 and keeps the higher level", () => {
    expect(levelRank("PL1")).toBeLessThan(levelRank("PL2"));
    expect(levelRank("PL3")).toBeLessThan(levelRank("PL4"));
    expect(maxLevel("PL2", "PL4")).toBe("PL4");
    expect(maxLevel("PL3", "PL2")).toBe("PL3");
  });

  it.each([
    ["PL4", ["PL4"]],
    ["PL3+", ["PL3", "PL4"]],
    ["PL2-PL4", ["PL2", "PL3", "PL4"]],
    ["pl2,PL4", ["PL2", "PL4"]],
    ["all", ["PL2", "PL3", "PL4"]],
    ["none", []],
    ["PL1+", ["PL2", "PL3", "PL4"]],
  ])("parses %s", (spec, expected) => {
    expect(parseLevelSelection(spec)).toEqual(expected);
  });

  it.each(["PL5", "PL4-PL2", "high", "PL2;PL3"])("rejects %s", (spec) => {
    expect(parseLevelSelection(spec)).toBeUndefined();
  });
});

describe("placeholder names", () => {
  it.each([
    ["Phone Number", "Phone_Number"],
    ["Third-Party Identifiable Info", "Third_Party_Identifiable_Info"],
    ["Assets/Income", "Assets_Income"],
    ["  Internal IP  ", "Internal_IP"],
    ["Account ID/Username", "Account_ID_Username"],
    ["病历", "Private_Info"],
    ["Private", "Private_Info"],
    ["IPv6 Address", "IPv6_Address"],
  ])("%s → %s", (type, name) => {
    expect(placeholderNameFor(type)).toBe(name);
  });

  it("bounds long names and renders <Name_N>", () => {
    expect(placeholderNameFor("x".repeat(500)).length).toBeLessThanOrEqual(48);
    expect(formatPlaceholder("Email", 3)).toBe("<Email_3>");
  });

  it("finds canonical placeholder tokens", () => {
    expect(findPlaceholderTokens("a <Email_1> b <Third_Party_Info_12> <bad> <X_>")).toEqual([
      { name: "Email", n: 1 },
      { name: "Third_Party_Info", n: 12 },
    ]);
  });

  it("knows the standard tags' levels and leaves free-form types undefined", () => {
    expect(standardLevelOf("Verification Code")).toBe("PL4");
    expect(standardLevelOf("medical health")).toBe("PL3");
    expect(standardLevelOf("Real Name")).toBe("PL2");
    expect(standardLevelOf("Internal IP")).toBeUndefined();
  });
});
