// The cue family's shortcuts against the plain scans they replace: the English anchors tried only at the
// keyword scan's word starts give the matches of a global scan of the anchor pattern, and the cue pattern
// grouped by first character gives, match for match and kind for kind, what the flat list of named groups
// gave, on random mixes of cue words, case changes and noise.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext } from "../../../../src/detection/rules/context.js";
import {
  CUE_ANCHOR_SOURCE,
  englishCueAnchors,
  findCueMatches,
  OTP_SHAPE_RE,
  otpShapeStarts,
} from "../../../../src/detection/rules/cues.js";
import { execAtStarts } from "../../../../src/detection/rules/digit-clusters.js";
import { gateWords, KW, keywordStarts } from "../../../../src/detection/rules/keywords.js";

// The cue pattern as one flat alternation of named groups in priority order (what the grouped one must equal).
const FLAT_CUE_RE = new RegExp(
  [
    String.raw`(?<answer>(?:security\s+(?:question\s+)?answer|answer\s+to\s+(?:my|the|your)\s+security\s+question|secret\s+answer)s?|密保答案|安全问题答案|安全答案|密保问题答案)`,
    String.raw`(?<code>(?:verification|verify|confirmation|security|login|access|backup|recovery|activation|pairing|auth(?:entication|orization)?|sms|2fa|mfa|one[-\s]time)\s+(?:code|pin|passcode)s?|(?:OTP|TOTP|2FA|MFA)(?![A-Za-z])|one[-\s]time\s+password|验证码|动态码|校验码|确认码|授权码|短信码|动态密码|一次性密码|激活码|备用码|恢复码|配对码|提取码|取件码)`,
    String.raw`(?<pin>PIN(?:\s*(?:code|number))?(?![A-Za-z])|PIN码|pin码)`,
    String.raw`(?<password>(?:passwords?|passwd|pwd|passcode|passphrase|pass\s+phrase)(?![A-Za-z])|密码|口令)`,
    String.raw`(?<key>(?:api|access|secret|private|license|licence|product|encryption)\s+key(?![A-Za-z])|密钥|秘钥)`,
    String.raw`(?<passport>passport(?:\s+(?:number|no\.?|#))?|护照(?:号码|号)?)`,
    String.raw`(?<licence>(?:driver'?s?|driving)\s+licen[cs]e(?:\s+(?:number|no\.?|#))?|licen[cs]e\s+(?:number|no\.?)|驾照(?:号码|号)?|驾驶证(?:号码|号)?)`,
    String.raw`(?<idcard>身份证(?:号码|号)?|ID\s+(?:card|number|no\.?)(?:\s+number)?|national\s+ID|SSN|social\s+security\s+number)`,
    String.raw`(?<username>user\s?name|user\s+ID|login\s+(?:name|ID)|用户名|登录名|用户ID|账号|帐号)`,
    String.raw`(?<barecode>codes?(?![A-Za-z]))`,
    String.raw`(?<token>(?:(?:session|auth|access|bearer|refresh)\s+)?tokens?(?![A-Za-z])|session\s+(?:id|key)(?![A-Za-z])|令牌|会话\s*ID|会话标识)`,
  ].join("|"),
  "gi",
);
const KINDS = [
  "answer",
  "code",
  "pin",
  "password",
  "key",
  "passport",
  "licence",
  "idcard",
  "username",
  "barecode",
  "token",
];

function flatMatches(text: string): string[] {
  const out: string[] = [];
  FLAT_CUE_RE.lastIndex = 0;
  for (let m = FLAT_CUE_RE.exec(text); m !== null; m = FLAT_CUE_RE.exec(text)) {
    const groups = m.groups ?? {};
    out.push(`${m.index}+${m[0].length}:${KINDS.find((k) => groups[k] !== undefined) ?? "?"}`);
  }
  return out;
}

