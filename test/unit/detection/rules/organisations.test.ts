// Schools and employers said with a cue (School, Employer/Company Name, PL2); without the cue they are left.
import { describe, expect, it } from "vitest";
import { textsOf } from "./helpers.js";

const SCHOOL = "School";
const EMPLOYER = "Employer/Company Name";

describe("organisations", () => {
  it("takes a school or university after a study cue", () => {
    expect(textsOf("I graduated from the University of Melbourne in 2015.", SCHOOL)).toEqual([
      "University of Melbourne",
    ]);
    expect(textsOf("She studied physics at Sapienza University of Rome.", SCHOOL)).toEqual([
      "Sapienza University of Rome",
    ]);
    expect(textsOf("I'm a PhD student at King's College London now.", SCHOOL)).toEqual([
      "King's College London",
    ]);
    expect(textsOf("我毕业于马德里自治大学，主修物理。", SCHOOL)).toEqual(["马德里自治大学"]);
    expect(textsOf("我现在在肯特大学生物医学实验室值夜班。", SCHOOL)).toEqual(["肯特大学"]);
    expect(textsOf("我儿子在北京市第一中学读书。", SCHOOL)).toEqual(["北京市第一中学"]);
  });

  it("takes an employer after a work cue", () => {
    expect(textsOf("I work at Cipherpost Media LLC as an editor.", EMPLOYER)).toEqual([
      "Cipherpost Media LLC",
    ]);
    expect(textsOf("I've been working for FinTech Solutions Ltd since May.", EMPLOYER)).toEqual([
      "FinTech Solutions Ltd",
    ]);
    expect(textsOf("我在华为技术有限公司工作了五年。", EMPLOYER)).toEqual(["华为技术有限公司"]);
    expect(textsOf("她目前就职于招商银行。", EMPLOYER)).toEqual(["招商银行"]);
  });

  it("takes an employer named as one, or after a job title found with its cue", () => {
    expect(
      textsOf("I called the IT desk at my employer, FinTech Solutions Ltd. No answer.", EMPLOYER),
    ).toEqual(["FinTech Solutions Ltd"]);
    expect(textsOf("My company is Cipherpost Media LLC, a small studio.", EMPLOYER)).toEqual([
      "Cipherpost Media LLC",
    ]);
    expect(textsOf("Employer: Vanguard Concrete Movers", EMPLOYER)).toEqual(["Vanguard Concrete Movers"]);
    expect(
      textsOf("As a Senior Technical Writer at FinTech Solutions Ltd, I am overwhelmed.", EMPLOYER),
    ).toEqual(["FinTech Solutions Ltd"]);
    expect(textsOf("I'm a researcher at the Australian Antarctic Division. I'm tired.", EMPLOYER)).toEqual([
      "Australian Antarctic Division",
    ]);
    expect(textsOf("I work at San Raffaele Hospital. It is far.", EMPLOYER)).toEqual([
      "San Raffaele Hospital",
    ]);
    expect(textsOf("I worked at IBM. Then I moved on.", EMPLOYER)).toEqual(["IBM"]);
    expect(textsOf("I work for BV Capital Partners now.", EMPLOYER)).toEqual(["BV Capital Partners"]);
    expect(textsOf("Employer: AG Barr plc", EMPLOYER)).toEqual(["AG Barr plc"]);
    expect(textsOf("I graduated from The Ohio State University in 2010.", "School")).toEqual([
      "The Ohio State University",
    ]);
    for (const s of [
      "My company uses Slack for chat.",
      "As a nurse at night I rarely sleep.",
      "The company is Apple-like in its design.",
    ])
      expect(textsOf(s, EMPLOYER), s).toEqual([]);
  });

  it("finds every institution word and work verb its gate lets through (keywords.ts)", () => {
    for (const word of ["University", "College", "Institute", "Polytechnic", "Academy", "School"])
      expect(textsOf(`I studied at Westbrook ${word} for years.`, SCHOOL), word).toEqual([
        `Westbrook ${word}`,
      ]);
    for (const verb of ["work", "worked", "working", "employed", "interning", "interned", "joined"])
      expect(textsOf(`I ${verb} at Cipherpost Media now.`, EMPLOYER), verb).toEqual(["Cipherpost Media"]);
    for (const word of ["大学", "学院", "中学", "小学", "高中"])
      expect(textsOf(`我毕业于东湖${word}。`, SCHOOL), word).toEqual([`东湖${word}`]);
    for (const word of ["有限公司", "公司", "集团", "银行", "研究院", "研究所", "事务所"])
      expect(textsOf(`我就职于东湖${word}。`, EMPLOYER), word).toEqual([`东湖${word}`]);
  });

  it("leaves institutions named without a cue, and work at no employer", () => {
    for (const [s, type] of [
      ["The University of Oxford is one of the oldest universities.", SCHOOL],
      ["A study from Harvard found nothing new.", SCHOOL],
      ["I work at home on Fridays.", EMPLOYER],
      ["We work at Night mostly.", EMPLOYER],
      ["I work with Anna Kowalska on Fridays.", EMPLOYER],
      ["北京大学是一所著名的大学。", SCHOOL],
      ["这家公司的股价涨了。", EMPLOYER],
      ["我在银行门口等你。", EMPLOYER],
    ] as const)
      expect(textsOf(s, type), s).toEqual([]);
  });
});
