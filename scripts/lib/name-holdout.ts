// The deterministic hold-out shared by the gazetteer generator and the dev corpus generator: a name whose
// hash falls in the held-out part goes to the gazetteer's held-out lists, which the dev corpus's evaluation
// leaves out (`RuleOptions.namesHeldOut`), and only such names score name detection in the corpus — so the
// corpus measures the rules, not the lists, while the product knows every name.

/** FNV-1a (32 bit) of the lower-cased name. */
export function nameHash(name: string): number {
  let h = 0x811c9dc5;
  const s = name.toLowerCase();
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** True for the held-out fifth of names (left out when the dev corpus is evaluated; the only ones it scores). */
export function isHeldOut(name: string): boolean {
  return nameHash(name) % 5 === 0;
}
