// The deterministic hold-out shared by the gazetteer generator and the dev corpus generator: a name whose
// hash falls in the held-out part never enters the gazetteer, and only such names score name detection in
// the corpus — so the corpus measures the rules, not the lists.

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

/** True for the held-out fifth of names (never in the gazetteer; the only ones the corpus scores). */
export function isHeldOut(name: string): boolean {
  return nameHash(name) % 5 === 0;
}
