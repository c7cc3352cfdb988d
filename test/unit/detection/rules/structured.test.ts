import { describe, expect, it } from "vitest";
import { found, textsOf } from "./helpers.js";

describe("email", () => {
  it("finds addresses in English and Chinese text", () => {
    expect(textsOf("mail john.doe+x@example.co.uk today", "Email")).toEqual(["john.doe+x@example.co.uk"]);
    expect(textsOf("邮箱是li_lei@mail.cn。", "Email")).toEqual(["li_lei@mail.cn"]);
  });
  it("finds addresses in a URL's path or query, not in its user information", () => {
    expect(textsOf("https://img.example.org/u/a.b@example.org?to=c@example.com", "Email")).toEqual([
      "a.b@example.org",
      "c@example.com",
    ]);
    expect(textsOf("https://user@example.org/x", "Email")).toEqual([]);
  });
  it("ignores non-addresses", () => {
    expect(textsOf("@handle and user@localhost and a@b", "Email")).toEqual([]);
    expect(textsOf("postgres://u:p4ss@db.internal/app", "Email")).toEqual([]);
  });
});

describe("phone", () => {
  it("finds CN mobiles, international, US and CN landlines", () => {
    expect(textsOf("手机13912345678，或+86 139 1234 5678，或8613912345678", "Phone Number")).toEqual([
      "13912345678",
      "+86 139 1234 5678",
      "8613912345678",
    ]);
    expect(textsOf("call +44 20 7946 0958 or +49-30-1234567", "Phone Number")).toEqual([
      "+44 20 7946 0958",
      "+49-30-1234567",
    ]);
    expect(textsOf("US: (212) 555-0147, 646-555-0199", "Phone Number")).toEqual([
      "(212) 555-0147",
      "646-555-0199",
    ]);
    expect(textsOf("+1-646-555-0199", "Phone Number")).toEqual(["+1-646-555-0199"]);
    expect(textsOf("座机 021-62345678", "Phone Number")).toEqual(["021-62345678"]);
  });
  it("finds international numbers whose digit groups are all short (no run of four digits to gate on)", () => {
    expect(textsOf("call +1 234 567 890 or +44 20 71 23 45 67", "Phone Number")).toEqual([
      "+1 234 567 890",
      "+44 20 71 23 45 67",
    ]);
  });
  it("ignores timestamps, order numbers, prices and dates", () => {
    expect(found("ts 1700000000000, order 20240315123045, id 123456789012")).toEqual([]);
    expect(found("on 2024-03-15 at 12:30, 3.5 kg, page 1299")).toEqual([]);
    expect(textsOf("订单号 139123456789012", "Phone Number")).toEqual([]);
    expect(textsOf("ISBN 978-0-306-40615-7", "Phone Number")).toEqual([]);
  });
});

describe("identity documents", () => {
  it("accepts checksum-valid CN resident IDs only", () => {
    expect(textsOf("身份证 11010519491231002X。", "ID Number")).toEqual(["11010519491231002X"]);
    expect(textsOf("编号 110105194912310021", "ID Number")).toEqual([]);
  });
  it("finds SSNs and passports", () => {
    expect(textsOf("SSN 123-45-6789", "ID Number")).toEqual(["123-45-6789"]);
    expect(textsOf("ref 000-12-3456", "ID Number")).toEqual([]);
    expect(textsOf("我的护照号码是 E12345678", "Passport Number")).toEqual(["E12345678"]);
    expect(textsOf("Passport: K1234567 please", "Passport Number")).toEqual(["K1234567"]);
    expect(textsOf("part E12345678 shipped", "Passport Number")).toEqual([]);
    expect(textsOf("my passport expires next year", "Passport Number")).toEqual([]);
  });
  it("finds driver's licence numbers after a cue", () => {
    expect(textsOf("driver's license number D1234567", "Driver's License Number")).toEqual(["D1234567"]);
  });
});

describe("finance", () => {
  it("finds Luhn-valid cards with or without groups", () => {
    expect(textsOf("card 4111 1111 1111 1111 or 5500-0000-0000-0004", "Financial Account")).toEqual([
      "4111 1111 1111 1111",
      "5500-0000-0000-0004",
    ]);
    expect(textsOf("卡号378282246310005。", "Financial Account")).toEqual(["378282246310005"]);
    // The account pattern ignores case, and so does its gate.
    expect(textsOf("ACCT NO: 12345678901", "Financial Account")).toEqual(["12345678901"]);
    expect(textsOf("ACCOUNT NUMBER 12345678901", "Financial Account")).toEqual(["12345678901"]);
  });
  it("rejects Luhn-invalid numbers and non-card digit runs", () => {
    expect(textsOf("card 4111 1111 1111 1112", "Financial Account")).toEqual([]);
    expect(textsOf("timestamp 1700000000000", "Financial Account")).toEqual([]);
  });
  it("finds IBANs, tails and CVV", () => {
    expect(textsOf("IBAN DE89 3704 0044 0532 0130 00.", "Financial Account")).toEqual([
      "DE89 3704 0044 0532 0130 00",
    ]);
    expect(textsOf("IBAN DE89 3704 0044 0532 0130 01", "Financial Account")).toEqual([]);
    expect(found("尾号 4821 的借记卡，CVV 613")).toEqual([
      ["4821", "Financial Account"],
      ["613", "Payment Security Code"],
    ]);
    expect(found("sent to the phone number ending in 0193")).toEqual([["0193", "Phone Number"]]);
  });
});

describe("network", () => {
  it("classifies IPv4 ranges", () => {
    expect(found("db at 10.0.3.7, web at 93.184.216.34")).toEqual([
      ["10.0.3.7", "Internal IP"],
      ["93.184.216.34", "IP Address"],
    ]);
  });
  it("skips versions and invalid quads", () => {
    expect(found("version 1.2.3.4, v2.0.0.1, 版本 3.1.0.2, and 999.1.1.1")).toEqual([]);
    expect(found("sections 1.2.3.4.5")).toEqual([]);
  });
  it("finds IPv6 and MAC addresses", () => {
    expect(textsOf("gw fe80::1ff:fe23:4567:890a", "Internal IP")).toEqual(["fe80::1ff:fe23:4567:890a"]);
    expect(textsOf("at 2001:db8:85a3::8a2e:370:7334.", "IP Address")).toEqual([
      "2001:db8:85a3::8a2e:370:7334",
    ]);
    expect(found("at 12:30:45 use std::vector")).toEqual([]);
    expect(textsOf("MAC 3C-22-FB-0A-11-9E or 3c22.fb0a.119e", "MAC Address")).toEqual([
      "3C-22-FB-0A-11-9E",
      "3c22.fb0a.119e",
    ]);
  });
});

describe("plates", () => {
  it("finds strong plate shapes", () => {
    expect(textsOf("车牌京A12345，新能源沪B·D12345", "License Plate")).toEqual(["京A12345", "沪B·D12345"]);
    expect(textsOf("the car (KT19 XBR) and B-MW 2024", "License Plate")).toEqual(["KT19 XBR", "B-MW 2024"]);
    expect(textsOf("licence plate ABC-1234", "License Plate")).toEqual(["ABC-1234"]);
  });
  it("ignores ordinary words", () => {
    expect(textsOf("京A股上涨，沪深300", "License Plate")).toEqual([]);
  });
});
