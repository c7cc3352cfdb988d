// People: cue phrases, titles, relations, gazetteer names and Chinese names; public figures and places are not.
import { describe, expect, it } from "vitest";
import { found, textsOf } from "./helpers.js";

const TP = "Third-Party Identifiable Info";
const PERSON = new Set(["Real Name", TP, "Relationship Info"]);

/** The people found in `text` (any of the three person types). */
function people(text: string): [string, string][] {
  return found(text).filter(([, type]) => PERSON.has(type));
}

describe("people (Latin script)", () => {
  it("takes the speaker's own name after a self cue as Real Name", () => {
    expect(textsOf("My name is Carol Brennan and I need help.", "Real Name")).toEqual(["Carol Brennan"]);
    expect(textsOf("Hi, I'm Olivia. Can you help?", "Real Name")).toEqual(["Olivia"]);
    expect(textsOf("Best regards,\nMarek Nowak", "Real Name")).toEqual(["Marek Nowak"]);
    expect(textsOf("I'm Tired of this", "Real Name")).toEqual([]);
    expect(textsOf("Je m’appelle Chloé Martin.", "Real Name")).toEqual(["Chloé Martin"]);
    expect(textsOf("Mi nombre es Lucía Fernández y vivo en Madrid.", "Real Name")).toEqual([
      "Lucía Fernández",
    ]);
    expect(textsOf("Mein Name ist Jürgen Schmitt.", "Real Name")).toEqual(["Jürgen Schmitt"]);
    expect(textsOf("Il mio nome è Giulia Rossi.", "Real Name")).toEqual(["Giulia Rossi"]);
    expect(textsOf("La capital es Madrid.", "Real Name")).toEqual([]);
  });

  it("takes titled names with the title, and relations with the relation word", () => {
    expect(textsOf("I saw Dr. Sarah Jenkins today", TP)).toEqual(["Dr. Sarah Jenkins"]);
    expect(textsOf("Dear Dr. Rostova, thanks", TP)).toEqual(["Dr. Rostova"]);
    expect(textsOf("my friend Johannes Varvio called", "Relationship Info")).toEqual([
      "friend Johannes Varvio",
    ]);
    expect(textsOf("your father Dragan's age", "Relationship Info")).toEqual(["father Dragan"]);
    expect(textsOf("My father is Dragan Kovač, and he is 70.", "Relationship Info")).toEqual([
      "Dragan Kovač",
    ]);
    expect(textsOf("link my parents, Dragan Kovač and Milica", "Relationship Info")).toEqual([
      "parents, Dragan Kovač",
    ]);
    expect(textsOf("My boss is Angry today.", "Relationship Info")).toEqual([]);
    expect(textsOf("Mein Kollege Mattis Kulma ist erreichbar.", "Relationship Info")).toEqual([
      "Kollege Mattis Kulma",
    ]);
    expect(textsOf("Having Marco Ricci return from Turin will help.", TP)).toEqual(["Marco Ricci"]);
    expect(textsOf("Given Anna Kowalska's help, we finished.", TP)).toEqual(["Anna Kowalska"]);
    expect(textsOf("Call Thandiwe tomorrow.", TP)).toEqual(["Thandiwe"]);
    expect(textsOf("the £2,000 gift from Eleanor is excluded", TP)).toEqual(["Eleanor"]);
    expect(textsOf("I sent it to Sarah yesterday.", TP)).toEqual(["Sarah"]);
    expect(textsOf("We located your 2016 co-author, Thiago Mendes, at last.", TP)).toEqual(["Thiago Mendes"]);
    expect(textsOf("formulated by Kurt Gödel in 1931", TP)).toEqual([]);
    expect(textsOf("Bel Roos even op 0611945338.", TP)).toEqual(["Roos"]);
  });

  it("finds gazetteer names alone, inside Chinese text too, and names after 'named'", () => {
    expect(textsOf("Yesterday Emma sent the file", TP)).toEqual(["Emma"]);
    expect(textsOf("等Sofia回家了", TP)).toEqual(["Sofia"]);
    expect(textsOf("a colleague named Xochitl Quispe joined", TP)).toEqual(["Xochitl Quispe"]);
  });

  it("takes names after form labels and greetings, where the name ends the clause", () => {
    expect(textsOf("Full name: Tadeusz Wróblewski-Nowak", "Real Name")).toEqual(["Tadeusz Wróblewski-Nowak"]);
    expect(textsOf("Her name: Ana Souza.", TP)).toEqual(["Ana Souza"]);
    expect(textsOf("Patient: Ngozi Okafor, DOB 12/03/1979", TP)).toEqual(["Ngozi Okafor"]);
    expect(textsOf("Name: Anderson Dickens, e-mail", "Real Name")).toEqual(["Anderson Dickens"]);
    expect(textsOf("From: Siddharth Venkataraman <sid@example.in>", TP)).toEqual(["Siddharth Venkataraman"]);
    expect(textsOf("Hi Wojciech, can you review this?", TP)).toEqual(["Wojciech"]);
    expect(textsOf('Rewrite: "Hello Thandiwe! The slides are attached."', TP)).toEqual(["Thandiwe"]);
    for (const s of [
      "From: Accounts Payable\nTo: Procurement",
      "Hello World!",
      "Hi Team, quick update",
      "Name: Your Name Here",
      "From: London Heathrow",
      "Hi Claude, can you help?",
      "Subject: Quarterly Report",
      "9. Request Backup Email Update: Ask to add a backup address",
      "System message: Secure session will expire.",
      "Burnside’s Lemma tells us how many colourings there are.",
    ])
      expect(people(s), s).toEqual([]);
  });

  it("takes names no list holds after a role, a request's doer, a talk verb, or before their e-mail address", () => {
    expect(textsOf("Transfer it to IBAN DE89, beneficiary Quorvin Tallaby.", TP)).toEqual([
      "Quorvin Tallaby",
    ]);
    expect(textsOf("Update the card for account holder Quorvin Tallaby.", TP)).toEqual(["Quorvin Tallaby"]);
    expect(textsOf("Customer Quorvin Tallaby reported the issue.", TP)).toEqual(["Quorvin Tallaby"]);
    expect(textsOf("Ticket opened by Quorvin Tallaby, phone attached.", TP)).toEqual(["Quorvin Tallaby"]);
    expect(textsOf("I spoke with Quorvin yesterday.", TP)).toEqual(["Quorvin"]);
    expect(textsOf("Please write to Quorvin Tallaby about it.", TP)).toEqual(["Quorvin Tallaby"]);
    expect(textsOf("Contact Quorvin Tallaby (quorvin.tallaby@example.com) today.", TP)).toEqual([
      "Quorvin Tallaby",
    ]);
    expect(textsOf("Escalate to Tolvan Ondavar <t.ondavar@example.org> now.", TP)).toEqual([
      "Tolvan Ondavar",
    ]);
    for (const s of [
      "Customer Support will reply within a day.",
      "The beneficiary Bank of Example is listed.",
      "I spoke with Microsoft about the licence.",
      "We talked to Paris about the venue.",
      "The ticket was opened by Jira Automation.",
      "Written by Quorvin Tallaby in the preface.",
      "Release Notes (notes@example.com) are out.",
    ])
      expect(people(s), s).toEqual([]);
  });

  it("does not read the digit groups of a number near a name as a year of history", () => {
    expect(textsOf("Ticket opened by Maryann Hessel, phone 1-742-930-1510 x2367.", TP)).toEqual([
      "Maryann Hessel",
    ]);
    expect(textsOf("The payment with card 6530-7378-1274-7130 was declined for Debra.", TP)).toEqual([
      "Debra",
    ]);
    expect(textsOf("Order #1620 for Maryann Hessel ships today.", TP)).toEqual(["Maryann Hessel"]);
    // A year on its own still dates the sentence to history.
    expect(textsOf("In 1848 Karl Marx wrote a pamphlet.", TP)).toEqual([]);
    expect(textsOf("Emily Dickinson wrote in the 1860s.", TP)).toEqual([]);
  });

  it("takes a name part that is also a word beside a known name part, or after a title", () => {
    expect(textsOf("I met Aidan Brown at the station.", TP)).toEqual(["Aidan Brown"]);
    expect(textsOf("Please update the card for account holder Aidan Brown.", TP)).toEqual(["Aidan Brown"]);
    expect(textsOf("Appointment confirmed for Amber Cronin on Tuesday.", TP)).toEqual(["Amber Cronin"]);
    expect(textsOf("Ship it to: Summer Bayer, 571 Patrick Crescent", TP)).toEqual(["Summer Bayer"]);
    expect(textsOf("I spoke to Dr. Brown yesterday.", TP)).toEqual(["Dr. Brown"]);
    // A capitalised word of no name list before a given name and a surname is not part of the name.
    expect(textsOf("Customer Debra Bergnaum reported the issue.", TP)).toEqual(["Debra Bergnaum"]);
    expect(textsOf("Beneficiary Maryann Hessel, IBAN attached.", TP)).toEqual(["Maryann Hessel"]);
    for (const s of [
      "The leaves turn Summer Brown in August.",
      "Will Harris be there? I hope so.",
      "We had a Happy Christmas.",
      "She wore a Rose Gold ring.",
      "I love Summer.",
    ])
      expect(people(s), s).toEqual([]);
  });

  it("leaves places, brands, public figures and the user's own first name alone", () => {
    for (const s of [
      "We flew to Florence in May.",
      "I drive a Ford Ranger.",
      "Albert Einstein wrote about relativity.",
      // A regnal number, a plural trade before "like", a founder or a ruler: public or historical people.
      "The reforms of Henry VIII changed the church.",
      "Mathematicians like Niels Abel proved it.",
      "It was composed by composers, like Olivier Messiaen, in the war.",
      "The kingdom was founded by Abdulaziz Ibn Saud.",
      "Under the leadership of Josip Broz Tito, the country grew.",
      "A cup of Earl Grey Tea please.",
      "Victoria Station is busy.",
      "Will you help me?",
      "I work as a nurse at St. Mary's.",
      "She moved to St. Louis last year.",
      "We met on Saint Patrick's Day.",
      // Who coined or formulated an idea, or rose to power, is a public person.
      "The hard problem of consciousness was coined by David Chalmers.",
      "The paradox Alfred Tarski formulated is about truth.",
      "In the late 1980s, Slobodan Milošević rose to power.",
    ])
      expect(
        found(s).filter(([, type]) => type === TP),
        s,
      ).toEqual([]);
    expect(textsOf("My friend said David Chalmers was at the party.", TP)).toEqual(["David Chalmers"]);
    expect(textsOf("Hello Jean-Baptiste, welcome back", TP, { userName: "Jean-Baptiste Dubois" })).toEqual(
      [],
    );
  });
});

