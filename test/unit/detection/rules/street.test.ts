// Street addresses anchored at the house number: number first, name first, glued street types, after a cue,
// with units and postcodes; Chinese chains without a road word.
import { describe, expect, it } from "vitest";
import { found, textsOf } from "./helpers.js";

const AD = "Detailed Address";

describe("streets", () => {
  it("takes number-first addresses with a street type and their units", () => {
    expect(textsOf("We moved to 368 Blind Lane Apt. 280 last week.", AD)).toEqual([
      "368 Blind Lane Apt. 280",
    ]);
    expect(textsOf("Mon adresse est 791 Allée de Caumartin, 59362 Le Havre.", AD)).toEqual([
      "791 Allée de Caumartin, 59362 Le Havre",
    ]);
  });

  it("takes name-first addresses: street type before, glued, or after a cue", () => {
    expect(textsOf("Mi dirección es Puente Jacobo, 8 3º C, 84976 Pontevedra.", AD)).toEqual([
      "Puente Jacobo, 8 3º C, 84976 Pontevedra",
    ]);
    expect(textsOf("Mijn adres is Smeetslaan 469, 7134 VL Groenlo.", AD)).toEqual([
      "Smeetslaan 469, 7134 VL Groenlo",
    ]);
    expect(textsOf("Send it to 6750 Koskikatu 25 Apt. 864 please", AD).join(" ")).toContain(
      "Koskikatu 25 Apt. 864",
    );
    expect(textsOf("I live at Puruntie 82 now.", AD)).toEqual(["Puruntie 82"]);
    expect(textsOf("Mój adres to rondo Nowiński 21a m. 294, 04-669 Nowy Wiśnicz.", AD)).toEqual([
      "rondo Nowiński 21a m. 294, 04-669 Nowy Wiśnicz",
    ]);
  });

  it("takes a street type in lower case after the number, as French and Spanish write it", () => {
    expect(textsOf("Adresse : 12 rue de la Paix, 75002 Paris", AD)).toEqual([
      "12 rue de la Paix, 75002 Paris",
    ]);
    expect(textsOf("J'habite au 5 avenue Victor Hugo, 69002 Lyon.", AD)).toEqual([
      "5 avenue Victor Hugo, 69002 Lyon",
    ]);
    expect(textsOf("I sent 5 via FedEx and 3 via DHL.", AD)).toEqual([]);
  });

  it("takes a postcode after a postcode word, in the formats of the world", () => {
    expect(textsOf("My postcode is SW1A 1AA.", AD)).toEqual(["SW1A 1AA"]);
    expect(textsOf("zip code 94103, please", AD)).toEqual(["94103"]);
    expect(textsOf("ZIP: 10001-1234", AD)).toEqual(["10001-1234"]);
    expect(textsOf("Postal code: K1A 0B1", AD)).toEqual(["K1A 0B1"]);
    expect(textsOf("PLZ 10115, Ort Berlin", AD)).toEqual(["10115"]);
    expect(textsOf("Mon code postal est 75002.", AD)).toEqual(["75002"]);
    expect(textsOf("kod pocztowy: 00-238", AD)).toEqual(["00-238"]);
    expect(textsOf("我家的邮编是100020。", AD)).toEqual(["100020"]);
    expect(found("zip code 94103").filter(([, type]) => type === "Verification Code")).toEqual([]);
    for (const s of ["What is a postcode for?", "The zip file is 2048 KB.", "I posted 12345 photos."])
      expect(textsOf(s, AD), s).toEqual([]);
  });

  it("takes a house and flat number written with a slash (ul. Długa 15/3), not a date or a score", () => {
    expect(textsOf("Mój adres to ul. Długa 15/3, 00-238 Warszawa.", AD)).toEqual([
      "ul. Długa 15/3, 00-238 Warszawa",
    ]);
    expect(textsOf("Adres: Długa 15/3, 00-238 Warszawa", AD)).toEqual(["Długa 15/3, 00-238 Warszawa"]);
    for (const s of ["We met on 15/3/2024 in Main Street.", "England were 15/3 at Lord's Cricket Ground."])
      expect(textsOf(s, AD), s).toEqual([]);
  });

  it("runs on over a US city, state and ZIP code, or a UK town and postcode", () => {
    expect(textsOf("My address is 1427 Maple Grove Drive, Springfield, IL 62704.", AD)).toEqual([
      "1427 Maple Grove Drive, Springfield, IL 62704",
    ]);
    expect(textsOf("Send it to 88 Elm St, Austin, TX 78701-1234, USA", AD)).toEqual([
      "88 Elm St, Austin, TX 78701-1234",
    ]);
    expect(textsOf("The delivery goes to 221B Baker Street, London NW1 6XE.", AD)).toEqual([
      "221B Baker Street, London NW1 6XE",
    ]);
    expect(textsOf("Ship to 12 Oak Road, Salt Lake City, UT 84101 please", AD)).toEqual([
      "12 Oak Road, Salt Lake City, UT 84101",
    ]);
    expect(textsOf("We met at 10 Downing Street, London, then went home.", AD)).toEqual([
      "10 Downing Street",
    ]);
  });

  it("takes a number-first address that ends a sentence (the full stop is not part of the type)", () => {
    expect(textsOf("Your order will be delivered to 1742 Glover Crest.", AD)).toEqual(["1742 Glover Crest"]);
    expect(textsOf("They moved to 35187 Beatty Ports. Nice!", AD)).toEqual(["35187 Beatty Ports"]);
    expect(textsOf("Change my address to 8010 Heller Run.", AD)).toEqual(["8010 Heller Run"]);
    expect(textsOf("I live at 96 Thomson Trail.\nThanks", AD)).toEqual(["96 Thomson Trail"]);
  });

  it("takes a name-first address whose street type follows the name in lower case (köz, iela, utca)", () => {
    expect(textsOf("Mirella tér 409 is where the office is.", AD)).toEqual(["Mirella tér 409"]);
    expect(textsOf("They moved to Grobiņas iela 885.", AD)).toEqual(["Grobiņas iela 885"]);
    expect(textsOf("Ship it to: Viktor Deák, Tiborc köz 4, 1623 Majs", AD)).toEqual([
      "Tiborc köz 4, 1623 Majs",
    ]);
    for (const s of ["The car park 3 is full.", "We walked in the park 2 times."])
      expect(textsOf(s, AD), s).toEqual([]);
  });

  it("does not take a person named after the cue for a street", () => {
    expect(textsOf("Ship it to: Nadine Barre, 985 Michel de Paris", AD)).toEqual([]);
  });

  it("reads more ways of sending something to an address as a cue", () => {
    expect(textsOf("Ship it to: Oktavie Peterka, Fingerova 516, 132 87 Dobřichovice", AD)).toEqual([
      "Fingerova 516, 132 87 Dobřichovice",
    ]);
    expect(textsOf("Please mail the keys to Aksamitova 211 Apt. 980 tomorrow.", AD)).toEqual([
      "Aksamitova 211 Apt. 980",
    ]);
  });

  it("runs on over the postcode formats of more countries, before or after the town", () => {
    expect(textsOf("Ship it to: Lucas Fidélis, Rua Lara Alves 2392, 2221-494 Estremoz", AD)).toEqual([
      "Rua Lara Alves 2392, 2221-494 Estremoz",
    ]);
    expect(textsOf("I live at Parkgatan 540, 161 33 Kramtuna.", AD)).toEqual([
      "Parkgatan 540, 161 33 Kramtuna",
    ]);
    expect(textsOf("The issue came from Parkgatan 540, Kramtuna 16133.", AD)).toEqual([
      "Parkgatan 540, Kramtuna 16133",
    ]);
    expect(textsOf("Reported from 97231 Kerluke Valley, Beattyville 53128-6934.", AD)).toEqual([
      "97231 Kerluke Valley, Beattyville 53128-6934",
    ]);
    expect(textsOf("Billing: 7995 Gusikowski Passage, Port Hilton M2M 0E2.", AD)).toEqual([
      "7995 Gusikowski Passage, Port Hilton M2M 0E2",
    ]);
    expect(textsOf("Sent from 71111 Steuber Parkway, Martinaboro A04 A249.", AD)).toEqual([
      "71111 Steuber Parkway, Martinaboro A04 A249",
    ]);
    expect(textsOf("Address: Aleea Daia 17, 788661 Pitești", AD)).toEqual(["Aleea Daia 17, 788661 Pitești"]);
    expect(textsOf("Address: Augšiela bulvāris 45, Ikšķile LV-2433.", AD)).toEqual([
      "Augšiela bulvāris 45, Ikšķile LV-2433",
    ]);
    // A town and a year after an address are not a postcode.
    expect(textsOf("We met at 10 Downing Street, London 2012 was the year.", AD)).toEqual([
      "10 Downing Street",
    ]);
  });

  it("runs on over the flat and floor words of more locales", () => {
    for (const [s, want] of [
      ["Address: Gorička 715 Stan 53, 51000 Rijeka", "Gorička 715 Stan 53, 51000 Rijeka"],
      ["Ship it to Karins Gata 881 Hus 904, 84143 Norrtorp", "Karins Gata 881 Hus 904, 84143 Norrtorp"],
      [
        "My address is Henrikssons Väg 997 Lgh. 995, 96975 Götelöv",
        "Henrikssons Väg 997 Lgh. 995, 96975 Götelöv",
      ],
      ["I live at Mirella tér 409 4.em 10 ajtó, 2759 Vönöck", "Mirella tér 409 4.em 10 ajtó, 2759 Vönöck"],
      ["Adresse: Møllegade 7, 3. tv, 1194 København K", "Møllegade 7, 3. tv, 1194 København K"],
      ["Meine Adresse ist Hirschengraben 9 3 OG, 8231 Volketswil", "Hirschengraben 9 3 OG, 8231 Volketswil"],
      ["Address: Olīvu gatve 39 - 351, LV-1544 Kuldīga", "Olīvu gatve 39 - 351, LV-1544 Kuldīga"],
      ["Send it to Nataliesgate 6 Leil. 294, 3992 Nærfjell", "Nataliesgate 6 Leil. 294, 3992 Nærfjell"],
    ] as const)
      expect(textsOf(s, AD), s).toEqual([want]);
  });

  it("takes Chinese chains ending in a house number", () => {
    expect(textsOf("请把包裹寄到青海省长海市陆旁30号，谢谢", AD)).toEqual(["青海省长海市陆旁30号"]);
    // The verb before the chain is not part of it.
    expect(textsOf("傅军，74岁，现居甘肃省珠京市季侬699号。", AD)).toEqual(["甘肃省珠京市季侬699号"]);
    expect(textsOf("他现住上海市长乡县曾桥4号", AD)).toEqual(["上海市长乡县曾桥4号"]);
    expect(textsOf("住址：湖北省贵口市丁路334号", AD)).toEqual(["湖北省贵口市丁路334号"]);
  });

  it("leaves numbered things that are not addresses alone", () => {
    for (const s of [
      "Chapter 12 explains it.",
      "Windows 11 needs 4 GB.",
      "We met in Room 204 at 10:30.",
      "Candidate 3 won.",
    ])
      expect(textsOf(s, AD), s).toEqual([]);
  });
});
