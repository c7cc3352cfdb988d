// Dates of birth after a birth cue, job titles after a job cue, religion and politics said of oneself.
import { describe, expect, it } from "vitest";
import { textsOf } from "./helpers.js";

describe("profile", () => {
  it("takes a job title after an age between the cue and the title", () => {
    expect(textsOf("I'm a 34-year-old nurse living in Toronto.", "Job Title/Rank")).toEqual(["nurse"]);
    expect(textsOf("I am a 52 year old software engineer.", "Job Title/Rank")).toEqual(["software engineer"]);
  });

  it("takes an age said of a named person with is / turned", () => {
    expect(textsOf("My daughter Cecile is 5 and loves drawing.", "Specific Age")).toEqual(["5"]);
    expect(textsOf("Dr. Tallaby turned 60 last week.", "Specific Age")).toEqual(["60"]);
    for (const s of ["My friend Quorvin is 5 minutes away.", "My son Tom is 3rd in class."])
      expect(textsOf(s, "Specific Age"), s).toEqual([]);
  });

  it("takes a date of birth only after a birth cue", () => {
    expect(textsOf("我的出生日期是 1957-10-24。", "Specific Date of Birth")).toEqual(["1957-10-24"]);
    expect(textsOf("Date of birth: 12 May 1980", "Specific Date of Birth")).toEqual(["12 May 1980"]);
    expect(textsOf("The meeting is on 1957-10-24.", "Specific Date of Birth")).toEqual([]);
  });

  it("takes a date of birth after every cue its pattern knows, the German and Portuguese ones included", () => {
    expect(textsOf("Geburtsdatum: 12.03.1985", "Specific Date of Birth")).toEqual(["12.03.1985"]);
    expect(textsOf("data de nascimento: 12/03/1985", "Specific Date of Birth")).toEqual(["12/03/1985"]);
    expect(textsOf("geboortedatum: 12-03-1985", "Specific Date of Birth")).toEqual(["12-03-1985"]);
  });

  it("takes no birth date from before 1900: nobody born then is alive, so it is history", () => {
    expect(
      textsOf("Karl Marx, the socialist. Born on May 5, 1818, in Trier", "Specific Date of Birth"),
    ).toEqual([]);
    expect(textsOf("出生于1728-10-27的航海家", "Specific Date of Birth")).toEqual([]);
    expect(textsOf("I was born on May 5, 1988 in Leeds", "Specific Date of Birth")).toEqual(["May 5, 1988"]);
    expect(textsOf("DOB: 03/04/1931", "Specific Date of Birth")).toEqual(["03/04/1931"]);
  });

  it("takes job titles after a job cue, with their title words", () => {
    expect(textsOf("I work as a Senior Research Scientist at the lab.", "Job Title/Rank")).toEqual([
      "Senior Research Scientist",
    ]);
    expect(textsOf("作为一名前调查记者，我很谨慎", "Job Title/Rank")).toEqual(["前调查记者"]);
    expect(textsOf("我叫周婷，今年28岁，是一名会计。", "Job Title/Rank")).toEqual(["会计"]);
    expect(textsOf("姓名：李明，职业：软件工程师", "Job Title/Rank")).toEqual(["软件工程师"]);
    expect(textsOf("这是一位很好的老师", "Job Title/Rank")).toEqual([]);
    expect(textsOf("This is a developer preview.", "Job Title/Rank")).toEqual([]);
    expect(textsOf("Knitting serves as a much cleaner coping mechanism.", "Job Title/Rank")).toEqual([]);
    expect(textsOf("I'm Chioma, 29, a pharmacist from Lagos.", "Job Title/Rank")).toEqual(["pharmacist"]);
    expect(textsOf("I am Tom Reyes, a senior nurse.", "Job Title/Rank")).toEqual(["senior nurse"]);
  });

  it("takes no Chinese job said of a role towards someone (作为你的顾问), and no adjective before the title", () => {
    for (const s of [
      "作为你的生活方式顾问，我很理解你",
      "作为您的设计顾问，我随时准备协助您",
      "他是我的老师",
    ])
      expect(textsOf(s, "Job Title/Rank"), s).toEqual([]);
    expect(textsOf("作为一名严谨的物理学家，你当然看重形象", "Job Title/Rank")).toEqual(["物理学家"]);
    expect(textsOf("她是一位品味极高的艺术史学家", "Job Title/Rank")).toEqual(["艺术史学家"]);
    expect(textsOf("作为独立诗人，我拒绝妥协", "Job Title/Rank")).toEqual(["独立诗人"]);
  });

  it("takes religion and political stance said of someone, not in general prose", () => {
    expect(textsOf("I'm a devout Catholic and vote often.", "Sensitive Identity")).toEqual(["Catholic"]);
    expect(textsOf("作为一名天主教徒，我每周去教堂", "Sensitive Identity")).toEqual(["天主教徒"]);
    expect(textsOf("Catholic schools are common in Ireland.", "Sensitive Identity")).toEqual([]);
  });
});
