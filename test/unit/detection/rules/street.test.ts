// Street addresses anchored at the house number: number first, name first, glued street types, after a cue,
// with units and postcodes; Chinese chains without a road word.
import { describe, expect, it } from "vitest";
import { textsOf } from "./helpers.js";

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
