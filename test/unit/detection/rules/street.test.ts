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

  it("takes Chinese chains ending in a house number", () => {
    expect(textsOf("请把包裹寄到青海省长海市陆旁30号，谢谢", AD)).toEqual(["青海省长海市陆旁30号"]);
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
