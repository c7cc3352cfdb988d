// Every cue a gated pattern knows gets past the family's gate: each alternative of the pattern's cue, in the cases
// the pattern accepts, before a value the pattern takes, is found. A gate (keyword words, then a hint) that lacks
// one of the pattern's words would leave that value unmasked without a sound (dates after "Geburtsdatum" were).
import { describe, expect, it } from "vitest";
import { detectRules } from "../../../../src/detection/rules/index.js";

/** The cue as written, in capitals and capitalised: the patterns below ignore case. */
function cases(cue: string): string[] {
  return [...new Set([cue, cue.toUpperCase(), cue.charAt(0).toUpperCase() + cue.slice(1)])];
}

interface Gated {
  readonly family: string;
  /** The types the value may be found as (the first rule to claim a range names it). */
  readonly types: readonly string[];
  readonly cues: readonly string[];
  readonly value: string;
  /** How cue and value are joined, and what follows the value. */
  readonly join?: string;
  readonly after?: string;
  /** The span found holds the cue too ("Via Brera 12"). */
  readonly withCue?: boolean;
  /** The pattern takes the cue as written only (no case folding). */
  readonly caseSensitive?: boolean;
}

const GATED: readonly Gated[] = [
  {
    family: "date of birth",
    types: ["Specific Date of Birth"],
    cues: [
      "date of birth",
      "birth date",
      "birthdate",
      "birthday",
      "born on",
      "born",
      "DOB",
      "d.o.b.",
      "出生日期",
      "出生于",
      "出生在",
      "生日",
      "生于",
      "Geburtsdatum",
      "geboren am",
      "né le",
      "née le",
      "date de naissance",
      "fecha de nacimiento",
      "nacido el",
      "nacida el",
      "data di nascita",
      "nato il",
      "nata il",
      "data de nascimento",
      "geboortedatum",
      "data urodzenia",
    ],
    value: "12/03/1985",
  },
  {
    family: "body measure",
    types: ["Medical Health"],
    cues: ["体重", "身高", "weigh", "weighs", "weight", "weighed", "weighing", "height", "tall"],
    value: "82 kg",
    join: " ",
  },
  {
    family: "account number",
    types: ["Financial Account"],
    cues: [
      "account number",
      "account no.",
      "account #",
      "acct",
      "acct. no.",
      "acct #",
      "bank account",
      "card number",
      "card no",
      "账号",
      "账户",
      "帐号",
      "帐户",
      "卡号",
    ],
    value: "12345678901",
  },
  {
    family: "card security code",
    // The cue family names a code after "security code" first.
    types: ["Payment Security Code", "Verification Code"],
    cues: ["CVV", "CVV2", "CVC", "CVC2", "CID", "card security code", "安全码", "校验码(CVV)", "校验码 CVV"],
    value: "837",
  },
  {
    family: "card tail",
    types: ["Financial Account"],
    cues: [
      "card ending in",
      "card ending with",
      "last four digits of card",
      "last 4 of card",
      "尾号",
      "后四位",
      "末四位",
    ],
    value: "4821",
    join: " ",
  },
  {
    family: "credit score",
    types: ["Credit Score"],
    cues: ["Credit score", "credit Score", "信用分", "信用评分", "芝麻分", "FICO"],
    value: "712",
    caseSensitive: true,
  },
  {
    family: "health cue",
    types: ["Medical Health"],
    cues: [
      "diagnosed with",
      "suffers from",
      "suffering from",
      "suffer from",
      "suffered from",
      "prescribed",
      "allergic to",
      "treated for",
      "recovering from",
    ],
    value: "sarcoidosis",
    join: " ",
    after: ". Thanks",
  },
  {
    family: "postcode",
    types: ["Detailed Address"],
    cues: [
      "postcode",
      "post code",
      "postal code",
      "zip",
      "zip code",
      "zipcode",
      "PLZ",
      "code postal",
      "código postal",
      "codigo postal",
      "CEP",
      "kod pocztowy",
      "邮编",
      "邮政编码",
    ],
    value: "10115",
    join: " ",
  },
  {
    family: "plate cue",
    types: ["License Plate"],
    // The pattern takes these words with either case first only.
    cues: [
      "license plate",
      "License Plate",
      "licence plate",
      "number plate",
      "Number plate",
      "plate number",
      "Plate no.",
      "plate",
      "Plates",
      "registration",
      "Registration number",
      "车牌号码",
      "车牌号",
      "车牌",
    ],
    value: "KX73 RWT",
    caseSensitive: true,
  },
  {
    family: "one-time code",
    types: ["Verification Code"],
    cues: [
      "验证码",
      "OTP",
      "verification code",
      "Verification code",
      "code",
      "Code",
      "动态码",
      "授权码",
      "一次性密码",
      "2FA code",
      "短信码",
    ],
    value: "482913",
    caseSensitive: true,
  },
  {
    family: "key = value secret",
    types: ["Key", "Token"],
    cues: [
      "api_key",
      "API_KEY",
      "apikey",
      "api-key",
      "secret",
      "SECRET_KEY",
      "access_token",
      "auth_token",
      "refresh_token",
      "client_secret",
      "private_key",
      "token",
      "STRIPE_API_KEY",
      "github_token",
    ],
    value: "sk9Xk2Lm4Np7Qr1Z",
    join: "=",
  },
  {
    family: "European street name",
    types: ["Detailed Address"],
    // The street words as the pattern writes them (capitalised); the name and number follow.
    cues: [
      "Via",
      "Viale",
      "Corso",
      "Piazza",
      "Rua",
      "Avenida",
      "Av.",
      "Rue",
      "Calle",
      "Carrer",
      "Paseo",
      "Plaza",
      "Praça",
      "Boulevard",
      "Chemin",
      "Allée",
    ],
    value: "Brera 12",
    join: " ",
    withCue: true,
    caseSensitive: true,
  },
];