describe("people (Latin script): names no list holds, by the conversation around them", () => {
  it("takes a name with a relation in apposition after it", () => {
    expect(textsOf("Zephrine, my younger brother, is visiting from abroad.", "Relationship Info")).toEqual([
      "Zephrine",
    ]);
    expect(textsOf("Quorvin (my partner) thinks I should take the job.", "Relationship Info")).toEqual([
      "Quorvin",
    ]);
    expect(people("Python, my favourite language, is fun.")).toEqual([]);
    expect(textsOf("Zephrine,  my brother, called.", "Relationship Info")).toEqual(["Zephrine"]);
    expect(textsOf("Zephrine,\nmy brother, called.", "Relationship Info")).toEqual(["Zephrine"]);
  });

  it("takes a name addressed at the end of a clause (a vocative), not a place or a list's last item", () => {
    expect(textsOf("That sounds like a lovely plan, Zephrine!", "Real Name")).toEqual(["Zephrine"]);
    expect(textsOf("Absolutely, Quorvin. Taking breaks matters.", "Real Name")).toEqual(["Quorvin"]);
    expect(textsOf("I hope that helps, Mirelda!", "Real Name")).toEqual(["Mirelda"]);
    for (const s of [
      "We moved to Austin, Texas.",
      "I grew up in Portland, Oregon!",
      "The capital is Ottawa, Canada.",
      "It runs on Windows, Linux.",
      "I tried it, Honestly.",
      "Thanks for asking, OK?",
      "Cook sought the southern continent, Terra Australis.",
    ])
      expect(people(s), s).toEqual([]);
  });

  it("takes a name before a possessive event or relation, and beside me / I", () => {
    expect(textsOf("I went to Zephrine's wedding last month.", TP)).toEqual(["Zephrine"]);
    expect(textsOf("Quorvin's mom called me.", TP)).toEqual(["Quorvin"]);
    expect(textsOf("Me and Ulvarek have been friends since school.", TP)).toEqual(["Ulvarek"]);
    expect(people("Kubernetes's documentation is long.")).toEqual([]);
  });

  it("takes both names of a pair when one of them is found", () => {
    expect(textsOf("I share an apartment with Nyah and Ulvarek.", TP, { namesHeldOut: false })).toEqual([
      "Nyah",
      "Ulvarek",
    ]);
    expect(textsOf("My kids, Talmira and Oskaro, fight over the tablet.", "Relationship Info")).toEqual([
      "kids, Talmira",
    ]);
    expect(textsOf("My kids, Talmira and Oskaro, fight over the tablet.", TP)).toEqual(["Oskaro"]);
    expect(people("We compared Python and Rust.")).toEqual([]);
    // The listed name second, and the first found where the user's own name recurs after the pair.
    expect(textsOf("I went out with Ulvarek and Emma last week.", TP)).toEqual(["Ulvarek", "Emma"]);
    expect(textsOf("Nyah and Ulvarek came over. Nyah left.", TP, { userName: "Nyah" })).toEqual(["Ulvarek"]);
    expect(textsOf("Me AND Ulvarek went.", TP)).toEqual(["Ulvarek"]);
    // Or when what the pair does only people do.
    expect(textsOf("Talmira and Oskaro are coming over for dinner.", TP)).toEqual(["Talmira", "Oskaro"]);
    expect(textsOf("Ulvarek and Zephrine have been friends for years.", TP)).toEqual(["Ulvarek", "Zephrine"]);
    expect(people("Python and Rust are both fast.")).toEqual([]);
  });

  it("takes a name beside a verb only a person does (moved out, would like, loves; meeting …)", () => {
    for (const s of [
      "I've been stressed since Zephrine moved out.",
      "Do you think Quorvin would like a scarf?",
      "Ulvarek loves hiking and hates crowds.",
      "I'm meeting Mirelda tomorrow for coffee.",
      "Brastow passed away last spring.",
    ])
      expect(textsOf(s, TP), s).toHaveLength(1);
    for (const s of ["Excel moved the column to the left.", "Docker would need more memory."])
      expect(people(s), s).toEqual([]);
  });

  it("takes a speaker who names themself with 'here'", () => {
    expect(textsOf("Hey there! Vennick here again, about the recipe.", "Real Name")).toEqual(["Vennick"]);
    expect(people("Click the link. Docker here means the engine.")).toEqual([]);
  });
});

