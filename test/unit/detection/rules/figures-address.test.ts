import { describe, expect, it } from "vitest";
import { found, textsOf } from "./helpers.js";

describe("money, age and credit score", () => {
  it("finds amounts with a currency", () => {
    expect(textsOf("paid $1,299.50 and €75, salary 55,900 USD", "Monetary Amount")).toEqual([
      "$1,299.50",
      "€75",
      "55,900 USD",
    ]);
    expect(textsOf("花了4500欧元，还欠3万元", "Monetary Amount")).toEqual(["4500欧元", "3万元"]);
    expect(textsOf("3 apples and 12 pages", "Monetary Amount")).toEqual([]);
    // TeX math opens with "$": "$2 \\times 2$" is a formula, not two dollars.
    for (const s of ["in any $2 \\times 2$ square", "solve $4\\sin ^4 3x = 1$", "On a $12\\times 12$ board"])
      expect(textsOf(s, "Monetary Amount"), s).toEqual([]);
    expect(textsOf("it cost $12 in total", "Monetary Amount")).toEqual(["$12"]);
  });
  it("finds ages and credit scores", () => {
    expect(textsOf("我今年45岁, a 38-year-old, aged 70", "Specific Age")).toEqual(["45", "38", "70"]);
    expect(textsOf("my credit score is 712; 信用分 755", "Credit Score")).toEqual(["712", "755"]);
    expect(textsOf("score 42 in the game", "Credit Score")).toEqual([]);
  });
  it("takes the number after a person's name as an age (Chioma, 29, …; Leila (34))", () => {
    expect(textsOf("I'm Chioma, 29, a pharmacist from Lagos.", "Specific Age")).toEqual(["29"]);
    expect(textsOf("my son Jake, 7, loves trains", "Specific Age")).toEqual(["7"]);
    expect(textsOf("My sister Leila (34) lives in Leeds.", "Specific Age")).toEqual(["34"]);
    expect(textsOf("Thanks Sarah, 10 minutes is fine.", "Specific Age")).toEqual([]);
    expect(textsOf("Victoria Station, 12, was closed.", "Specific Age")).toEqual([]);
  });
  it("takes no age from an age limit (适合12岁以上, 18岁以下)", () => {
    expect(
      textsOf("这款游戏适合12岁以上的玩家，18岁以下禁止购买，6周岁及以上可以参加", "Specific Age"),
    ).toEqual([]);
    expect(textsOf("我儿子今年12岁，以上是他的情况", "Specific Age")).toEqual(["12"]);
  });
});

describe("addresses", () => {
  it("finds Chinese, English and European street addresses", () => {
    expect(textsOf("我住在里昂街15号的公寓", "Detailed Address")).toEqual(["里昂街15号"]);
    expect(textsOf("我家住成都市武侯区12号", "Detailed Address")).toEqual(["成都市武侯区12号"]);
    expect(textsOf("家住里昂街15号", "Detailed Address")).toEqual(["里昂街15号"]);
    // A long chain keeps its city whole ("广州市", not "州市").
    expect(textsOf("他住在广州市天河区体育西路103号。", "Detailed Address")).toEqual([
      "广州市天河区体育西路103号",
    ]);
    expect(textsOf("我住在上海市浦东新区张江路88号", "Detailed Address")).toEqual([
      "上海市浦东新区张江路88号",
    ]);
    expect(textsOf("ship to 221B Baker Street, London", "Detailed Address")).toEqual(["221B Baker Street"]);
    expect(textsOf("studio at Via Brera 12, Milan", "Detailed Address")).toEqual(["Via Brera 12"]);
    expect(textsOf("Flat 12 is upstairs", "Detailed Address")).toEqual(["Flat 12"]);
  });
  it("starts a Chinese address after the verb of a move or a change (更新为, 搬迁至, 已由, 搬进, 包括)", () => {
    for (const [s, address] of <[string, string][]>[
      ["我的家庭住址已由阿卡迪亚大道 124 号更改为别处", "阿卡迪亚大道 124 号"],
      ["我已搬迁至劳里埃东大道404号，在那里", "劳里埃东大道404号"],
      ["已经更新为十二区里昂街15号", "十二区里昂街15号"],
      ["当前居住地为十二区里昂街15号", "十二区里昂街15号"],
      ["所有数据——包括阿尔伯特路104号", "阿尔伯特路104号"],
      ["它们被搬进阿尔伯特路104号", "阿尔伯特路104号"],
      ["用那辆车运回阿尔伯特路104号", "阿尔伯特路104号"],
      ["草稿里附上包含十二区里昂街15号的信息", "十二区里昂街15号"],
    ])
      expect(textsOf(s, "Detailed Address"), s).toEqual([address]);
    // A place name that opens with one of those characters keeps it.
    expect(textsOf("我住在回龙观西大街18号", "Detailed Address")).toEqual(["回龙观西大街18号"]);
    expect(textsOf("公司在向阳路15号", "Detailed Address")).toEqual(["向阳路15号"]);
  });
  it("ignores street words without a number", () => {
    expect(textsOf("walk down Baker Street to the road", "Detailed Address")).toEqual([]);
  });
});

describe("password shapes", () => {
  it("finds strings that can only be passwords", () => {
    expect(found("I now use Qz8!mPa#2x at home")).toEqual([["Qz8!mPa#2x", "Password"]]);
  });
  it("ignores emails, paths and plain words", () => {
    expect(textsOf("mail Ab1_x@ex.com, /usr/Lib_64!x, HelloWorld2024", "Password")).toEqual([]);
  });
});
