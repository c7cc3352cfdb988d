import { describe, expect, it } from "vitest";
import { found, textsOf } from "./helpers.js";

// Synthetic credentials built at run time so no scanner mistakes this file for a leak.
const fake = (prefix: string, n: number, ch = "a1B2"): string =>
  prefix + ch.repeat(Math.ceil(n / ch.length)).slice(0, n);

describe("provider keys and tokens", () => {
  it("finds provider formats", () => {
    const aws = "AKIA" + "ABCDEFGHIJKLMNOP";
    const google = fake("AIza", 35);
    const openai = fake("sk-proj-", 40);
    const anthropic = fake("sk-ant-api03-", 40);
    const gh = fake("ghp_", 36);
    const slack = fake("xoxb-", 30);
    const stripe = fake("sk_live_", 24);
    const text = `keys: ${aws} ${google} ${openai} ${anthropic} ${gh} ${slack} ${stripe}`;
    expect(found(text)).toEqual([
      [aws, "Key"],
      [google, "Key"],
      [openai, "Key"],
      [anthropic, "Key"],
      [gh, "Token"],
      [slack, "Token"],
      [stripe, "Key"],
    ]);
  });
  it("finds JWTs and bearer tokens", () => {
    const jwt =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    expect(textsOf(`token ${jwt}`, "Token")).toEqual([jwt]);
    expect(textsOf("Authorization: Bearer abcdef0123456789abcdef", "Token")).toEqual([
      "abcdef0123456789abcdef",
    ]);
  });
  it("finds PEM private keys but not public keys", () => {
    const pem =
      "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----";
    expect(textsOf(`here:\n${pem}\nthanks`, "Private Key")).toEqual([pem]);
    expect(
      found("-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAK\n-----END PUBLIC KEY-----"),
    ).toEqual([]);
  });
  it("finds connection strings and URL credentials", () => {
    expect(textsOf("use postgres://app:pa55w0rd@db.local:5432/main.", "Database Connection String")).toEqual([
      "postgres://app:pa55w0rd@db.local:5432/main",
    ]);
    expect(
      textsOf("mongodb+srv://u:p4ss@cluster0.x.mongodb.net/db", "Database Connection String"),
    ).toHaveLength(1);
    expect(
      textsOf("Server=myhost;Database=shop;User Id=sa;Password=Tr1cky!;", "Database Connection String"),
    ).toEqual(["Server=myhost;Database=shop;User Id=sa;Password=Tr1cky!;"]);
    expect(textsOf("see https://alice:s3cret@example.com/path", "Password")).toEqual(["alice:s3cret"]);
    expect(found("postgres://db.local:5432/main and https://example.com/a@b")).toEqual([]);
  });
  it("finds key=value secrets in config text", () => {
    expect(textsOf('API_KEY="Zx81kLmq0Pq7rT2uVw9y"', "Key")).toEqual(["Zx81kLmq0Pq7rT2uVw9y"]);
    expect(found("max_tokens=1000 and token: short")).toEqual([]);
  });
});