function plainAnchors(text: string): number[] {
  const re = new RegExp(CUE_ANCHOR_SOURCE, "g");
  const out: number[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push(m.index, m.index + m[0].length);
  return out;
}

const CUE_WORDS = [
  ..."security question answer to my the your secret verification verify confirmation login access backup".split(
    " ",
  ),
  ..."recovery activation pairing auth authentication authorization sms 2fa mfa one-time one time code pin".split(
    " ",
  ),
  ..."passcode OTP TOTP password passwords passwd pwd passphrase pass phrase api private license licence".split(
    " ",
  ),
  ..."product encryption key passport number no. # driver's drivers driving licenses ID card national SSN".split(
    " ",
  ),
  ..."social user username name session bearer refresh token tokens id codes Passport PASS USER Key".split(
    " ",
  ),
  ..."密保答案 安全问题答案 安全答案 验证码 动态密码 密码 口令 PIN码 密钥 护照号码 驾照号 驾驶证 身份证号 用户名 账号 令牌 会话 ID 会话标识".split(
    " ",
  ),
];
// Two cue words joined the ways the pattern allows and a few it does not ("authorization code", "user  ID").
const phrase = fc
  .tuple(
    fc.constantFrom(...CUE_WORDS),
    fc.constantFrom(" ", "  ", "-", "", "\n"),
    fc.constantFrom(...CUE_WORDS),
  )
  .map(([a, sep, b]) => a + sep + b);
const piece = fc.oneof(
  phrase,
  fc.constantFrom(...CUE_WORDS),
  fc.constantFrom(...CUE_WORDS).map((w) => w.slice(1)),
  fc.constantFrom(" ", "  ", "\t", "-", "'", ":", "x", "ab", "1", "中", "s", "_", "\n"),
  fc.string({ maxLength: 3 }),
);
const flips = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 7 });

/** The parts joined, each part lower-cased, capitalised or upper-cased by the flips in turn. */
function cased(parts: readonly string[], how: readonly number[]): string {
  return parts
    .map((p, i) => {
      const f = how[i % how.length];
      if (f === 1) return p.toUpperCase();
      if (f === 2) return p.charAt(0).toUpperCase() + p.slice(1);
      return p;
    })
    .join("");
}

describe("cue anchors and the grouped cue pattern", () => {
  it("the anchors tried at keyword starts are the matches of a global scan", () => {
    for (const text of ["USER ID: x", "my PASSPORT no", "Passcode, pin\nKEY", "UUID IDs code", "2FA 2fa 2Fa"])
      expect(englishCueAnchors(createContext(text)), text).toEqual(plainAnchors(text));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), flips, (parts, how) => {
        const text = cased(parts, how);
        expect(englishCueAnchors(createContext(text))).toEqual(plainAnchors(text));
      }),
      { seed: 1513, numRuns: 1500 },
    );
  });

  it("gives the word starts even when the gate bits were set without them", () => {
    const ctx = createContext("my PASSWORD: x");
    ctx.keywords = KW.cueAnchor;
    expect(keywordStarts(ctx, KW.cueAnchor)).toEqual([3]);
  });

  it("the keyword scan reports every start of a cue-anchor word, in any case", () => {
    const words = (gateWords().find(([bit]) => bit === KW.cueAnchor)?.[1] ?? []).slice();
    expect(words.length).toBeGreaterThan(5);
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), flips, (parts, how) => {
        const text = cased(parts, how);
        const starts = new Set(keywordStarts(createContext(text), KW.cueAnchor));
        const lower = text.toLowerCase();
        if (lower.length !== text.length) return;
        for (const w of words)
          for (let at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + 1))
            expect(starts.has(at)).toBe(true);
      }),
      { seed: 1514, numRuns: 800 },
    );
  });

  it("one-time-code shapes tried at the digit runs' ends are the matches of a global scan", () => {
    const part = fc.oneof(
      fc.stringMatching(/^\d{1,8}$/),
      fc.constantFrom("-", "--", "a", "Z", " ", ".", "中", "123-456", "654321"),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 16 }), (parts) => {
        const text = parts.join("");
        const at = new RegExp(OTP_SHAPE_RE.source, "y");
        const got = execAtStarts(at, text, otpShapeStarts(createContext(text))).map(
          (m) => `${m.index}:${m[0]}`,
        );
        const plain = [...text.matchAll(new RegExp(OTP_SHAPE_RE.source, "g"))].map(
          (m) => `${m.index}:${m[0]}`,
        );
        expect(got).toEqual(plain);
      }),
      { seed: 1516, numRuns: 3000 },
    );
  });

  it("the grouped cue pattern matches what the flat list of named groups matched", () => {
    const grouped = (text: string): string[] =>
      findCueMatches(text).map((m) => `${m.index}+${m.length}:${m.kind}`);
    for (const text of [
      "security answer: x",
      "my ID card 1",
      "Id No. 2",
      "auth code 1",
      "authentication code",
      "access token",
      "驾驶证号码 1",
      "PIN码 2",
    ])
      expect(grouped(text), text).toEqual(flatMatches(text));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), flips, (parts, how) => {
        const text = cased(parts, how);
        expect(grouped(text)).toEqual(flatMatches(text));
      }),
      { seed: 1515, numRuns: 1500 },
    );
  });
});
