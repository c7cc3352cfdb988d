/** Canary values (synthetic) that the rule detector finds, and a text that carries them all. */
export const CANARY = {
  name: "Zhang San",
  email: "canary.user@example.org",
  phone: "13912345678",
  password: "Zq9vX2kq",
  card: "4539 1488 0343 6467",
  ip: "10.0.0.12",
  id: "110101199003074514",
} as const;

export const CANARY_VALUES: readonly string[] = Object.values(CANARY);

/** A user message holding every canary. */
export const CANARY_TEXT =
  `I am ${CANARY.name}. Mail ${CANARY.email} or call ${CANARY.phone}. My password is ${CANARY.password}. ` +
  `Card ${CANARY.card}, server ${CANARY.ip}, ID ${CANARY.id}.`;

/** Asserts that none of the canaries occurs in `text` (returns the ones found, for a readable failure). */
export function leakedCanaries(text: string): string[] {
  return CANARY_VALUES.filter((v) => text.includes(v) || text.includes(JSON.stringify(v).slice(1, -1)));
}
