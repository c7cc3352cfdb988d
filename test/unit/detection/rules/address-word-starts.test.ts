// The address patterns that start with a keyword gate's word (postcodes, European street names, German street
// suffixes), tried only where the keyword scan saw such a word start, find exactly what a scan of the whole
// text finds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DE_SUFFIX_AT,
  DE_SUFFIX_RE,
  EU_ADDRESS_AT,
  EU_ADDRESS_RE,
  POSTCODE_AT,
  POSTCODE_RE,
  postcodeStarts,
} from "../../../../src/detection/rules/address.js";
import { createContext, execAll } from "../../../../src/detection/rules/context.js";
import { execAtStarts } from "../../../../src/detection/rules/digit-clusters.js";
import { KW, keywordStarts } from "../../../../src/detection/rules/keywords.js";
import { matchOffsets } from "./helpers.js";

describe("postcode starts", () => {
  it("finds the whole-text matches, at the same offsets", () => {
    const piece = fc.oneof(
      fc.constantFrom(
        "post",
        "Post",
        "POST",
        "code",
        "Code",
        "postal",
        "zip",
        "ZIP",
        "PLZ",
        "plz",
        "código",
        "codigo",
        "CÓDIGO",
        "digo",
        "cep",
        "CEP",
        "ac",
        "kod",
        "pocztowy",
        "邮编",
        "邮政编码",
        "邮",
        "is",
        "est",
        "是",
        ":",
        "：",
        "=",
        "-",
      ),
      fc.constantFrom(" ", "  ", "\t", "\n", "a", "x", "1"),
      fc.stringMatching(/^(?:\d{2,6}|[A-Z]\d[A-Z]|\d[A-Z]{2}|SW1A|1AA|\d{2}-\d{3})$/),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const text = parts.join("");
        const ctx = createContext(text);
        expect(matchOffsets(execAtStarts(POSTCODE_AT, text, postcodeStarts(ctx)))).toEqual(
          matchOffsets(execAll(POSTCODE_RE, text)),
        );
      }),
      { seed: 23, numRuns: 4000 },
    );
  });

  it("finds the postcodes of every form after their words", () => {
    for (const text of [
      "postcode SW1A 1AA",
      "post\tcode: 10115",
      "Postal\ncode K1A 0B1",
      "ZIP: 10001-1234",
      "PLZ 10115",
      "code postal 75002",
      "código postal 28013",
      "Código  postal: 01310-100",
      "kod pocztowy: 00-238",
      "CEP 01310-100",
      "邮编100020",
      "邮政编码：100020",
    ]) {
      const ctx = createContext(text);
      const ours = matchOffsets(execAtStarts(POSTCODE_AT, text, postcodeStarts(ctx)));
      expect(ours).toEqual(matchOffsets(execAll(POSTCODE_RE, text)));
      expect(ours).toHaveLength(1);
    }
  });
});

describe("European street starts", () => {
  it("finds the whole-text matches of the street-name and German-suffix patterns, at the same offsets", () => {
    const piece = fc.oneof(
      fc.constantFrom(
        "Via",
        "via",
        "Viale",
        "Corso",
        "Piazza",
        "Rua",
        "Avenida",
        "Av.",
        "Rue",
        "true",
        "Calle",
        "Carrer",
        "Paseo",
        "Plaza",
        "Praça",
        "Boulevard",
        "Chemin",
        "Allée",
        "Straße",
        "Strasse",
        "straße",
        "weg",
        "Weg",
        "gasse",
        "platz",
        "allee",
        "Hauptstraße",
        "Brera",
        "de",
        "della",
      ),
      fc.constantFrom(" ", "  ", ", ", "\n", "a", "x"),
      fc.stringMatching(/^(?:\d{1,5}[a-z]?|[A-Z][a-zé]{1,6})$/),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        const ctx = createContext(text);
        expect(matchOffsets(execAtStarts(EU_ADDRESS_AT, text, keywordStarts(ctx, KW.euStreet)))).toEqual(
          matchOffsets(execAll(EU_ADDRESS_RE, text)),
        );
        expect(matchOffsets(execAtStarts(DE_SUFFIX_AT, text, keywordStarts(ctx, KW.deSuffix)))).toEqual(
          matchOffsets(execAll(DE_SUFFIX_RE, text)),
        );
      }),
      { seed: 29, numRuns: 4000 },
    );
  });
});