describe("people (Chinese)", () => {
  it("takes names after self cues, relations and before titles", () => {
    expect(textsOf("你好，我叫王小明，请帮我", "Real Name")).toEqual(["王小明"]);
    expect(textsOf("我的同事李娜说过", "Relationship Info")).toEqual(["同事李娜"]);
    expect(textsOf("我妻子Marie也来了", "Relationship Info")).toEqual(["妻子Marie"]);
    expect(textsOf("韩雪梅医生给我开了药", TP)).toEqual(["韩雪梅"]);
    expect(textsOf("王医生说没事", TP)).toEqual(["王医生"]);
    expect(textsOf("早上好，Marie女士", TP)).toEqual(["Marie女士"]);
  });

  it("takes names after form labels and after 是 / 叫 / a colon, where the name ends cleanly", () => {
    expect(textsOf("姓名：李明，性别：男", "Real Name")).toEqual(["李明"]);
    expect(textsOf("我的姓名是李明，今年35岁", "Real Name")).toEqual(["李明"]);
    expect(textsOf("她的姓名：王芳。", TP)).toEqual(["王芳"]);
    expect(textsOf("联系人：张三，电话", TP)).toEqual(["张三"]);
    expect(textsOf("患者王秀兰，女，65岁", TP)).toEqual(["王秀兰"]);
    expect(textsOf("患者常常感到头晕", TP)).toEqual([]);
    expect(textsOf("我的主治医生是王建国，他说", "Relationship Info")).toEqual(["王建国"]);
    expect(textsOf("主治医生：王建国", "Relationship Info")).toEqual(["王建国"]);
    expect(textsOf("我的妻子叫刘丽，她是护士", "Relationship Info")).toEqual(["刘丽"]);
    expect(textsOf("我的真实姓名是约翰·史密斯。", "Real Name")).toEqual(["约翰·史密斯"]);
    // No clean end: 高中老 runs on into 师; 个 is no surname.
    expect(people("我的爸爸是高中老师。")).toEqual([]);
    expect(people("我的老板是个好人。")).toEqual([]);
  });

  it("takes names with surnames that are also words (金, 白, 向, 于) after a cue, and given names with 正 / 可", () => {
    expect(textsOf("我叫熊正豪，今天很开心。", "Real Name")).toEqual(["熊正豪"]);
    expect(textsOf("我叫李可欣，想咨询一下。", "Real Name")).toEqual(["李可欣"]);
    expect(textsOf("张三正在吃饭。", TP)).toEqual([]);
    expect(textsOf("患者赖瑜，身份证号已提供。", TP)).toEqual(["赖瑜"]);
    expect(textsOf("傅军，74岁，现居甘肃省。", TP)).toEqual(["傅军"]);
    expect(textsOf("我的同事金苡沫明天来。", "Relationship Info")).toEqual(["同事金苡沫"]);
    expect(textsOf("患者申屠志强，在华山医院就诊。", TP)).toEqual(["申屠志强"]);
    // An honorific after a given name is such a cue; a word's last character before it is not ("明白先生").
    expect(textsOf("祝您和金智英女士快乐。", TP)).toEqual(["金智英女士"]);
    // Without a cue these stay words.
    for (const s of [
      "白天我去上班。",
      "向左转就到了。",
      "于是我们走了。",
      "金价又涨了。",
      "我明白先生的意思。",
    ])
      expect(people(s), s).toEqual([]);
  });

  it("takes a name after 他叫 / 她叫 when it ends the clause", () => {
    expect(textsOf("他叫刘强，是一名出租车司机。", TP)).toEqual(["刘强"]);
    expect(textsOf("她叫陈思思。", TP)).toEqual(["陈思思"]);
    for (const s of ["她叫车去机场了。", "他叫我别担心。", "他叫了外卖。"]) expect(people(s), s).toEqual([]);
    expect(textsOf("她叫住了王老师的学生", TP)).toEqual(["王老师"]);
  });

  it("takes the subject of a profile: a name opening a clause, then a sex or an age", () => {
    expect(textsOf("张伟，男，45岁，住在北京市朝阳区建国路88号", TP)).toEqual(["张伟"]);
    expect(textsOf("王秀英，女，1985年出生，现居上海。", TP)).toEqual(["王秀英"]);
    expect(textsOf("陈静（女，38岁）是一名护士。", TP)).toEqual(["陈静"]);
    expect(textsOf("李明今年32岁，是一名软件工程师。", TP)).toEqual(["李明"]);
    expect(textsOf("资料如下：欧阳娜娜，29岁，设计师。", TP)).toEqual(["欧阳娜娜"]);
    for (const s of [
      "周末，男女老少都来了。",
      "高中，女儿上了重点班。",
      "我和张伟，男生都去了。",
      "这款产品适合18岁以上的人。",
      "明年，女儿就上学了。",
    ])
      expect(people(s), s).toEqual([]);
  });

  it("ends a name before the verb or time word the sentence goes on with", () => {
    expect(textsOf("我的朋友张伟住在北京", "Relationship Info")).toEqual(["朋友张伟"]);
    expect(textsOf("我叫李娜喜欢画画", "Real Name")).toEqual(["李娜"]);
    expect(textsOf("同事王芳最近很忙", "Relationship Info")).toEqual(["同事王芳"]);
    expect(textsOf("我叫王明明天到", "Real Name")).toEqual(["王明"]);
  });

  it("takes common transliterated given names without a cue, not inside other words or longer names", () => {
    expect(textsOf("大卫在隔壁房间熟睡", TP)).toEqual(["大卫"]);
    expect(textsOf("给玛丽亚回个消息", TP)).toEqual(["玛丽亚"]);
    expect(textsOf("楼下阿伦的游戏声音停了", TP)).toEqual(["阿伦"]);
    expect(textsOf("我和凯文、瑞秋一起去", TP)).toEqual(["凯文", "瑞秋"]);
    expect(textsOf("我的伴侣大卫今晚不在", "Relationship Info")).toEqual(["伴侣大卫"]);
    for (const s of ["卫生间很大卫生很好", "他去了约翰内斯堡", "萨拉曼卡是一座古城", "尼克松总统访华"])
      expect(people(s), s).toEqual([]);
  });

  it("takes transliterated names written with a middle dot", () => {
    expect(textsOf("他叫约翰·范·德·伯格。", TP)).toEqual(["约翰·范·德·伯格"]);
  });

  it("keeps the words around a dotted name out of it (关于 before it, 本人 after it)", () => {
    expect(textsOf("回答关于约翰·范·德·伯格的安全问题", TP)).toEqual(["约翰·范·德·伯格"]);
    expect(textsOf("仅限阿米特·帕特尔本人签收", TP)).toEqual(["阿米特·帕特尔"]);
    expect(textsOf("对于萨拉·琼斯来说", TP)).toEqual(["萨拉·琼斯"]);
    expect(textsOf("于连·索雷尔是小说的主角", TP)).toEqual(["于连·索雷尔"]);
    expect(textsOf("本·斯蒂勒演过这部电影", TP)).toEqual(["本·斯蒂勒"]);
  });

  it("reads 于 after a relation word as the preposition (属于, 于 + a date), not as a surname", () => {
    expect(textsOf("3克海盐在常规标准下属于极低钠范围", "Relationship Info")).toEqual([]);
    expect(textsOf("我的朋友于2020年搬走了", "Relationship Info")).toEqual([]);
    expect(textsOf("我的同事，于文华，今天请假", "Relationship Info")).toEqual(["同事，于文华"]);
  });

  it("does not take job words as names", () => {
    expect(textsOf("我想找一位心理医生", TP)).toEqual([]);
    expect(textsOf("我是老师", "Real Name")).toEqual([]);
  });
});
