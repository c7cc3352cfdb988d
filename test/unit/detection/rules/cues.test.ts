import { describe, expect, it } from "vitest";
import { found, textsOf } from "./helpers.js";

describe("password cues", () => {
  it("takes only the value after English cues", () => {
    expect(found("My password is Tr0ub4dor&3.")).toEqual([["Tr0ub4dor&3", "Password"]]);
    expect(found("password: hunter22")).toEqual([["hunter22", "Password"]]);
    expect(found("the wifi pwd = Gr33n-Tea!")).toEqual([["Gr33n-Tea!", "Password"]]);
    expect(found("my old password they gave me was 'qX7#pLm2'")).toEqual([["qX7#pLm2", "Password"]]);
  });
  it("takes the value after Chinese cues", () => {
    expect(found("我的密码是Abc@12345，别告诉别人")).toEqual([["Abc@12345", "Password"]]);
    expect(found("支付密码：778899。")).toEqual([["778899", "Password"]]);
    expect(found("开机密码 zQ8&mR!x 已经改了")).toEqual([["zQ8&mR!x", "Password"]]);
  });
  it("ignores prose that merely mentions passwords", () => {
    expect(found("I forgot my password again.")).toEqual([]);
    expect(found("Change your password regularly and use a password manager.")).toEqual([]);
    expect(found("The password is required. Password reset links expire.")).toEqual([]);
    expect(found("我忘记密码了，密码是我的生日")).toEqual([]);
    expect(found("password: ********")).toEqual([]);
  });
});

describe("verification codes, PINs, answers, tokens", () => {
  it("finds codes after English and Chinese cues", () => {
    expect(textsOf("Your verification code is 482913.", "Verification Code")).toEqual(["482913"]);
    expect(textsOf("The SMS code is 771-204. OTP: 330918", "Verification Code")).toEqual([
      "771-204",
      "330918",
    ]);
    expect(textsOf("验证码是 663201，动态码：552-917，校验码 TX-4471", "Verification Code")).toEqual([
      "663201",
      "552-917",
      "TX-4471",
    ]);
    expect(textsOf("the verification code for your login is 902114", "Verification Code")).toEqual([
      "902114",
    ]);
  });
  it("takes no error or status code for a secret or a reference", () => {
    for (const s of [
      "It's in the specific error code: 'AUTH-LOCKED-089'.",
      "the error code AUTH-LOCKED-089, my work email",
      "Provide Error Code: AUTH-LOCKED-089.",
      "the HTTP status code 403 again",
      "exit code 137 means it was killed",
      "lift the block, clear the CAL-409 error, and retry",
      "the system returned ERR-902 again",
      "这个错误代码 'FNB-Auth-401' 只是银行系统的提示",
      "至于系统报错提示‘文件格式不支持 (ERR-902)’，这是因为",
      "在解除“ERR-ACC-LOCKED-0x99B”锁定状态前",
      "再加上这个 G-8839-LOCK 的错误，我很难受",
    ])
      expect(found(s), s).toEqual([]);
    expect(textsOf("the login code is 90-2114", "Verification Code")).toEqual(["90-2114"]);
    expect(textsOf("My booking reference is TRV-4412, no errors", "Reference Code")).toEqual(["TRV-4412"]);
    expect(textsOf("收据编号是 EC-9912。", "Reference Code")).toEqual(["EC-9912"]);
    expect(textsOf("请返回订单 TRV-4412 的页面", "Reference Code")).toEqual(["TRV-4412"]);
  });
  it("ignores cues without a code", () => {
    expect(found("Enter the verification code we sent. 验证码已发送，请查收。")).toEqual([]);
    expect(found("a 6-digit OTP will arrive")).toEqual([]);
  });
  it("finds PINs and security answers", () => {
    expect(textsOf("bank PIN 4821, 银行卡PIN码是 9930", "PIN")).toEqual(["4821", "9930"]);
    expect(textsOf("security answer: 'Maple Street'.", "Security Question Answer")).toEqual(["Maple Street"]);
    expect(textsOf("密保答案是长城。", "Security Question Answer")).toEqual(["长城"]);
  });
  it("finds tokens after a token cue", () => {
    expect(textsOf("session token ZK-4471-QA is active", "Token")).toEqual(["ZK-4471-QA"]);
    expect(textsOf("令牌 RT-9081-B 已失效", "Token")).toEqual(["RT-9081-B"]);
    expect(found("the token limit is 4096")).toEqual([]);
  });
});
