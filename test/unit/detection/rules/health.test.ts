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