// An ADO.NET connection string: each server and password word, in the cases the pattern ignores.
const ADO_SERVERS = ["Server", "Data Source", "Host", "Address", "Addr"];
const ADO_PASSWORDS = ["Password", "Pwd"];

// The Chinese cue words of the cue family, each before a value.
const CJK_CUES = [
  "密码",
  "口令",
  "验证码",
  "动态码",
  "校验码",
  "授权码",
  "激活码",
  "备用码",
  "恢复码",
  "提取码",
  "密钥",
  "令牌",
];

// The vital readings name their unit after the number: each unit the pattern knows, as written (it does not
// ignore case).
const VITALS: readonly string[] = [
  "120/80 mmHg",
  "72 bpm",
  "5.4 mmol/L",
  "110 mg/dL",
  "72次/分",
  "72次/分钟",
];

describe("gate coverage", () => {
  it("connection strings: every server and password word gets past the gate", () => {
    const missed: string[] = [];
    for (const server of ADO_SERVERS.flatMap(cases))
      for (const password of ADO_PASSWORDS.flatMap(cases)) {
        const value = `${server}=db1.internal;Database=app;User Id=svc;${password}=Hunter2pass;`;
        const found = detectRules(`conn: ${value} ok`).some(
          (s) => s.type === "Database Connection String" && s.text.startsWith(`${server}=`),
        );
        if (!found) missed.push(`${server} / ${password}`);
      }
    expect(missed).toEqual([]);
  });

  it("Chinese cue words: each masks the value after it", () => {
    const missed = CJK_CUES.filter(
      (cue) => !detectRules(`我的${cue}是Xq7Lm2Kp9z，别告诉别人`).some((s) => s.text.includes("Xq7Lm2Kp9z")),
    );
    expect(missed).toEqual([]);
  });

  it("vital readings: every unit of the pattern gets past the gate", () => {
    const missed = VITALS.filter(
      (v) =>
        !detectRules(`My reading today: ${v}, fine`).some((s) => s.text === v && s.type === "Medical Health"),
    );
    expect(missed).toEqual([]);
  });

  for (const g of GATED) {
    it(`${g.family}: every cue of the pattern gets past the gate`, () => {
      const missed: string[] = [];
      for (const cue of g.caseSensitive === true ? g.cues : g.cues.flatMap(cases)) {
        const text = `Note it: ${cue}${g.join ?? ": "}${g.value}${g.after ?? " thanks"}`;
        const expected = g.withCue === true ? `${cue}${g.join ?? ": "}${g.value}` : g.value;
        if (!detectRules(text).some((s) => s.text === expected && g.types.includes(s.type))) missed.push(cue);
      }
      expect(missed).toEqual([]);
    });
  }
});
