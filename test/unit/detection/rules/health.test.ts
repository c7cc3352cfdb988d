// Health: lexicon terms in a sentence about someone, cue phrases and clinical measurements (Medical Health).
import { describe, expect, it } from "vitest";
import { textsOf } from "./helpers.js";

const MH = "Medical Health";

describe("health", () => {
  it("takes conditions and medications in a sentence about someone, with their modifiers", () => {
    expect(textsOf("I was told I have mild hypertension.", MH)).toEqual(["mild hypertension"]);
    expect(textsOf("My doctor switched me to ibuprofen.", MH)).toEqual(["ibuprofen"]);
    expect(textsOf("account for your carpal tunnel syndrome, please", MH)).toEqual([
      "carpal tunnel syndrome",
    ]);
    expect(textsOf("我有原发性轻度高血压，每天吃氨氯地平", MH)).toEqual(["原发性轻度高血压", "氨氯地平"]);
  });

  it("takes the phrase after a clinical cue, minimal", () => {
    expect(textsOf("She was diagnosed with early-stage Hodgkin lymphoma last year.", MH)).toEqual([
      "early-stage Hodgkin lymphoma",
    ]);
    expect(textsOf("医生确诊我患上了轻度胃食管反流病，也就是GERD。", MH)).toContain("轻度胃食管反流病");
  });

  it("takes a drug the doctor prescribed, and a diagnosis named by its organ, in Chinese", () => {
    expect(textsOf("去年确诊痛风，医生给我开了别嘌醇，有问题再说。", MH)).toEqual(["痛风", "别嘌醇"]);
    expect(textsOf("医生开了沙美特罗，每天两次。", MH)).toEqual(["沙美特罗"]);
    expect(textsOf("主治医生说要服用他莫昔芬。", MH)).toEqual(["他莫昔芬"]);
    expect(textsOf("诊断为甲状腺功能亢进，目前在治疗。", MH)).toEqual(["甲状腺功能亢进"]);
    // 开了 without a doctor or a drug around is only "opened".
    for (const s of ["我们开了罗马尼亚的分店。", "我开了一家咖啡店。", "他开了尔湾的新办公室。"])
      expect(textsOf(s, MH), s).toEqual([]);
  });

  it("takes readings with clinical units, and body measures beside a body word", () => {
    expect(textsOf("My blood pressure was 143/104 mmHg and pulse 71 bpm.", MH)).toEqual([
      "143/104 mmHg",
      "71 bpm",
    ]);
    expect(textsOf("我的体重是52.7 kg，身高164 cm", MH)).toEqual(["52.7 kg", "164 cm"]);
    // The pattern ignores case, and so does its gate.
    expect(textsOf("WEIGHT: 82 kg, HEIGHT: 180 cm", MH)).toEqual(["82 kg", "180 cm"]);
  });

  it("leaves general prose, feelings, compounds and reference ranges alone", () => {
    expect(textsOf("Hypertension is common worldwide.", MH)).toEqual([]);
    expect(textsOf("My eco-anxiety spiked after the news.", MH)).toEqual([]);
    expect(textsOf("A normal resting rate is 60-100 bpm.", MH)).toEqual([]);
    expect(textsOf("The history of Malaysia is rich.", MH)).toEqual([]);
    expect(textsOf("我已经打开了命令行终端。", MH)).toEqual([]);
  });
});
